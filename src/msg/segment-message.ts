// The frame-processing core shared by every consumer of image messages (the ROS node's frame
// pipeline, segment, eval, the benchmarks): an incoming Image or CompressedImage, serialized or as
// a message object, becomes an engine frame here and nowhere else; the engine segments it, and the
// outputs become Image messages carrying the input header untouched.
import type { Engine, Frame, SegmentOptions, SegmentationResult } from '../engine/engine';
import { compressedToFrame, decodeCompressed } from './compressed';
import { COMPRESSED_IMAGE_TYPE, fullTypeName, IMAGE_TYPE } from './definitions';
import { decodeCompressedImage, decodeImage, imageFrame } from './image';
import type { CompressedImageMessage, ImageMessage } from './image';
import type { Header } from './time';

export type InputImage = { kind: 'image'; message: ImageMessage } | { kind: 'compressed'; message: CompressedImageMessage };

/** What a subscription delivers: serialized CDR bytes or a message object. */
export type InboundImage =
  | { kind: 'image'; message: Uint8Array | ImageMessage }
  | { kind: 'compressed'; message: Uint8Array | CompressedImageMessage };

export interface OutputImages {
  label?: ImageMessage;
  colorized?: ImageMessage;
  overlay?: ImageMessage;
  confidence?: ImageMessage;
}

/** Decodes serialized bytes of an Image or CompressedImage topic; throws for other types. */
export function decodeInput(type: string, bytes: Uint8Array): InputImage {
  const t = fullTypeName(type);
  if (t === IMAGE_TYPE) return { kind: 'image', message: decodeImage(bytes) };
  if (t === COMPRESSED_IMAGE_TYPE) return { kind: 'compressed', message: decodeCompressedImage(bytes) };
  throw new Error(`topic type ${type} is not an image (sensor_msgs/msg/Image or CompressedImage)`);
}

export function inputHeader(input: InputImage): Header {
  return input.message.header;
}

/**
 * The engine frame of an input, checked: a view of a raw image's pixels, or the decoded
 * compressed one. Errors start with `what` (which frame).
 */
export async function inputFrame(input: InputImage, what = 'image'): Promise<Frame> {
  if (input.kind === 'compressed') return compressedToFrame(input.message, what);
  try {
    return imageFrame(input.message);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/** A subscription's message as a checked frame and the header to pass on (errors name the problem alone). */
export async function inboundFrame(input: InboundImage): Promise<{ frame: Frame; header: Header }> {
  if (input.kind === 'image') {
    const m = input.message instanceof Uint8Array ? decodeImage(input.message) : input.message;
    return { frame: imageFrame(m), header: m.header };
  }
  const m = input.message instanceof Uint8Array ? decodeCompressedImage(input.message) : input.message;
  const data = m.data instanceof Uint8Array ? m.data : Uint8Array.from(m.data as ArrayLike<number>);
  return { frame: await decodeCompressed(m.format, data), header: m.header };
}

function image(header: Header, encoding: string, width: number, height: number, channels: number, data: Buffer): ImageMessage {
  return { header, height, width, encoding, is_bigendian: 0, step: width * channels, data };
}

/** The engine's outputs as sensor_msgs/Image messages with the input's header. */
export function outputImages(result: SegmentationResult, header: Header): OutputImages {
  const out: OutputImages = {};
  if (result.label) out.label = image(header, 'mono8', result.labelWidth, result.labelHeight, 1, result.label);
  if (result.colorized) out.colorized = image(header, 'rgb8', result.labelWidth, result.labelHeight, 3, result.colorized);
  if (result.overlay) out.overlay = image(header, 'rgb8', result.overlayWidth, result.overlayHeight, 3, result.overlay);
  if (result.confidence) out.confidence = image(header, 'mono8', result.labelWidth, result.labelHeight, 1, result.confidence);
  return out;
}

/** One message through the engine: frame, raw result and output messages. */
export async function segmentInput(
  engine: Engine,
  input: InputImage,
  options: SegmentOptions = {},
): Promise<{ frame: Frame; result: SegmentationResult; outputs: OutputImages }> {
  const frame = await inputFrame(input);
  const result = await engine.run(frame, options);
  return { frame, result, outputs: outputImages(result, inputHeader(input)) };
}
