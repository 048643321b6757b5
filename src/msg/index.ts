// ROS 2 messages without ROS: definitions as rosbag2 stores them, CDR encode/decode, and the
// one path from an image message to an engine frame and from engine results to output messages.
export { COMPRESSED_IMAGE_TYPE, IMAGE_TYPE, fullTypeName, messageDefinition } from './definitions';
export { CdrCodec } from './cdr-codec';
export {
  decodeCompressedImage,
  decodeImage,
  encodeCompressedImage,
  encodeImage,
  imageFrame,
  mono8Pixels,
} from './image';
export type { CompressedImageMessage, ImageMessage } from './image';
export { formatStamp, nsToTime, secondsToNs, timeToNs } from './time';
export type { Header, Time } from './time';
export {
  compressFrame,
  compressedToFrame,
  decodeCompressed,
  decodeImageFile,
  openImage,
  parseCompressedFormat,
  sniffCompression,
} from './compressed';
export type { Compression, CompressedFormat, OpenedImage } from './compressed';
export { decodeInput, inboundFrame, inputFrame, inputHeader, outputImages, segmentInput } from './segment-message';
export type { InboundImage, InputImage, OutputImages } from './segment-message';
