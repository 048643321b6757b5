// sensor_msgs/Image and sensor_msgs/CompressedImage: typed CDR encode/decode and the checks a
// consumer needs before touching the pixels.
import type { Frame } from '../engine/engine';
import { loadAddon } from '../engine/native';
import { CdrCodec } from './cdr-codec';
import { COMPRESSED_IMAGE_TYPE, IMAGE_TYPE } from './definitions';
import type { Header } from './time';

export interface ImageMessage {
  header: Header;
  height: number;
  width: number;
  encoding: string;
  is_bigendian: number;
  /** Bytes per row, padding included. */
  step: number;
  data: Uint8Array;
}

export interface CompressedImageMessage {
  header: Header;
  /** e.g. "jpeg", "png" or image_transport's "rgb8; jpeg compressed bgr8". */
  format: string;
  data: Uint8Array;
}

let imageCodec: CdrCodec<ImageMessage> | undefined;
let compressedCodec: CdrCodec<CompressedImageMessage> | undefined;
const images = () => (imageCodec ??= new CdrCodec<ImageMessage>(IMAGE_TYPE));
const compressed = () => (compressedCodec ??= new CdrCodec<CompressedImageMessage>(COMPRESSED_IMAGE_TYPE));

export function encodeImage(msg: ImageMessage): Uint8Array {
  return images().encode(msg);
}

/** The pixel data is a view into `bytes`, not a copy. */
export function decodeImage(bytes: Uint8Array): ImageMessage {
  return images().decode(bytes);
}

export function encodeCompressedImage(msg: CompressedImageMessage): Uint8Array {
  return compressed().encode(msg);
}

export function decodeCompressedImage(bytes: Uint8Array): CompressedImageMessage {
  return compressed().decode(bytes);
}

/**
 * A raw Image as an engine frame, a view of its pixels, after the engine's own frame checks
 * (encoding, size, step, data length): a frame that comes out of here is one the engine takes.
 */
export function imageFrame(msg: ImageMessage): Frame {
  const { encoding, width, height, step } = msg;
  // rclnodejs hands out plain arrays when typed arrays are off; the engine needs bytes.
  const data = msg.data instanceof Uint8Array ? msg.data : Uint8Array.from(msg.data as ArrayLike<number>);
  const frame = { encoding, width, height, step, data };
  loadAddon().checkImage(frame);
  return frame;
}

/**
 * The pixels of a mono8 image (a label map) as width*height bytes without row padding: the
 * message's own data when rows are tight, else a copy. Throws naming the problem otherwise.
 */
export function mono8Pixels(msg: ImageMessage, what: string): Uint8Array {
  const { width, height, step, data, encoding } = msg;
  if (encoding !== 'mono8' && encoding !== '8UC1') {
    throw new Error(`${what}: encoding '${encoding}' is not a label map (expected mono8)`);
  }
  if (width < 1 || height < 1) throw new Error(`${what}: empty image (${width}x${height})`);
  if (step < width) throw new Error(`${what}: step ${step} is smaller than the width ${width}`);
  const need = step * (height - 1) + width;
  if (data.length < need) {
    throw new Error(`${what}: ${data.length} bytes of data, a ${width}x${height} mono8 image with step ${step} needs ${need}`);
  }
  if (step === width) return data.subarray(0, width * height);
  const tight = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) tight.set(data.subarray(y * step, y * step + width), y * width);
  return tight;
}
