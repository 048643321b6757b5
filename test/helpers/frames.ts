// Random camera frames for every encoding, with padded rows and odd sizes, from a seeded generator
// so a failing case can be replayed.
import { Frame, minFrameBytes, minStep } from './image-reference';

/** mulberry32: a small, fast, seeded 32-bit generator. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; ++i) out[i] = Math.floor(r() * 256);
  return out;
}

export interface FrameShape {
  encoding: string;
  width: number;
  height: number;
  /** Bytes added to the smallest legal step (row padding). */
  pad?: number;
  /** Bytes appended after the last plane (data longer than needed). */
  tail?: number;
  seed?: number;
}

/**
 * A frame filled with random bytes, padding included (the engine must never read it). Any width and
 * height work for every encoding: packed YUV and NV21 round the step up to whole chroma pairs.
 */
export function randomFrame(s: FrameShape): Frame {
  const step = minStep(s.encoding, s.width) + (s.pad ?? 0);
  const size = minFrameBytes(s.encoding, s.height, step) + (s.tail ?? 0);
  return { encoding: s.encoding, width: s.width, height: s.height, step, data: randomBytes(size, s.seed ?? 1) };
}

/**
 * A smooth frame (gradients plus a little noise) so that labels form regions rather than noise;
 * the bytes of the first plane and the chroma follow the pattern, padding stays random.
 */
export function smoothFrame(s: FrameShape): Frame {
  const f = randomFrame(s);
  const r = rng((s.seed ?? 1) ^ 0x9e3779b9);
  const { height: H, step, data } = f;
  const wave = (x: number, y: number, k: number) =>
    Math.max(0, Math.min(255, Math.round(128 + 100 * Math.sin((x * (k + 1)) / 7 + (y * (3 - k)) / 5) + (r() - 0.5) * 30)));
  const bytesInRow = Math.min(step, step - (s.pad ?? 0));
  for (let y = 0; y < H; ++y) for (let i = 0; i < bytesInRow; ++i) data[y * step + i] = wave(i, y, i % 3);
  // chroma planes (NV21 / NV24): after the first plane, every row up to the end of the data
  const planeEnd = step * H;
  for (let i = planeEnd; i < data.length - (s.tail ?? 0); ++i) {
    const rowIdx = Math.floor((i - planeEnd) / step);
    data[i] = wave(i % step, rowIdx, 1 + (i % 2));
  }
  return f;
}
