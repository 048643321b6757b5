// An image folder with ground-truth label PNGs (CamVid layout: train/ and trainannot/, same file
// names) into a rosbag2 bag: images as sensor_msgs/Image (rgb8, bgr8) or CompressedImage (jpeg,
// png) and labels as mono8 Images, one frame every 1/rate seconds in file-name order, both topics
// with the same header stamp.
import * as fs from 'fs';
import * as path from 'path';

import type { ChunkCompression } from '../bag/chunk-compression';
import { createBag } from '../bag/create-bag';
import type { StorageId } from '../bag/types';
import type { Frame } from '../engine/engine';
import { compressFrame } from '../msg/compressed';
import { COMPRESSED_IMAGE_TYPE, IMAGE_TYPE } from '../msg/definitions';
import { encodeCompressedImage, encodeImage } from '../msg/image';
import { nsToTime, secondsToNs } from '../msg/time';
import { DEFAULT_GT_TOPIC, DEFAULT_IMAGE_TOPIC } from './bag-topics';
import { listImages, readImageFile, readLabelFile, stem } from './image-files';

export type FolderImageEncoding = 'rgb8' | 'bgr8' | 'jpeg' | 'png';

export interface FolderToBagOptions {
  images: string;
  /** Label folder; undefined: the CamVid sibling "<images>annot" when it exists; null: none. */
  labels?: string | null;
  out: string;
  format?: StorageId;
  /** MCAP chunk compression (default none; sqlite3: none only). */
  compression?: ChunkCompression;
  encoding?: FolderImageEncoding;
  /** JPEG quality 1..100. */
  quality?: number;
  /** Frames per second of the header stamps. */
  rate?: number;
  /** Stamp of the first frame, ns since the epoch. */
  startTime: bigint;
  frameId?: string;
  imageTopic?: string;
  gtTopic?: string;
  /** Keep every n-th image (1: all). */
  every?: number;
  limit?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface FolderToBagResult {
  frames: number;
  imageTopic: string;
  gtTopic: string | null;
  bag: string;
}

function labelFolder(o: FolderToBagOptions): string | null {
  if (o.labels === null) return null;
  if (o.labels !== undefined) return o.labels;
  const sibling = `${o.images.replace(/[/\\]+$/, '')}annot`;
  return fs.existsSync(sibling) ? sibling : null;
}

function toBgr(frame: Frame): Frame {
  if (frame.encoding !== 'rgb8') return frame;
  const data = Buffer.from(frame.data);
  for (let i = 0; i < data.length; i += 3) {
    const r = data[i];
    data[i] = data[i + 2];
    data[i + 2] = r;
  }
  return { ...frame, encoding: 'bgr8', data };
}

/** Defaults of bagFromFolder, which the CLI shows and passes on. */
export const FOLDER_TO_BAG_DEFAULTS = { encoding: 'rgb8', quality: 90, rate: 15, every: 1, frameId: 'camera' } as const;

export async function bagFromFolder(o: FolderToBagOptions): Promise<FolderToBagResult> {
  const encoding = o.encoding ?? FOLDER_TO_BAG_DEFAULTS.encoding;
  if (!['rgb8', 'bgr8', 'jpeg', 'png'].includes(encoding)) throw new Error(`image encoding '${encoding}' is not rgb8, bgr8, jpeg or png`);
  const rate = o.rate ?? FOLDER_TO_BAG_DEFAULTS.rate;
  if (!(rate > 0 && Number.isFinite(rate))) throw new Error(`rate ${rate} is not a positive number of frames per second`);
  const every = o.every ?? FOLDER_TO_BAG_DEFAULTS.every;
  if (!Number.isInteger(every) || every < 1) throw new Error(`every ${every} is not a positive integer`);
  const quality = o.quality ?? FOLDER_TO_BAG_DEFAULTS.quality;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new Error(`JPEG quality ${quality} is outside 1..100`);
  const compressed = encoding === 'jpeg' || encoding === 'png';
  const baseTopic = o.imageTopic ?? DEFAULT_IMAGE_TOPIC;
  const imageTopic = compressed ? `${baseTopic}/compressed` : baseTopic;
  const gtTopic = o.gtTopic ?? DEFAULT_GT_TOPIC;
  const labels = labelFolder(o);

  let files = listImages(o.images).filter((_, i) => i % every === 0);
  if (o.limit !== undefined) files = files.slice(0, o.limit);
  const labelFiles = new Map(labels ? listImages(labels).map((f) => [stem(f), f]) : []);
  for (const f of files) {
    if (labels && !labelFiles.has(stem(f))) throw new Error(`no label for ${path.basename(f)} in ${labels}`);
  }

  const bag = await createBag(o.out, { format: o.format, compression: o.compression });
  try {
    await bag.addTopic({ name: imageTopic, type: compressed ? COMPRESSED_IMAGE_TYPE : IMAGE_TYPE });
    if (labels) await bag.addTopic({ name: gtTopic, type: IMAGE_TYPE });
    for (let i = 0; i < files.length; i++) {
      // From the start each time, so rounding does not add up over a long folder.
      const t = o.startTime + secondsToNs(i / rate);
      const header = { stamp: nsToTime(t), frame_id: o.frameId ?? FOLDER_TO_BAG_DEFAULTS.frameId };
      // Gray files come out as rgb8 too (sharp widens them), so every frame is colour here.
      let frame = await readImageFile(files[i]);
      if (labels) {
        const labelFile = labelFiles.get(stem(files[i]))!;
        const label = await readLabelFile(labelFile);
        if (label.width !== frame.width || label.height !== frame.height) {
          throw new Error(`${files[i]} is ${frame.width}x${frame.height} but its label ${labelFile} is ${label.width}x${label.height}`);
        }
        // The label first: a reader that sees an image can already have its ground truth.
        const msg = { header, height: label.height, width: label.width, encoding: 'mono8', is_bigendian: 0, step: label.width, data: label.data };
        await bag.write(gtTopic, t, encodeImage(msg));
      }
      if (compressed) {
        const { format, data } = await compressFrame(frame, encoding as 'jpeg' | 'png', quality);
        await bag.write(imageTopic, t, encodeCompressedImage({ header, format, data }));
      } else {
        if (encoding === 'bgr8') frame = toBgr(frame);
        const { width, height, step, data } = frame;
        await bag.write(imageTopic, t, encodeImage({ header, height, width, encoding: frame.encoding, is_bigendian: 0, step, data }));
      }
      o.onProgress?.(i + 1, files.length);
    }
  } catch (e) {
    await bag.discard();
    throw e;
  }
  await bag.close();
  return { frames: files.length, imageTopic, gtTopic: labels ? gtTopic : null, bag: o.out };
}
