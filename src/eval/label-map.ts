// Label maps from label messages (mono8 sensor_msgs/Image).
import { decodeImage, mono8Pixels } from '../msg/image';
import type { ImageMessage } from '../msg/image';
import type { LabelMap } from './image-files';

export function labelMapOf(msg: ImageMessage, what: string): LabelMap {
  return { width: msg.width, height: msg.height, data: mono8Pixels(msg, what) };
}

/** Decodes a label message, naming the topic and receive time when it is not one. */
export function decodeLabel(bytes: Uint8Array, what: string): ImageMessage {
  try {
    return decodeImage(bytes);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
