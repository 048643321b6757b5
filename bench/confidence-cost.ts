// What the confidence map costs: Engine.runSync on the same frame with and without
// `confidence`, timed in rotating blocks in one process so that machine noise hits both alike.
// The label (and the confidence) at the network's resolution, as the engine-vs-ort case.
import { Engine } from '../src/engine/engine';
import { median, round } from './stats';
import { BenchCaseInput, cameraFrame, labelOnly, rgbFrame } from './camera-frame';

export const CONFIDENCE_TARGET = 0.1;

export interface ConfidenceCostResult {
  case: string;
  threads: number;
  width: number;
  height: number;
  isa: string;
  /** The frame without the confidence map (label only). */
  without_ms: number;
  /** The same frame with it. */
  with_ms: number;
  /** with_ms / without_ms - 1 (target <= 10%). */
  added_share: number;
}

export type ConfidenceCostInput = BenchCaseInput;

export function runConfidenceCost(c: ConfidenceCostInput): ConfidenceCostResult {
  const engine = Engine.fromFile(c.modelPath, { threads: c.threads });
  const frame = rgbFrame(c.width, c.height, cameraFrame(c.width, c.height));
  const base = labelOnly(c.width, c.height);
  const without: number[] = [];
  const withConf: number[] = [];
  const contenders: [boolean, number[]][] = [
    [false, without],
    [true, withConf],
  ];
  const run = (confidence: boolean) => {
    const t = process.hrtime.bigint();
    engine.runSync(frame, { ...base, confidence });
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (const [confidence] of contenders) for (let i = 0; i < c.warmup; i++) run(confidence);
  const block = Math.max(1, Math.min(5, c.iterations));
  for (let done = 0; done < c.iterations; done += block) {
    const n = Math.min(block, c.iterations - done);
    for (const [confidence, times] of contenders) for (let i = 0; i < n; i++) times.push(run(confidence));
  }
  const withoutMs = median(without);
  const withMs = median(withConf);
  return {
    case: c.name,
    threads: c.threads,
    width: c.width,
    height: c.height,
    isa: engine.isa,
    without_ms: round(withoutMs, 3),
    with_ms: round(withMs, 3),
    added_share: round(withMs / withoutMs - 1, 4),
  };
}

export function formatConfidenceCost(r: ConfidenceCostResult): string {
  return (
    `${r.case.padEnd(40)} without ${r.without_ms.toFixed(2)} ms  with confidence ${r.with_ms.toFixed(2)} ms  ` +
    `added ${(100 * r.added_share).toFixed(1)}% (target <= ${100 * CONFIDENCE_TARGET}%)`
  );
}
