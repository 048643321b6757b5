// Image files an attacker would send: PNGs whose header declares sizes far past what the engine
// takes, a valid PNG that inflates to hundreds of megabytes from a few kilobytes, and SVG text
// under a .png name.
import * as zlib from 'zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0);
  return Buffer.concat([head, body, crc]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b[8] = bitDepth;
  b[9] = colourType;
  return chunk('IHDR', b);
}

/** A PNG whose header says width x height (RGB) followed by a few bytes of image data. */
export function pngDeclaring(width: number, height: number): Buffer {
  return Buffer.concat([SIGNATURE, ihdr(width, height, 8, 2), chunk('IDAT', zlib.deflateSync(Buffer.alloc(64))), chunk('IEND', Buffer.alloc(0))]);
}

/** A complete, valid 1-bit gray PNG of side x side zeros: kilobytes on disk, side^2 * 3 bytes decoded to rgb8. */
export function pngBomb(side: number): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(side / 8)); // filter byte + packed bits
  const raw = Buffer.alloc(row.length * side);
  return Buffer.concat([SIGNATURE, ihdr(side, side, 1, 0), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="24"><rect width="40" height="24" fill="red"/></svg>',
);
