// Label maps from label messages (mono8 sensor_msgs/Image).
import { decodeImage, mono8Pixels } from '../msg/image';
import type { ImageMessage } from '../msg/image';
import type { LabelMap } from './image-files';

export function labelMapOf(msg: ImageMessage, what: string): LabelMap {
  return { width: msg.width, height: msg.height, data: mono8Pixels(msg, what) };
}

/**
 * Decodes a label message; one that cannot be decoded is listed in `rejected` as `what` and the
 * reason, and the result is undefined (the frame is left out, as segment leaves it out).
 */
export function decodeLabel(bytes: Uint8Array, what: string, rejected: string[]): ImageMessage | undefined {
  try {
    return decodeImage(bytes);
  } catch (e) {
    rejected.push(`${what}: ${(e as Error).message}`);
    return undefined;
  }
}
