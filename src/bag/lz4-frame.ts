// LZ4 frame encoder for MCAP chunks ("lz4" compression is the LZ4 frame format). The decoder is
// @foxglove/wasm-lz4, which only decompresses, so writing needs this: greedy LZ4 block
// compression (one hash probe per position, skipping ahead on long misses, as LZ4's fast mode),
// independent blocks of at most 4 MiB, the content size in the header, no checksums (MCAP chunks
// carry their own CRC).

const MAGIC = 0x184d2204;
const BLOCK_MAX = 4 << 20;
/** FLG: version 01, independent blocks, content size present. BD: 4 MiB block maximum. */
const FLG = 0b0110_1000;
const BD = 7 << 4;
const MIN_MATCH = 4;
/** The last 5 bytes of a block are literals, and the last match starts 12 bytes before its end. */
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 0xffff;
const HASH_LOG = 16;

const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

function read32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** XXH32 with seed 0 of fewer than 16 bytes: all the frame header checksum ever covers. */
export function xxh32Short(b: Uint8Array): number {
  if (b.length >= 16) throw new Error('xxh32Short takes fewer than 16 bytes');
  let h = (P5 + b.length) >>> 0;
  let i = 0;
  for (; i + 4 <= b.length; i += 4) h = Math.imul(rotl((h + Math.imul(read32(b, i), P3)) | 0, 17), P4);
  for (; i < b.length; i++) h = Math.imul(rotl((h + Math.imul(b[i], P5)) | 0, 11), P1);
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

function writeLength(out: Uint8Array, op: number, n: number): number {
  for (; n >= 255; n -= 255) out[op++] = 255;
  out[op++] = n;
  return op;
}

/** One LZ4 block (raw block format) of src[start, end); matches stay inside the block. */
export function compressBlock(src: Uint8Array, start = 0, end = src.length): Uint8Array {
  const n = end - start;
  const out = new Uint8Array(n + Math.ceil(n / 255) + 16);
  let op = 0;
  let anchor = start;
  const emit = (litEnd: number, offset: number, matchLength: number) => {
    const lit = litEnd - anchor;
    const token = op++;
    out[token] = Math.min(lit, 15) << 4;
    if (lit >= 15) op = writeLength(out, op, lit - 15);
    out.set(src.subarray(anchor, litEnd), op);
    op += lit;
    if (matchLength === 0) return; // the last sequence: literals only
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    const m = matchLength - MIN_MATCH;
    out[token] |= Math.min(m, 15);
    if (m >= 15) op = writeLength(out, op, m - 15);
  };
  if (n > MF_LIMIT) {
    const table = new Int32Array(1 << HASH_LOG).fill(-1);
    const lastMatchStart = end - MF_LIMIT;
    const matchEnd = end - LAST_LITERALS;
    let ip = start;
    // LZ4's acceleration: after 64 misses in a row the probe skips ahead, one more byte per 64
    // misses, so incompressible data passes quickly.
    let misses = 0;
    while (ip <= lastMatchStart) {
      const seq = read32(src, ip);
      const h = Math.imul(seq, P1) >>> (32 - HASH_LOG);
      const ref = table[h];
      table[h] = ip;
      if (ref < 0 || ip - ref > MAX_OFFSET || read32(src, ref) !== seq) {
        ip += 1 + (misses++ >> 6);
        continue;
      }
      misses = 0;
      let s = ip;
      let r = ref;
      while (s > anchor && r > start && src[s - 1] === src[r - 1]) {
        s--;
        r--;
      }
      let e = ip + MIN_MATCH;
      while (e < matchEnd && src[e] === src[e - ip + ref]) e++;
      emit(s, s - r, e - s);
      anchor = e;
      ip = e;
    }
  }
  emit(end, 0, 0);
  return out.subarray(0, op);
}

/** An LZ4 frame of `data`; a block that does not shrink is stored as it is. */
export function lz4FrameCompress(data: Uint8Array): Uint8Array {
  const descriptor = new Uint8Array(10);
  const dv = new DataView(descriptor.buffer);
  descriptor[0] = FLG;
  descriptor[1] = BD;
  dv.setBigUint64(2, BigInt(data.length), true);
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(4 + descriptor.length + 1);
  new DataView(head.buffer).setUint32(0, MAGIC, true);
  head.set(descriptor, 4);
  head[head.length - 1] = (xxh32Short(descriptor) >>> 8) & 0xff;
  parts.push(head);
  for (let at = 0; at < data.length; at += BLOCK_MAX) {
    const end = Math.min(at + BLOCK_MAX, data.length);
    const packed = compressBlock(data, at, end);
    const stored = packed.length < end - at;
    const size = new Uint8Array(4);
    // The high bit marks a block stored uncompressed.
    new DataView(size.buffer).setUint32(0, stored ? packed.length : (end - at) | 0x80000000, true);
    parts.push(size, stored ? packed : data.subarray(at, end));
  }
  parts.push(new Uint8Array(4)); // end mark
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
