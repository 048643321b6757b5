// ROS 2 messages without ROS: definitions as rosbag2 stores them, CDR encode/decode, and the
// step from an image message through the engine to output messages.
export { COMPRESSED_IMAGE_TYPE, IMAGE_TYPE, fullTypeName, messageDefinition } from './definitions';
export { CdrCodec } from './cdr-codec';
export {
  decodeCompressedImage,
  decodeImage,
  encodeCompressedImage,
  encodeImage,
  mono8Pixels,
} from './image';
export type { CompressedImageMessage, ImageMessage } from './image';
export { formatStamp, nsToTime, secondsToNs, timeToNs } from './time';
export type { Header, Time } from './time';
export { compressFrame, compressionOf, compressedToFrame, decodeToFrame } from './compressed';
export type { Compression } from './compressed';
export { decodeInput, inputFrame, inputHeader, outputImages, segmentInput } from './segment-message';
export type { InputImage, OutputImages } from './segment-message';
