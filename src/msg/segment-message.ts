// The frame-processing core shared by every consumer of image messages (ROS node pipeline, bag
// tools): an incoming Image or CompressedImage becomes an engine frame, the engine segments it,
// and the outputs become Image messages carrying the input header untouched.
import type { Engine, Frame, SegmentOptions, SegmentationResult } from '../engine/engine';
import { compressedToFrame } from './compressed';
import { COMPRESSED_IMAGE_TYPE, fullTypeName, IMAGE_TYPE } from './definitions';
import { decodeCompressedImage, decodeImage } from './image';
import type { CompressedImageMessage, ImageMessage } from './image';
import type { Header } from './time';

export type InputImage = { kind: 'image'; message: ImageMessage } | { kind: 'compressed'; message: CompressedImageMessage };

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

/** The engine frame of an input: a view of a raw image's pixels, or the decoded compressed one. */
export async function inputFrame(input: InputImage, what = 'image'): Promise<Frame> {
  if (input.kind === 'compressed') return compressedToFrame(input.message, what);
  const { encoding, width, height, step, data } = input.message;
  return { encoding, width, height, step, data };
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
