// sensor_msgs/CompressedImage payloads to and from engine frames, with sharp. The format string
// follows image_transport: "jpeg", "png", or "<encoding>; <jpeg|png> compressed <encoding>".
// Whatever the camera's encoding was, the file stores RGB (or gray, which sharp widens to RGB), so
// frames come out rgb8.
import sharp from 'sharp';

import type { Frame } from '../engine/engine';
import type { CompressedImageMessage } from './image';

export type Compression = 'jpeg' | 'png';

/** The compression a format string names; throws naming the format otherwise. */
export function compressionOf(format: string): Compression {
  const f = format.toLowerCase();
  if (f.includes('compresseddepth')) throw new Error(`compressed format '${format}' (depth images) is not supported`);
  const words = f.split(/[;\s]+/);
  if (words.includes('jpeg') || words.includes('jpg')) return 'jpeg';
  if (words.includes('png')) return 'png';
  throw new Error(`compressed format '${format}' is not supported (jpeg or png)`);
}

/** Decoded pixels as an engine frame: rgb8 (alpha dropped; mono8 only if a decoder yields one channel). */
export async function decodeToFrame(data: Uint8Array, what: string): Promise<Frame> {
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    out = await sharp(data, { failOn: 'error' }).removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`${what}: cannot decode the image (${(e as Error).message})`);
  }
  const { width, height, channels } = out.info;
  if (channels !== 1 && channels !== 3) throw new Error(`${what}: decoded to ${channels} channels (expected gray or RGB)`);
  const encoding = channels === 1 ? 'mono8' : 'rgb8';
  return { encoding, width, height, step: width * channels, data: out.data };
}

export async function compressedToFrame(msg: CompressedImageMessage, what = 'compressed image'): Promise<Frame> {
  compressionOf(msg.format);
  return decodeToFrame(msg.data, what);
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
