// The result of an evaluation, independent of how it is written out.
import type { LatencySummary } from './latency';
import { scores, Scores } from './metrics';
import type { Sample, Scorer } from './scorer';

export type EvalMode = 'engine-on-bag' | 'recorded-topics' | 'engine-on-folders';

export interface ModelInfo {
  path: string;
  isa: string;
  threads: number;
  networkWidth: number;
  networkHeight: number;
}

export interface EvalReport {
  mode: EvalMode;
  /** What was evaluated: bag path and topics, or folders. */
  source: Record<string, string>;
  model: ModelInfo | null;
  classNames: string[];
  palette: Uint8Array;
  ignoreIndex: number | null;
  frames: {
    /** Frames with both a prediction (or input image) and a ground truth, all scored. */
    matched: number;
    /** Ground truth without a prediction (or input image). */
    missingPrediction: number;
    /** Predictions (or input images) without a ground truth. */
    missingGroundTruth: number;
    /** Messages dropped for repeating a stamp already seen on their topic. */
    duplicates: number;
  };
  ignoredPixels: number;
  confusion: number[][];
  scores: Scores;
  latency: LatencySummary | null;
  /** What the latency measures, in words. */
  latencyMeaning: string;
  engineTiming: { preprocessMs: number; networkMs: number; postprocessMs: number } | null;
  throughputFps: number | null;
  wallSeconds: number;
  /** What could not be read and was left out, in plain words. */
  skipped: string[];
  /** Frames left out because a message or image file of theirs could not be decoded, each with its reason. */
  rejected: string[];
  samples: Sample[];
}

export function buildReport(parts: {
  mode: EvalMode;
  source: Record<string, string>;
  model: ModelInfo | null;
  classNames: string[];
  palette: Uint8Array;
  ignoreIndex: number | null;
  scorer: Scorer;
  missingPrediction: number;
  missingGroundTruth: number;
  duplicates: number;
  latencyMeaning: string;
  throughputFps: number | null;
  wallSeconds: number;
  skipped: string[];
  rejected: string[];
}): EvalReport {
  const { scorer } = parts;
  const confusion = scorer.confusion.matrix();
  return {
    mode: parts.mode,
    source: parts.source,
    model: parts.model,
    classNames: parts.classNames,
    palette: parts.palette,
    ignoreIndex: parts.ignoreIndex,
    frames: {
      matched: scorer.scored,
      missingPrediction: parts.missingPrediction,
      missingGroundTruth: parts.missingGroundTruth,
      duplicates: parts.duplicates,
    },
    ignoredPixels: scorer.confusion.ignoredPixels(),
    confusion,
    scores: scores(confusion, parts.classNames, parts.ignoreIndex),
    latency: scorer.latency.summary(),
    latencyMeaning: parts.latencyMeaning,
    engineTiming: scorer.meanTiming(),
    throughputFps: parts.throughputFps,
    wallSeconds: parts.wallSeconds,
    skipped: [...parts.skipped, ...scorer.skipped],
    rejected: parts.rejected,
    samples: scorer.samples,
  };
}
