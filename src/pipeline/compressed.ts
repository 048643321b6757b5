// sensor_msgs/CompressedImage payloads (jpeg, png) decoded with sharp into frames the engine takes.
// `format` follows image_transport: "jpeg", "png", or "<source encoding>; <jpeg|png> compressed
// <encoding>", e.g. "bgr8; jpeg compressed bgr8". Compressed files store colours in their own
// (RGB) order whatever the source encoding, so colour images decode to rgb8 and mono sources to
// mono8.
import sharp from 'sharp';
import type { Metadata, OutputInfo } from 'sharp';

import type { NativeFrame } from '../engine/native';

export type Compression = 'jpeg' | 'png';

export interface CompressedFormat {
  compression: Compression;
  /** The encoding the camera image had before compression, when the format names it. */
  sourceEncoding: string | null;
}

const MAX_SIDE = 8192;
const MONO = new Set(['mono8', 'mono16', '8UC1', '16UC1']);

function compressionName(s: string): Compression | null {
  const t = s.toLowerCase();
  if (t === 'jpeg' || t === 'jpg') return 'jpeg';
  if (t === 'png') return 'png';
  return null;
}

export function parseCompressedFormat(format: string): CompressedFormat {
  const f = format.trim();
  const simple = compressionName(f);
  if (simple) return { compression: simple, sourceEncoding: null };
  const m = /^([^;]+);\s*(\S+)\s+compressed(?:\s+(\S+))?$/i.exec(f);
  const c = m ? compressionName(m[2]) : null;
  if (m && c) return { compression: c, sourceEncoding: m[1].trim() };
  if (/compressedDepth/i.test(f)) throw new Error(`CompressedImage format '${format}': depth images are not segmented`);
  throw new Error(
    `unsupported CompressedImage format '${format}' (expected 'jpeg', 'png' or e.g. 'bgr8; jpeg compressed bgr8')`,
  );
}

function sniff(data: Uint8Array): Compression | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length >= 8 && png.every((b, i) => data[i] === b)) return 'png';
  return null;
}

/** Decodes one compressed payload; throws naming the problem (format, corrupt data, size). */
export async function decodeCompressed(format: string, data: Uint8Array): Promise<NativeFrame> {
  const f = parseCompressedFormat(format);
  const actual = sniff(data);
  if (actual !== f.compression)
    throw new Error(
      `CompressedImage format '${format}' says ${f.compression} but the data (${data.length} bytes) is ` +
        (actual ? `${actual}` : `not a ${f.compression} image`),
    );
  // sharp's default failOn ('warning') refuses truncated and corrupt files instead of guessing.
  const input = sharp(data, { limitInputPixels: MAX_SIDE * MAX_SIDE });
  let meta: Metadata;
  try {
    meta = await input.metadata();
  } catch (e) {
    throw new Error(`corrupt ${f.compression} data: ${(e as Error).message.split('\n')[0]}`);
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE)
    throw new Error(`${f.compression} image size ${w}x${h} is outside 1..${MAX_SIDE} a side`);
  const mono = f.sourceEncoding !== null ? MONO.has(f.sourceEncoding) : meta.channels === 1;
  const pipeline = mono ? input.toColourspace('b-w') : input.removeAlpha().toColourspace('srgb');
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`corrupt ${f.compression} data: ${(e as Error).message.split('\n')[0]}`);
  }
  const { width, height, channels } = out.info;
  if (channels !== (mono ? 1 : 3))
    throw new Error(`${f.compression} image decoded to ${channels} channels, expected ${mono ? 1 : 3}`);
  return { encoding: mono ? 'mono8' : 'rgb8', width, height, step: width * channels, data: out.data };
}
