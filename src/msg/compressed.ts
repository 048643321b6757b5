// Compressed images (sensor_msgs/CompressedImage payloads and PNG/JPEG files) to and from engine
// frames, with sharp. Every decode goes through openImage: the magic bytes must be PNG or JPEG
// (and match what the format string or file says), and the header's size must be within the
// engine's limit before a pixel is decoded, so a small file cannot expand to gigabytes.
// `format` follows image_transport: "jpeg", "png", or "<source encoding>; <jpeg|png> compressed
// <encoding>", e.g. "bgr8; jpeg compressed bgr8". Compressed files store colours in their own
// (RGB) order whatever the source encoding, so colour images decode to rgb8 and mono ones to mono8.
import sharp from 'sharp';
import type { Metadata, OutputInfo, Sharp } from 'sharp';

import type { Frame } from '../engine/engine';
import { loadAddon } from '../engine/native';
import type { CompressedImageMessage } from './image';

export type Compression = 'jpeg' | 'png';

export interface CompressedFormat {
  compression: Compression;
  /** The encoding the camera image had before compression, when the format names it. */
  sourceEncoding: string | null;
}

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

/** The compression the data's magic bytes say, or null for anything else (SVG, GIF, text...). */
export function sniffCompression(data: Uint8Array): Compression | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length >= 8 && png.every((b, i) => data[i] === b)) return 'png';
  return null;
}

/** A PNG or JPEG opened for decoding, its header read and its size checked; nothing decoded yet. */
export interface OpenedImage {
  compression: Compression;
  image: Sharp;
  meta: Metadata;
}

/**
 * Checks the magic bytes (against `expected` when given), reads the header and refuses sizes
 * past the engine's limit a side; throws naming the problem.
 */
export async function openImage(data: Uint8Array, expected?: Compression): Promise<OpenedImage> {
  const actual = sniffCompression(data);
  if (expected && actual !== expected)
    throw new Error(`the data (${data.length} bytes) is ${actual ? `${actual}` : `not a ${expected} image`}`);
  if (!actual) throw new Error(`the data (${data.length} bytes) is not a PNG or JPEG image`);
  const side = loadAddon().maxImageSide;
  let meta: Metadata;
  try {
    // The header alone (libvips loads pixels lazily), without sharp's own pixel limit, so that
    // a size past ours is reported as a size.
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new Error(`corrupt ${actual} data: ${firstLine(e)}`);
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (w < 1 || h < 1 || w > side || h > side) throw new Error(`${actual} image size ${w}x${h} is outside 1..${side} a side`);
  // sharp's default failOn ('warning') refuses truncated and corrupt files instead of guessing;
  // limitInputPixels stops libvips itself should the data disagree with the header.
  return { compression: actual, image: sharp(data, { limitInputPixels: side * side }), meta };
}

function firstLine(e: unknown): string {
  return (e as Error).message.split('\n')[0];
}

/** Decodes to rgb8, or mono8 when `mono` (gray sources); throws naming the problem. */
async function decodeOpened({ compression, image }: OpenedImage, mono: boolean): Promise<Frame> {
  const pipeline = mono ? image.toColourspace('b-w') : image.removeAlpha().toColourspace('srgb');
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`corrupt ${compression} data: ${firstLine(e)}`);
  }
  const { width, height, channels } = out.info;
  if (channels !== (mono ? 1 : 3)) throw new Error(`${compression} image decoded to ${channels} channels, expected ${mono ? 1 : 3}`);
  return { encoding: mono ? 'mono8' : 'rgb8', width, height, step: width * channels, data: out.data };
}

/** Decodes one CompressedImage payload; throws naming the problem (format, corrupt data, size). */
export async function decodeCompressed(format: string, data: Uint8Array): Promise<Frame> {
  const f = parseCompressedFormat(format);
  let opened: OpenedImage;
  try {
    opened = await openImage(data, f.compression);
  } catch (e) {
    if (sniffCompression(data) === f.compression) throw e;
    throw new Error(`CompressedImage format '${format}' says ${f.compression} but ${(e as Error).message}`);
  }
  const mono = f.sourceEncoding !== null ? MONO.has(f.sourceEncoding) : opened.meta.channels === 1;
  return decodeOpened(opened, mono);
}

/** A CompressedImage message as a frame; errors start with `what` (which frame). */
export async function compressedToFrame(msg: CompressedImageMessage, what = 'compressed image'): Promise<Frame> {
  try {
    return await decodeCompressed(msg.format, msg.data);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** A PNG or JPEG file's bytes as a frame (gray files as mono8); errors start with `what` (the file). */
export async function decodeImageFile(data: Uint8Array, what: string): Promise<Frame> {
  try {
    const opened = await openImage(data);
    return await decodeOpened(opened, opened.meta.channels === 1);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * Compresses an rgb8, bgr8 or mono8 frame; returns the bytes and the format string
 * image_transport would publish for it.
 */
export async function compressFrame(frame: Frame, compression: Compression, quality = 90): Promise<{ format: string; data: Buffer }> {
  const channels = frame.encoding === 'mono8' ? 1 : frame.encoding === 'rgb8' || frame.encoding === 'bgr8' ? 3 : 0;
  if (!channels) throw new Error(`cannot compress encoding '${frame.encoding}' (rgb8, bgr8 or mono8)`);
  let pixels = Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
  if (frame.step !== frame.width * channels || frame.encoding === 'bgr8') pixels = tightRgb(frame, channels);
  const img = sharp(pixels, { raw: { width: frame.width, height: frame.height, channels: channels as 1 | 3 } });
  const data = compression === 'jpeg' ? await img.jpeg({ quality }).toBuffer() : await img.png().toBuffer();
  const target = channels === 1 ? 'mono8' : 'bgr8';
  return { format: `${frame.encoding}; ${compression} compressed ${target}`, data };
}

/** Rows without padding, and bgr8 swapped to rgb (what image files store). */
function tightRgb(frame: Frame, channels: number): Buffer {
  const { width, height, step, data } = frame;
  const out = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * step, y * step + width * channels);
    if (frame.encoding !== 'bgr8') out.set(row, y * width * channels);
    else
      for (let x = 0; x < width * 3; x += 3) {
        const o = y * width * 3 + x;
        out[o] = row[x + 2];
        out[o + 1] = row[x + 1];
        out[o + 2] = row[x];
      }
  }
  return out;
}
