// Scores the engine against ground truth: (a) a bag's image topic against its label topic, frames
// matched by header stamp; (c) an image folder against a folder of label PNGs, matched by name.
// Labels are compared at the ground truth's resolution (the engine's label at input resolution).
// A frame whose image cannot be decoded is left out and listed with its reason, as segment does;
// a ground truth that is no label map, or sizes that differ, end the run: the setup is wrong.
import * as path from 'path';

import { openBag } from '../bag/open-bag';
import type { Engine, Frame, SegmentOptions } from '../engine/engine';
import { decodeInput, inputFrame, InputImage } from '../msg/segment-message';
import type { ImageMessage } from '../msg/image';
import { formatStamp, timeToNs } from '../msg/time';
import { DEFAULT_OUTPUT_TOPICS, imageTopic, LABEL_TYPES, requireTopic } from './bag-topics';
import { runFrames, LoopFrame } from './frame-loop';
import { listImages, readImageFile, readLabelFile, stem, LabelMap } from './image-files';
import { decodeLabel, labelMapOf } from './label-map';
import { buildReport, EvalReport, EvalMode } from './report';
import { checkSameSize, Scorer } from './scorer';
import { StampMatcher } from './stamp-matcher';

/** Defaults of the evaluations, which the CLI shows and passes on. */
export const EVAL_DEFAULTS = { samples: 6, maxDelaySeconds: 5 } as const;

export interface ClassSettings {
  classNames: string[];
  palette: Uint8Array;
  ignoreIndex: number | null;
  /** Sample frames kept for pictures (default EVAL_DEFAULTS.samples). */
  samples?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EngineEvalOptions extends ClassSettings {
  engine: Engine;
  modelPath: string;
  networkWidth?: number;
  networkHeight?: number;
}

export interface BagEvalOptions extends EngineEvalOptions {
  imageTopic?: string;
  gtTopic: string;
  /** How long a message waits for its partner with the same stamp, in seconds (default EVAL_DEFAULTS.maxDelaySeconds). */
  maxDelaySeconds?: number;
}

interface FrameContext {
  name: string;
  groundTruth: LabelMap;
}

/** For sample frames the overlay at alpha 0 is the input image as rgb8, for the pictures. */
const SAMPLE: SegmentOptions = { overlay: true, overlayAlpha: 0 };

async function scoreFrames(
  mode: EvalMode,
  source: Record<string, string>,
  o: EngineEvalOptions,
  scorer: Scorer,
  total: number,
  frames: AsyncIterable<LoopFrame<FrameContext>>,
) {
  const segment: SegmentOptions = {
    networkWidth: o.networkWidth,
    networkHeight: o.networkHeight,
    labelResolution: 'input',
    label: true,
    colorized: false,
    overlay: false,
  };
  const loop = await runFrames(o.engine, frames, segment, (c) => c.name, ({ result, context, latencyMs }) => {
    const prediction = { width: result.labelWidth, height: result.labelHeight, data: result.label! };
    scorer.score(context.name, prediction, context.groundTruth, result.overlay ?? undefined);
    scorer.latency.add(latencyMs);
    scorer.addTiming(result.timing);
    o.onProgress?.(scorer.scored, total);
  });
  const m = o.engine.metadata;
  return {
    mode,
    source,
    model: {
      path: o.modelPath,
      isa: o.engine.isa,
      threads: o.engine.threads,
      networkWidth: o.networkWidth ?? m.inputWidth,
      networkHeight: o.networkHeight ?? m.inputHeight,
    },
    classNames: o.classNames,
    palette: o.palette,
    ignoreIndex: o.ignoreIndex,
    scorer,
    latencyMeaning: 'engine run per frame, from submitting the frame to its label map (preprocess, network, argmax)',
    throughputFps: loop.frames > 0 ? loop.frames / (loop.wallMs / 1000) : null,
    wallSeconds: loop.wallMs / 1000,
  };
}

export async function evaluateEngineOnBag(bagPath: string, o: BagEvalOptions): Promise<EvalReport> {
  const bag = await openBag(bagPath);
  try {
    const gt = requireTopic(bag, o.gtTopic, LABEL_TYPES, 'ground-truth');
    const image = imageTopic(bag, o.imageTopic, [gt.name, ...Object.values(DEFAULT_OUTPUT_TOPICS)]);
    if (image.name === gt.name) throw new Error(`the image and ground-truth topics are both ${gt.name}`);
    const total = Math.min(image.messageCount, gt.messageCount);
    const scorer = new Scorer(o.classNames.length, o.ignoreIndex, o.samples ?? EVAL_DEFAULTS.samples);
    const matcher = new StampMatcher<InputImage, ImageMessage>(BigInt(Math.round((o.maxDelaySeconds ?? EVAL_DEFAULTS.maxDelaySeconds) * 1e9)));
    const rejected: string[] = [];
    async function* frames(): AsyncGenerator<LoopFrame<FrameContext>> {
      let index = 0;
      for await (const m of bag.messages({ topics: [image.name, gt.name] })) {
        const at = `message on ${m.topic} received at ${formatStamp(m.logTime)}`;
        let pair;
        if (m.topic === image.name) {
          let input: InputImage;
          try {
            input = decodeInput(image.type, m.data);
          } catch (e) {
            rejected.push(`${at}: ${(e as Error).message}`);
            continue;
          }
          pair = matcher.left(timeToNs(input.message.header.stamp), m.logTime, input);
        } else {
          const label = decodeLabel(m.data, at, rejected);
          if (!label) continue;
          pair = matcher.right(timeToNs(label.header.stamp), m.logTime, label);
        }
        if (!pair) continue;
        const name = `frame stamped ${formatStamp(pair.stamp)}`;
        // The ground truth first: its checks are cheap, an image's decode may not be.
        const groundTruth = labelMapOf(pair.right, `${name} on ${gt.name}`);
        let frame: Frame;
        try {
          frame = await inputFrame(pair.left, `${name} on ${image.name}`);
        } catch (e) {
          rejected.push((e as Error).message);
          continue;
        }
        checkSameSize(name, frame, groundTruth, `image on ${image.name}`);
        yield { frame, options: scorer.wantsSample(index++) ? SAMPLE : undefined, context: { name, groundTruth } };
      }
      matcher.finish();
    }
    const parts = await scoreFrames('engine-on-bag', { bag: bagPath, image_topic: image.name, ground_truth_topic: gt.name }, o, scorer, total, frames());
    return buildReport({
      ...parts,
      missingPrediction: matcher.rightOnly,
      missingGroundTruth: matcher.leftOnly,
      duplicates: matcher.duplicates,
      skipped: bag.problems,
      rejected,
    });
  } finally {
    await bag.close();
  }
}

export async function evaluateEngineOnFolders(imagesDir: string, labelsDir: string, o: EngineEvalOptions): Promise<EvalReport> {
  const images = listImages(imagesDir);
  const labels = new Map(listImages(labelsDir).map((f) => [stem(f), f]));
  const pairs = images.flatMap((img) => {
    const label = labels.get(stem(img));
    return label ? [{ image: img, label }] : [];
  });
  const imageStems = new Set(images.map(stem));
  const missingPrediction = [...labels.keys()].filter((s) => !imageStems.has(s)).length;
  const scorer = new Scorer(o.classNames.length, o.ignoreIndex, o.samples ?? EVAL_DEFAULTS.samples);
  const rejected: string[] = [];
  async function* frames(): AsyncGenerator<LoopFrame<FrameContext>> {
    let index = 0;
    for (const p of pairs) {
      const [image, groundTruth] = await Promise.allSettled([readImageFile(p.image), readLabelFile(p.label)]);
      if (groundTruth.status === 'rejected') throw groundTruth.reason;
      if (image.status === 'rejected') {
        rejected.push((image.reason as Error).message);
        continue;
      }
      const frame = image.value;
      const name = path.basename(p.image);
      checkSameSize(name, frame, groundTruth.value, 'image');
      yield { frame, options: scorer.wantsSample(index++) ? SAMPLE : undefined, context: { name, groundTruth: groundTruth.value } };
    }
  }
  const parts = await scoreFrames('engine-on-folders', { images: imagesDir, labels: labelsDir }, o, scorer, pairs.length, frames());
  return buildReport({
    ...parts,
    missingPrediction,
    missingGroundTruth: images.length - pairs.length,
    duplicates: 0,
    skipped: [],
    rejected,
  });
}
