// The evaluation as JSON: scores in percent at the top level, then the details.
import type { EvalReport } from './report';

const r3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

export function reportJson(r: EvalReport): Record<string, unknown> {
  const perClass = (key: 'iou' | 'accuracy') => Object.fromEntries(r.scores.perClass.map((c) => [c.name, r3(c[key])]));
  return {
    miou: r3(r.scores.miou),
    pixel_accuracy: r3(r.scores.pixelAccuracy),
    class_average_accuracy: r3(r.scores.classAverageAccuracy),
    per_class_iou: perClass('iou'),
    per_class_accuracy: perClass('accuracy'),
    frames: {
      matched: r.frames.matched,
      missing_prediction: r.frames.missingPrediction,
      missing_ground_truth: r.frames.missingGroundTruth,
      duplicate_stamps: r.frames.duplicates,
    },
    pixels: { scored: r.scores.scoredPixels, ignored: r.ignoredPixels },
    latency_ms: r.latency && {
      p50: r3(r.latency.p50),
      p95: r3(r.latency.p95),
      p99: r3(r.latency.p99),
      mean: r3(r.latency.mean),
      max: r3(r.latency.max),
      measures: r.latencyMeaning,
    },
    engine_stage_ms: r.engineTiming && {
      preprocess: r3(r.engineTiming.preprocessMs),
      network: r3(r.engineTiming.networkMs),
      postprocess: r3(r.engineTiming.postprocessMs),
    },
    throughput_fps: r3(r.throughputFps),
    wall_seconds: r3(r.wallSeconds),
    mode: r.mode,
    source: r.source,
    model: r.model && {
      path: r.model.path,
      isa: r.model.isa,
      threads: r.model.threads,
      network_size: [r.model.networkWidth, r.model.networkHeight],
    },
    classes: r.classNames,
    ignore_index: r.ignoreIndex,
    // Rows: ground-truth class; columns: predicted class; pixel counts.
    confusion_matrix: r.confusion,
    skipped: r.skipped,
    rejected_frames: { count: r.rejected.length, reasons: r.rejected },
  };
}
