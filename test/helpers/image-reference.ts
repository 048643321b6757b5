// Plain TypeScript reference of the engine's fused image stages, written from the contract in
// native/src/kernels/kernels.h and common.cpp: pixel-to-RGB for every encoding, the preprocess
// axis and bilinear blend, the input table, argmax, the label index table, label map / colorize
// and overlay. Every function returns the exact bytes the native stages must produce.

export type EncodingName =
  | 'rgb8'
  | 'bgr8'
  | 'rgba8'
  | 'bgra8'
  | 'mono8'
  | 'uyvy'
  | 'yuv422'
  | 'yuyv'
  | 'yuv422_yuy2'
  | 'nv21'
  | 'nv24';

/** Every ROS spelling the engine accepts. */
export const ENCODINGS: readonly EncodingName[] = [
  'rgb8',
  'bgr8',
  'rgba8',
  'bgra8',
  'mono8',
  'uyvy',
  'yuv422',
  'yuyv',
  'yuv422_yuy2',
  'nv21',
  'nv24',
];

export interface Frame {
  encoding: string;
  width: number;
  height: number;
  step: number;
  data: Uint8Array;
}

type Layout = 'rgb8' | 'bgr8' | 'rgba8' | 'bgra8' | 'mono8' | 'uyvy' | 'yuyv' | 'nv21' | 'nv24';

/** The memory layout behind a ROS encoding name (yuv422 is UYVY, yuv422_yuy2 is YUYV). */
export function layoutOf(encoding: string): Layout {
  switch (encoding) {
    case 'rgb8':
    case 'bgr8':
    case 'rgba8':
    case 'bgra8':
    case 'mono8':
    case 'uyvy':
    case 'yuyv':
    case 'nv21':
    case 'nv24':
      return encoding;
    case 'yuv422':
      return 'uyvy';
    case 'yuv422_yuy2':
      return 'yuyv';
    default:
      throw new Error(`reference: unknown encoding '${encoding}'`);
  }
}

/** Bytes of the first plane per pixel. */
export function bytesPerPixel(encoding: string): number {
  switch (layoutOf(encoding)) {
    case 'rgb8':
    case 'bgr8':
      return 3;
    case 'rgba8':
    case 'bgra8':
      return 4;
    case 'uyvy':
    case 'yuyv':
      return 2;
    default:
      return 1;
  }
}

/** Smallest legal step: packed YUV needs whole 4-byte macropixels, NV21 whole V U pairs. */
export function minStep(encoding: string, width: number): number {
  switch (layoutOf(encoding)) {
    case 'uyvy':
    case 'yuyv':
      return Math.ceil(width / 2) * 4;
    case 'nv21':
      return Math.ceil(width / 2) * 2;
    default:
      return width * bytesPerPixel(encoding);
  }
}

/** Smallest legal data size: every row step bytes, plus the NV21 / NV24 chroma plane. */
export function minFrameBytes(encoding: string, height: number, step: number): number {
  switch (layoutOf(encoding)) {
    case 'nv21':
      return step * height + step * Math.ceil(height / 2);
    case 'nv24':
      return step * height + 2 * step * height;
    default:
      return step * height;
  }
}

// ---- Pixel to RGB ----------------------------------------------------------------------------

function clamp8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * BT.601 video range, integer (OpenCV's formula): 20 fractional bits, round by adding 2^19, then an
 * arithmetic shift. Every intermediate fits in int32, so JavaScript's `>>` is exact here.
 */
export function yuvToRgb(Y: number, U: number, V: number, out: Uint8Array | number[], o = 0): void {
  const y = Math.max(0, Y - 16) * 1220542;
  const u = U - 128;
  const v = V - 128;
  out[o] = clamp8((y + (1 << 19) + 1673527 * v) >> 20);
  out[o + 1] = clamp8((y + (1 << 19) - 852492 * v - 409993 * u) >> 20);
  out[o + 2] = clamp8((y + (1 << 19) + 2116026 * u) >> 20);
}

/** The whole frame converted to tightly packed RGB (width * height * 3). */
export function frameToRgb(f: Frame): Uint8Array {
  const { width: W, height: H, step, data } = f;
  const layout = layoutOf(f.encoding);
  const out = new Uint8Array(W * H * 3);
  const chroma = step * H; // start of the NV21 / NV24 second plane
  for (let y = 0; y < H; ++y) {
    const row = y * step;
    for (let x = 0; x < W; ++x) {
      const o = (y * W + x) * 3;
      switch (layout) {
        case 'rgb8':
          out[o] = data[row + 3 * x];
          out[o + 1] = data[row + 3 * x + 1];
          out[o + 2] = data[row + 3 * x + 2];
          break;
        case 'bgr8':
          out[o] = data[row + 3 * x + 2];
          out[o + 1] = data[row + 3 * x + 1];
          out[o + 2] = data[row + 3 * x];
          break;
        case 'rgba8':
          out[o] = data[row + 4 * x];
          out[o + 1] = data[row + 4 * x + 1];
          out[o + 2] = data[row + 4 * x + 2];
          break;
        case 'bgra8':
          out[o] = data[row + 4 * x + 2];
          out[o + 1] = data[row + 4 * x + 1];
          out[o + 2] = data[row + 4 * x];
          break;
        case 'mono8':
          out[o] = out[o + 1] = out[o + 2] = data[row + x];
          break;
        case 'uyvy': {
          // macropixel U0 Y0 V0 Y1 covers pixels 2k and 2k+1
          const m = row + Math.floor(x / 2) * 4;
          yuvToRgb(data[m + (x % 2 === 1 ? 3 : 1)], data[m], data[m + 2], out, o);
          break;
        }
        case 'yuyv': {
          // macropixel Y0 U0 Y1 V0
          const m = row + Math.floor(x / 2) * 4;
          yuvToRgb(data[m + (x % 2 === 1 ? 2 : 0)], data[m + 1], data[m + 3], out, o);
          break;
        }
        case 'nv21': {
          // chroma: half height, rows of `step` bytes, V U pairs shared by 2x2 pixels
          const c = chroma + Math.floor(y / 2) * step + Math.floor(x / 2) * 2;
          yuvToRgb(data[row + x], data[c + 1], data[c], out, o);
          break;
        }
        case 'nv24': {
          // chroma: full resolution, rows of 2 * step bytes, U V pairs
          const c = chroma + y * 2 * step + x * 2;
          yuvToRgb(data[row + x], data[c], data[c + 1], out, o);
          break;
        }
      }
    }
  }
  return out;
}

// ---- Sampling tables -------------------------------------------------------------------------

export interface ImageAxis {
  i0: number[];
  i1: number[];
  w: number[]; // weight of i1 in 1/2048
}

/**
 * Half-pixel bilinear axis of the preprocess, in double precision (which JavaScript numbers are):
 * src = max(0, (d + 0.5) * in / out - 0.5); the last input pixel and beyond clamp to one pixel.
 */
export function buildImageAxis(inSize: number, outSize: number): ImageAxis {
  const axis: ImageAxis = { i0: [], i1: [], w: [] };
  const scale = inSize / outSize;
  for (let d = 0; d < outSize; ++d) {
    const src = Math.max(0, (d + 0.5) * scale - 0.5);
    const i0 = Math.floor(src);
    if (i0 >= inSize - 1) {
      axis.i0.push(inSize - 1);
      axis.i1.push(inSize - 1);
      axis.w.push(0);
    } else {
      axis.i0.push(i0);
      axis.i1.push(i0 + 1);
      axis.w.push(Math.floor((src - i0) * 2048 + 0.5));
    }
  }
  return axis;
}

/** Nearest label index: src = floor((2 * dst + 1) * in / (2 * out)). */
export function labelIndexTable(inSize: number, outSize: number): number[] {
  const t: number[] = [];
  for (let d = 0; d < outSize; ++d) t.push(Math.floor(((2 * d + 1) * inSize) / (2 * outSize)));
  return t;
}

// ---- Quantization of the network input ---------------------------------------------------------

/** round half to even of a float clamped to +-65536 (the kernels' round()). */
export function roundClamped(x: number): number {
  x = x < -65536 ? -65536 : x > 65536 ? 65536 : x;
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

export interface InputQuant {
  scale: number;
  zeroPoint: number;
  mean: [number, number, number];
  std: [number, number, number];
}

/**
 * The [3][256] table from an 8-bit channel value to the quantized network input, in single
 * precision in the order (p / 255 - mean) / std / scale (Math.fround after every operation is
 * exactly IEEE single arithmetic for + - * /).
 */
export function inputLut(q: InputQuant): Uint8Array {
  const f = Math.fround;
  const lut = new Uint8Array(3 * 256);
  const scale = f(q.scale);
  for (let c = 0; c < 3; ++c) {
    const mean = f(q.mean[c]);
    const std = f(q.std[c]);
    for (let p = 0; p < 256; ++p) {
      const real = f(f(f(p / 255) - mean) / std);
      lut[c * 256 + p] = clamp8(roundClamped(f(real / scale)) + q.zeroPoint);
    }
  }
  return lut;
}

// ---- Stages ----------------------------------------------------------------------------------

/**
 * Fused preprocess: bilinear resize of the RGB frame to net_w x net_h (blend in 1/2048 units,
 * pix = (v + 2^21) >> 22), then out = lut[c * 256 + pix]. NHWC, 3 channels.
 */
export function preprocess(f: Frame, netW: number, netH: number, lut: Uint8Array): Uint8Array {
  const rgb = frameToRgb(f);
  const W = f.width;
  const ys = buildImageAxis(f.height, netH);
  const xs = buildImageAxis(f.width, netW);
  const out = new Uint8Array(netW * netH * 3);
  for (let oy = 0; oy < netH; ++oy) {
    const y0 = ys.i0[oy];
    const y1 = ys.i1[oy];
    const wy = ys.w[oy];
    for (let ox = 0; ox < netW; ++ox) {
      const x0 = xs.i0[ox];
      const x1 = xs.i1[ox];
      const wx = xs.w[ox];
      for (let c = 0; c < 3; ++c) {
        const p00 = rgb[(y0 * W + x0) * 3 + c];
        const p01 = rgb[(y0 * W + x1) * 3 + c];
        const p10 = rgb[(y1 * W + x0) * 3 + c];
        const p11 = rgb[(y1 * W + x1) * 3 + c];
        const v = (p00 * (2048 - wx) + p01 * wx) * (2048 - wy) + (p10 * (2048 - wx) + p11 * wx) * wy;
        out[(oy * netW + ox) * 3 + c] = lut[c * 256 + ((v + (1 << 21)) >> 22)];
      }
    }
  }
  return out;
}

/** Per pixel, the first index of the maximum over `channels` values. */
export function argmax(data: Uint8Array, pixels: number, channels: number): Uint8Array {
  const labels = new Uint8Array(pixels);
  for (let p = 0; p < pixels; ++p) {
    let best = 0;
    for (let c = 1; c < channels; ++c) if (data[p * channels + c] > data[p * channels + best]) best = c;
    labels[p] = best;
  }
  return labels;
}

/**
 * The float confidence the engine's must be within 1 of: per pixel, round(255 * the softmax of
 * the winning class) over the values dequantized with `scale` (the zero point cancels).
 */
export function floatConfidence(data: Uint8Array, pixels: number, channels: number, scale: number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; ++p) {
    const x = data.subarray(p * channels, (p + 1) * channels);
    const m = Math.max(...x);
    let sum = 0;
    for (const v of x) sum += Math.exp(scale * (v - m));
    out[p] = Math.round(255 / sum);
  }
  return out;
}

/** Nearest upsampling of a lw x lh label image to outW x outH. */
export function labelMap(labels: Uint8Array, lw: number, lh: number, outW: number, outH: number): Uint8Array {
  const xs = labelIndexTable(lw, outW);
  const ys = labelIndexTable(lh, outH);
  const out = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; ++y) for (let x = 0; x < outW; ++x) out[y * outW + x] = labels[ys[y] * lw + xs[x]];
  return out;
}

/** rgb = palette[3 * (label % paletteSize)]. */
export function colorize(labels: Uint8Array, palette: Uint8Array): Uint8Array {
  const n = palette.length / 3;
  const out = new Uint8Array(labels.length * 3);
  for (let i = 0; i < labels.length; ++i) {
    const k = (labels[i] % n) * 3;
    out[i * 3] = palette[k];
    out[i * 3 + 1] = palette[k + 1];
    out[i * 3 + 2] = palette[k + 2];
  }
  return out;
}

/** The integer alpha of the overlay: lround(alpha * 256) in single precision (alpha >= 0). */
export function overlayAlphaInt(alpha: number): number {
  return Math.round(Math.fround(Math.fround(alpha) * 256));
}

/**
 * Overlay at input resolution: out = (src * (256 - a) + colour * a + 128) >> 8 per channel, the
 * colour of the label found by nearest upsampling of the lw x lh labels to the frame size.
 */
export function overlay(
  f: Frame,
  labels: Uint8Array,
  lw: number,
  lh: number,
  palette: Uint8Array,
  alpha: number,
): Uint8Array {
  const a = overlayAlphaInt(alpha);
  const rgb = frameToRgb(f);
  const colours = colorize(labelMap(labels, lw, lh, f.width, f.height), palette);
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; ++i) out[i] = (rgb[i] * (256 - a) + colours[i] * a + 128) >> 8;
  return out;
}

// ---- A predictable network: per-channel tables, then a channel concatenation --------------------

/**
 * The reference of the test networks: the quantized input goes through per-channel tables
 * `tables[k]` ([3][256] each); the output channels are the concatenation of those results
 * (3 * tables.length classes).
 */
export function lutNetwork(input: Uint8Array, pixels: number, tables: Uint8Array[]): Uint8Array {
  const C = 3 * tables.length;
  const out = new Uint8Array(pixels * C);
  for (let p = 0; p < pixels; ++p)
    for (let k = 0; k < tables.length; ++k)
      for (let c = 0; c < 3; ++c) {
        const t = tables[k];
        const idx = (t.length === 256 ? 0 : c * 256) + input[p * 3 + c];
        out[p * C + k * 3 + c] = t[idx];
      }
  return out;
}

export interface ReferenceOptions {
  networkWidth: number;
  networkHeight: number;
  labelResolution: 'input' | 'network';
  palette: Uint8Array;
  overlayAlpha: number;
}

export interface ReferenceResult {
  labels: Uint8Array; // at network resolution
  label: Uint8Array; // at the requested label resolution
  labelWidth: number;
  labelHeight: number;
  colorized: Uint8Array;
  overlay: Uint8Array;
  /** floatConfidence at the label resolution (the engine's is within 1 of it). */
  confidence: Uint8Array;
}

/** Every output of one frame through a network that keeps the spatial size (lw = netW). */
export function referenceFrame(
  f: Frame,
  q: InputQuant,
  network: (input: Uint8Array, pixels: number) => { data: Uint8Array; channels: number; scale: number },
  o: ReferenceOptions,
): ReferenceResult {
  const netW = o.networkWidth;
  const netH = o.networkHeight;
  const input = preprocess(f, netW, netH, inputLut(q));
  const y = network(input, netW * netH);
  const labels = argmax(y.data, netW * netH, y.channels);
  const labelWidth = o.labelResolution === 'network' ? netW : f.width;
  const labelHeight = o.labelResolution === 'network' ? netH : f.height;
  const label = labelMap(labels, netW, netH, labelWidth, labelHeight);
  return {
    labels,
    label,
    labelWidth,
    labelHeight,
    colorized: colorize(label, o.palette),
    overlay: overlay(f, labels, netW, netH, o.palette, o.overlayAlpha),
    confidence: labelMap(floatConfidence(y.data, netW * netH, y.channels, y.scale), netW, netH, labelWidth, labelHeight),
  };
}
