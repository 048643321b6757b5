// Small synthetic bags for tests: rgb8 frames with a mono8 label each, same stamps.
import { createBag } from '../../src/bag';
import type { StorageId } from '../../src/bag';
import { encodeImage, IMAGE_TYPE, ImageMessage, nsToTime } from '../../src/msg';
import { randomBytes } from './frames';

export const T0 = 1_700_000_000_000_000_000n;
export const PERIOD = 66_666_667n;

export function image(i: number, width: number, height: number, encoding: string, channels: number, pad = 0): ImageMessage {
  const step = width * channels + pad;
  return {
    header: { stamp: nsToTime(T0 + BigInt(i) * PERIOD), frame_id: 'camera' },
    height,
    width,
    encoding,
    is_bigendian: 0,
    step,
    data: randomBytes(step * height, 1000 + i * 7 + channels),
  };
}

/** Writes `frames` image + label pairs; returns the encoded messages in write order. */
export async function writeImageBag(
  dir: string,
  format: StorageId,
  frames: number,
  size: [number, number] = [7, 5],
): Promise<{ topic: string; logTime: bigint; data: Uint8Array }[]> {
  const bag = await createBag(dir, { format, rosDistro: 'jazzy' });
  await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
  await bag.addTopic({ name: '/camera/label_gt', type: 'sensor_msgs/msg/Image' });
  const written = [];
  for (let i = 0; i < frames; i++) {
    const t = T0 + BigInt(i) * PERIOD;
    const img = encodeImage(image(i, size[0], size[1], 'rgb8', 3, 1));
    const lab = encodeImage(image(i, size[0], size[1], 'mono8', 1));
    await bag.write('/camera/image_raw', t, img);
    await bag.write('/camera/label_gt', t, lab);
    written.push({ topic: '/camera/image_raw', logTime: t, data: img }, { topic: '/camera/label_gt', logTime: t, data: lab });
  }
  await bag.close();
  return written;
}
