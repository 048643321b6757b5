// Accumulates the evaluation of one run: confusion matrix, frames matched and missing, latency,
// and a few sample frames kept for pictures.
import { ConfusionMatrix } from './confusion';
import type { LabelMap } from './image-files';
import { LatencyRecorder } from './latency';

export interface Sample {
  name: string;
  width: number;
  height: number;
  /** The input image as rgb8, when there is one (not for recorded label topics). */
  rgb?: Uint8Array;
  prediction: Uint8Array;
  groundTruth: Uint8Array;
}

/** `count` items spread evenly over `items` (all of them when there are fewer). */
export function spread<T>(items: T[], count: number): T[] {
  if (items.length <= count) return items;
  if (count <= 0) return [];
  if (count === 1) return [items[0]];
  return Array.from({ length: count }, (_, i) => items[Math.round((i * (items.length - 1)) / (count - 1))]);
}

/**
 * Keeps sample frames evenly spaced without knowing how many frames will come: every stride-th
 * frame is kept, and when twice the wanted number are held every other one goes and the stride
 * doubles.
 */
export class Scorer {
  readonly confusion: ConfusionMatrix;
  readonly latency = new LatencyRecorder();
  private kept: Sample[] = [];
  private stride = 1;
  readonly skipped: string[] = [];
  scored = 0;
  private readonly timing = { preprocessMs: 0, networkMs: 0, postprocessMs: 0 };
  private timed = 0;

  constructor(
    numClasses: number,
    ignoreIndex: number | null,
    private readonly sampleCount: number,
  ) {
    this.confusion = new ConfusionMatrix(numClasses, ignoreIndex);
  }

  /** Whether frame `index` (in scoring order) may be kept as a sample: callers fetch its image. */
  wantsSample(index: number): boolean {
    return this.sampleCount > 0 && index % this.stride === 0;
  }

  get samples(): Sample[] {
    return spread(this.kept, this.sampleCount);
  }

  score(name: string, prediction: LabelMap, groundTruth: LabelMap, rgb?: Uint8Array): void {
    checkSameSize(name, prediction, groundTruth, 'prediction');
    this.confusion.add(prediction.data, groundTruth.data, name);
    if (this.wantsSample(this.scored)) {
      this.kept.push({
        name,
        width: groundTruth.width,
        height: groundTruth.height,
        rgb: rgb ? Uint8Array.from(rgb) : undefined,
        prediction: Uint8Array.from(prediction.data),
        groundTruth: Uint8Array.from(groundTruth.data),
      });
      if (this.kept.length >= 2 * this.sampleCount) {
        this.kept = this.kept.filter((_, i) => i % 2 === 0);
        this.stride *= 2;
      }
    }
    this.scored++;
  }

  addTiming(t: { preprocessMs: number; networkMs: number; postprocessMs: number }): void {
    this.timing.preprocessMs += t.preprocessMs;
    this.timing.networkMs += t.networkMs;
    this.timing.postprocessMs += t.postprocessMs;
    this.timed++;
  }

  /** Mean engine stage times per frame, or null without engine runs. */
  meanTiming(): { preprocessMs: number; networkMs: number; postprocessMs: number } | null {
    if (this.timed === 0) return null;
    const n = this.timed;
    return { preprocessMs: this.timing.preprocessMs / n, networkMs: this.timing.networkMs / n, postprocessMs: this.timing.postprocessMs / n };
  }
}

/** Labels are compared at the ground truth's resolution, so sizes must agree exactly. */
export function checkSameSize(name: string, a: { width: number; height: number }, gt: { width: number; height: number }, what: string): void {
  if (a.width !== gt.width || a.height !== gt.height) {
    throw new Error(`${name}: the ${what} is ${a.width}x${a.height} but its ground truth is ${gt.width}x${gt.height}`);
  }
}
