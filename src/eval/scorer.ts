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

/** Up to `count` frame indices spread evenly over `total` frames. */
export function sampleIndices(total: number, count: number): Set<number> {
  if (total <= 0 || count <= 0) return new Set();
  if (total <= count) return new Set(Array.from({ length: total }, (_, i) => i));
  return new Set(Array.from({ length: count }, (_, i) => Math.round((i * (total - 1)) / (count - 1 || 1))));
}

export class Scorer {
  readonly confusion: ConfusionMatrix;
  readonly latency = new LatencyRecorder();
  readonly samples: Sample[] = [];
  readonly skipped: string[] = [];
  scored = 0;
  private readonly timing = { preprocessMs: 0, networkMs: 0, postprocessMs: 0 };
  private timed = 0;

  constructor(
    numClasses: number,
    ignoreIndex: number | null,
    private readonly sampleAt: Set<number>,
  ) {
    this.confusion = new ConfusionMatrix(numClasses, ignoreIndex);
  }

  /** Whether the next scored frame will be kept as a sample (callers fetch its image then). */
  wantsSample(index: number): boolean {
    return this.sampleAt.has(index);
  }

  score(name: string, prediction: LabelMap, groundTruth: LabelMap, rgb?: Uint8Array): void {
    checkSameSize(name, prediction, groundTruth, 'prediction');
    this.confusion.add(prediction.data, groundTruth.data, name);
    if (this.sampleAt.has(this.scored)) {
      this.samples.push({
        name,
        width: groundTruth.width,
        height: groundTruth.height,
        rgb: rgb ? Uint8Array.from(rgb) : undefined,
        prediction: Uint8Array.from(prediction.data),
        groundTruth: Uint8Array.from(groundTruth.data),
      });
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
