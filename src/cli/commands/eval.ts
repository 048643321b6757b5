// attendseg eval: scores (a) the engine on a bag's image topic against its ground-truth topic,
// (b) two label topics recorded in a bag, or (c) the engine on an image folder against label PNGs.
import * as fs from 'fs';
import * as path from 'path';

import type { Command } from 'commander';

import { importOnnx } from '../../engine/onnx';
import { defaultPalette } from '../../engine/onnx/metadata';
import { DEFAULT_GT_TOPIC } from '../../eval/bag-topics';
import { evaluateEngineOnBag, evaluateEngineOnFolders, ClassSettings, EVAL_DEFAULTS } from '../../eval/evaluate-engine';
import { evaluateRecordedTopics } from '../../eval/evaluate-topics';
import { writePictures } from '../../eval/pictures';
import type { EvalReport } from '../../eval/report';
import { reportJson } from '../../eval/report-json';
import { reportMarkdown } from '../../eval/report-markdown';
import { ignoreIndex, int, loadEngine, maxActivationOption, MODEL_HELP, modelPath, positiveNumber, size, threadsOption } from '../options';
import { progressBar } from '../progress';
import { checkStrict, rejectedSuffix, strictOption, warnRejected } from '../rejected-frames';

interface Options {
  bag?: string;
  imageTopic?: string;
  gtTopic: string;
  predTopic?: string;
  images?: string;
  labels?: string;
  model?: string;
  threads: number;
  maxActivationMb: number;
  size?: [number, number];
  ignore?: number | null;
  classes?: number;
  samples: number;
  maxDelay: number;
  json?: string;
  markdown?: string;
  pictures?: string;
  strict?: boolean;
}

/** Class names and palette for recorded topics: from --classes, else from the model's metadata. */
function recordedClasses(o: Options): { names: string[]; palette: Uint8Array; voidIndex: number | null } {
  if (o.classes !== undefined && !o.model) {
    return { names: Array.from({ length: o.classes }, (_, i) => `class_${i}`), palette: defaultPalette(o.classes), voidIndex: null };
  }
  let file: string;
  try {
    file = modelPath(o.model);
  } catch (e) {
    throw new Error(`${(e as Error).message}; for recorded topics, --classes N is enough`);
  }
  const m = importOnnx(fs.readFileSync(file)).metadata;
  if (o.classes !== undefined && o.classes !== m.classNames.length) {
    throw new Error(`--classes ${o.classes} disagrees with the ${m.classNames.length} classes of ${file}`);
  }
  return { names: m.classNames, palette: m.palette, voidIndex: m.voidIndex };
}

/** Writes a report file; the error names the option and the path (Node's EISDIR says neither). */
function writeReport(option: string, file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EISDIR' ? 'it is a folder' : err.code === 'ENOENT' ? 'its folder does not exist' : err.message;
    throw new Error(`cannot write ${option} ${file}: ${why}`);
  }
}

async function write(report: EvalReport, o: Options): Promise<void> {
  if (o.json) writeReport('--json', o.json, `${JSON.stringify(reportJson(report), null, 2)}\n`);
  let pictures: { confusion: string; iou: string; samples?: string } | undefined;
  if (o.pictures) {
    const files = await writePictures(o.pictures, report);
    if (o.markdown) {
      const rel = (f: string) => path.relative(path.dirname(path.resolve(o.markdown!)), path.join(path.resolve(o.pictures!), f));
      pictures = { confusion: rel(files.confusion), iou: rel(files.iou), samples: files.samples && rel(files.samples) };
    }
  }
  if (o.markdown) writeReport('--markdown', o.markdown, reportMarkdown(report, pictures));
}

function printSummary(r: EvalReport): void {
  for (const s of r.skipped) console.warn(`warning: skipped: ${s}`);
  warnRejected(r.rejected);
  if (r.frames.matched === 0) console.warn('warning: no frame had both a prediction and a ground truth: nothing was scored');
  const f = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)} %`);
  console.log(`mIoU ${f(r.scores.miou)}, pixel accuracy ${f(r.scores.pixelAccuracy)}, class-average accuracy ${f(r.scores.classAverageAccuracy)}`);
  console.log(
    `frames: ${r.frames.matched} matched, ${r.frames.missingPrediction} ground truth without prediction, ` +
      `${r.frames.missingGroundTruth} prediction without ground truth${rejectedSuffix(r.rejected)}`,
  );
  if (r.latency) {
    const fps = r.throughputFps === null ? '' : `, ${r.throughputFps.toFixed(2)} fps`;
    console.log(`latency p50 ${r.latency.p50.toFixed(1)} ms, p95 ${r.latency.p95.toFixed(1)} ms, p99 ${r.latency.p99.toFixed(1)} ms${fps}`);
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('score segmentation against ground truth: the engine on a bag or image folder, or labels recorded in a bag')
    .option('--bag <path>', 'bag to score (directory, .mcap or .db3)')
    .option('--image-topic <topic>', 'input images in the bag (default /camera/image_raw, then its /compressed)')
    .option('--gt-topic <topic>', 'ground-truth labels in the bag (mono8 Image)', DEFAULT_GT_TOPIC)
    .option('--pred-topic <topic>', 'score this recorded label topic against --gt-topic instead of running the engine')
    .option('--images <dir>', 'image folder (scored with --labels)')
    .option('--labels <dir>', 'label PNGs with the images\' file names')
    .option('--model <file>', MODEL_HELP)
    .addOption(threadsOption())
    .addOption(maxActivationOption())
    .option('--size <WxH>', 'network input size (default: the model metadata)', size('--size'))
    .option('--ignore <n|none>', 'ground-truth value left out of the scores (default: the model\'s void index)', ignoreIndex)
    .option('--classes <n>', 'number of classes, for recorded topics without a model', int('--classes', 1, 255))
    .option('--samples <n>', 'sample frames in the pictures', int('--samples', 0, 64), EVAL_DEFAULTS.samples)
    .option('--max-delay <s>', 'longest wait, in receive time, for a frame\'s partner with the same stamp', positiveNumber('--max-delay', 1e-9, 86400), EVAL_DEFAULTS.maxDelaySeconds)
    .option('--json <file>', 'write the report as JSON')
    .option('--markdown <file>', 'write the report as Markdown')
    .option('--pictures <dir>', 'write confusion_matrix.png, per_class_iou.png and samples.png')
    .addOption(strictOption())
    .action(async (o: Options) => {
      const folders = o.images !== undefined || o.labels !== undefined;
      if (folders && o.bag) throw new Error('give either --bag or --images with --labels, not both');
      if (folders && (!o.images || !o.labels)) throw new Error('--images and --labels go together');
      if (!folders && !o.bag) throw new Error('nothing to score: give --bag, or --images with --labels');
      const progress = progressBar('eval');
      const onProgress = (d: number, t: number) => progress.update(d, t);
      let report: EvalReport;
      try {
        if (o.bag && o.predTopic) {
          const c = recordedClasses(o);
          const settings: ClassSettings = { classNames: c.names, palette: c.palette, ignoreIndex: o.ignore !== undefined ? o.ignore : c.voidIndex, samples: o.samples, onProgress };
          report = await evaluateRecordedTopics(o.bag, { ...settings, predictionTopic: o.predTopic, gtTopic: o.gtTopic, maxDelaySeconds: o.maxDelay });
        } else {
          const { engine, path: model } = loadEngine(o.model, o);
          const m = engine.metadata;
          const settings = {
            engine,
            modelPath: model,
            networkWidth: o.size?.[0],
            networkHeight: o.size?.[1],
            classNames: m.classNames,
            palette: m.palette,
            ignoreIndex: o.ignore !== undefined ? o.ignore : m.voidIndex,
            samples: o.samples,
            onProgress,
          };
          report = o.bag
            ? await evaluateEngineOnBag(o.bag, { ...settings, imageTopic: o.imageTopic, gtTopic: o.gtTopic, maxDelaySeconds: o.maxDelay })
            : await evaluateEngineOnFolders(o.images!, o.labels!, settings);
        }
      } finally {
        progress.stop();
      }
      await write(report, o);
      printSummary(report);
      checkStrict(o.strict, report.rejected, report.frames.matched);
    });
}
