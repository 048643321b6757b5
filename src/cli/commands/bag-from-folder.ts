// attendseg bag-from-folder: images and label PNGs into a rosbag2 bag.
import type { Command } from 'commander';

import { CHUNK_COMPRESSIONS } from '../../bag/chunk-compression';
import type { ChunkCompression } from '../../bag/chunk-compression';
import { BAG_DEFAULTS } from '../../bag/create-bag';
import { bagFromFolder, FolderImageEncoding, FOLDER_TO_BAG_DEFAULTS } from '../../eval/bag-from-folder';
import { DEFAULT_GT_TOPIC, DEFAULT_IMAGE_TOPIC } from '../../eval/bag-topics';
import { secondsToNs } from '../../msg/time';
import { choice, int, numberIn, positiveNumber } from '../options';
import { progressBar } from '../progress';

interface Options {
  labels?: string | false;
  format: 'mcap' | 'sqlite3';
  compression: ChunkCompression;
  encoding: FolderImageEncoding;
  quality: number;
  rate: number;
  startTime?: number;
  frameId: string;
  every: number;
  limit?: number;
  imageTopic: string;
  gtTopic: string;
}

export function registerBagFromFolder(program: Command): void {
  program
    .command('bag-from-folder')
    .description('write images and their ground-truth label PNGs (CamVid layout) into a rosbag2 bag')
    .argument('<images>', 'folder of images (.png, .jpg), taken in file-name order')
    .argument('<out>', 'bag directory to create')
    .option('--labels <dir>', 'label PNGs with the images\' file names (default: <images>annot when it exists)')
    .option('--no-labels', 'write images only')
    .option('--format <storage>', 'mcap or sqlite3', choice('--format', ['mcap', 'sqlite3'] as const), BAG_DEFAULTS.format)
    .option('--compression <c>', 'MCAP chunk compression: none, zstd (what ros2 bag record -s mcap writes by default) or lz4; sqlite3 takes none only', choice('--compression', CHUNK_COMPRESSIONS), BAG_DEFAULTS.compression)
    .option('--encoding <enc>', 'rgb8, bgr8 (Image) or jpeg, png (CompressedImage on <image-topic>/compressed)',
      choice('--encoding', ['rgb8', 'bgr8', 'jpeg', 'png'] as const), FOLDER_TO_BAG_DEFAULTS.encoding)
    .option('--quality <q>', 'JPEG quality 1..100', int('--quality', 1, 100), FOLDER_TO_BAG_DEFAULTS.quality)
    .option('--rate <hz>', 'frames per second of the header stamps', positiveNumber('--rate', 0.001, 1e6), FOLDER_TO_BAG_DEFAULTS.rate)
    .option('--start-time <s>', 'stamp of the first frame, seconds since the epoch (default: now)', numberIn('--start-time', 0, 2 ** 31 - 1))
    .option('--frame-id <id>', 'header frame_id', FOLDER_TO_BAG_DEFAULTS.frameId)
    .option('--every <n>', 'take every n-th image', int('--every', 1), FOLDER_TO_BAG_DEFAULTS.every)
    .option('--limit <n>', 'at most n frames', int('--limit', 1))
    .option('--image-topic <topic>', 'image topic', DEFAULT_IMAGE_TOPIC)
    .option('--gt-topic <topic>', 'ground-truth topic (mono8 sensor_msgs/Image)', DEFAULT_GT_TOPIC)
    .action(async (images: string, out: string, o: Options) => {
      const progress = progressBar('bag-from-folder');
      try {
        const r = await bagFromFolder({
          images,
          labels: o.labels === false ? null : o.labels,
          out,
          format: o.format,
          compression: o.compression,
          encoding: o.encoding,
          quality: o.quality,
          rate: o.rate,
          startTime: secondsToNs(o.startTime ?? Date.now() / 1000),
          frameId: o.frameId,
          every: o.every,
          limit: o.limit,
          imageTopic: o.imageTopic,
          gtTopic: o.gtTopic,
          onProgress: (d, t) => progress.update(d, t),
        });
        progress.stop();
        const storage = o.compression === 'none' ? o.format : `${o.format}, ${o.compression} chunks`;
        console.log(`wrote ${r.frames} frames to ${r.bag} (${storage}): ${r.imageTopic}${r.gtTopic ? ` and ${r.gtTopic}` : ''}`);
      } finally {
        progress.stop();
      }
    });
}
