// ROS 2 messages without ROS: definitions as rosbag2 stores them and CDR encode/decode.
export { COMPRESSED_IMAGE_TYPE, IMAGE_TYPE, fullTypeName, knownType, messageDefinition } from './definitions';
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
