// attendseg segment: the engine over a bag, an image folder or one image, without ROS.
import type { Command } from 'commander';

import { CHUNK_COMPRESSIONS } from '../../bag/chunk-compression';
import type { ChunkCompression } from '../../bag/chunk-compression';
import { BAG_DEFAULTS } from '../../bag/create-bag';
import { segment, OUTPUT_NAMES, OutputName } from '../../eval/segment';
import { alpha, choice, list, loadEngine, maxActivationOption, MODEL_HELP, size, threadsOption } from '../options';
import { paramDefault } from '../../pipeline/params';
import { progressBar } from '../progress';
import { checkStrict, rejectedSuffix, strictOption, warnRejected } from '../rejected-frames';

interface Options {
  out: string;
  format?: 'bag' | 'png';
  storage: 'mcap' | 'sqlite3';
  compression: ChunkCompression;
  imageTopic?: string;
  outputs: OutputName[];
  copy?: string;
  model?: string;
  threads: number;
  maxActivationMb: number;
  size?: [number, number];
  alpha: number;
  labelResolution: 'input' | 'network';
  labelTopic?: string;
  overlayTopic?: string;
  colorizedTopic?: string;
  strict?: boolean;
  confidenceTopic?: string;
}

export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description('segment a bag\'s image topic, an image folder or one image; write a bag or PNG files')
    .argument('<input>', 'bag (directory, .mcap or .db3), image folder, or image file')
    .requiredOption('--out <path>', 'output bag directory, or folder for PNG files')
    .option('--format <fmt>', 'bag or png (default: bag for a bag input, png otherwise)', choice('--format', ['bag', 'png'] as const))
    .option('--storage <storage>', 'output bag storage: mcap or sqlite3', choice('--storage', ['mcap', 'sqlite3'] as const), BAG_DEFAULTS.format)
    .option('--compression <c>', 'output bag MCAP chunk compression: none, zstd (what ros2 bag record -s mcap writes by default) or lz4; sqlite3 takes none only', choice('--compression', CHUNK_COMPRESSIONS), BAG_DEFAULTS.compression)
    .option('--image-topic <topic>', 'input image topic (Image or CompressedImage; default /camera/image_raw, then its /compressed)')
    .option('--outputs <list>', `any of ${OUTPUT_NAMES.join(', ')}`, list('--outputs', OUTPUT_NAMES), ['label', 'overlay'])
    .option('--copy <topics>', 'comma-separated input topics copied unchanged into the output bag (e.g. /camera/label_gt)')
    .option('--label-topic <topic>', 'output topic for the label map (default /attendseg/label)')
    .option('--overlay-topic <topic>', 'output topic for the overlay (default /attendseg/overlay)')
    .option('--colorized-topic <topic>', 'output topic for the colorized labels (default /attendseg/colorized)')
    .option('--confidence-topic <topic>', 'output topic for the confidence map (default /attendseg/confidence)')
    .option('--model <file>', MODEL_HELP)
    .addOption(threadsOption())
    .addOption(maxActivationOption())
    .option('--size <WxH>', 'network input size (default: the model metadata)', size('--size'))
    .option('--alpha <a>', 'overlay class-colour weight 0..1', alpha('--alpha'), paramDefault<number>('overlay_alpha'))
    .option('--label-resolution <res>', 'input or network', choice('--label-resolution', ['input', 'network'] as const), paramDefault<'input' | 'network'>('label_resolution'))
    .addOption(strictOption())
    .action(async (input: string, o: Options) => {
      const { engine } = loadEngine(o.model, o);
      const progress = progressBar('segment');
      try {
        const r = await segment({
          engine,
          input,
          output: o.out,
          outputFormat: o.format,
          bagFormat: o.storage,
          bagCompression: o.compression,
          imageTopic: o.imageTopic,
          outputs: o.outputs,
          topics: { label: o.labelTopic, overlay: o.overlayTopic, colorized: o.colorizedTopic, confidence: o.confidenceTopic },
          copyTopics: o.copy ? o.copy.split(',').map((t) => t.trim()) : [],
          segment: {
            networkWidth: o.size?.[0],
            networkHeight: o.size?.[1],
            overlayAlpha: o.alpha,
            labelResolution: o.labelResolution,
          },
          onProgress: (d, t) => progress.update(d, t),
        });
        progress.stop();
        for (const s of r.skipped) console.warn(`warning: skipped: ${s}`);
        warnRejected(r.rejected);
        const lat = r.latency ? `, latency p50 ${r.latency.p50.toFixed(1)} ms, p95 ${r.latency.p95.toFixed(1)} ms` : '';
        // A run that segmented nothing did not do what was asked, whatever else it wrote.
        if (r.frames === 0) throw new Error(`no frames segmented from ${input}${o.imageTopic ? ` (topic ${o.imageTopic})` : ''}`);
        console.log(`segmented ${r.frames} frames in ${r.wallSeconds.toFixed(2)} s: ${r.fps.toFixed(2)} fps${lat} (${engine.isa}, ${engine.threads} thread${engine.threads === 1 ? "" : "s"}) -> ${r.output}${rejectedSuffix(r.rejected)}`);
        checkStrict(o.strict, r.rejected, r.frames);
      } finally {
        progress.stop();
      }
    });
}
