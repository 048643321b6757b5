// Confusion matrix over label maps, fast enough to score 480x360 frames in a small fraction of
// the engine's time per frame. The per-pixel loop (the addon's countLabelPairs, native because
// with two engine threads every millisecond the main thread spends per frame is taken from one of
// them) is one increment of a (ground truth, prediction) byte-pair counter, in four tables taken
// in turn so that runs of equal pixels (label maps are mostly regions) do not wait on each other's
// stores. Whether a frame had values that are neither a class nor the ignore index is read
// afterwards from the counters' totals, not per pixel.
import { loadAddon } from '../engine/native';

/** Pixels counted before the 32-bit counters are folded into the 64-bit totals (no overflow). */
const FLUSH_PIXELS = 2 ** 31;
const LANE = 65536;

export class ConfusionMatrix {
  private readonly counts = new Uint32Array(4 * LANE);
  private readonly totals = new Float64Array(LANE);
  private sinceFlush = 0;
  /** Pair indices (g << 8 | p) with g a class or the ignore index and p a class. */
  private readonly valid: Int32Array;
  private validCounted = 0;

  constructor(
    readonly numClasses: number,
    readonly ignoreIndex: number | null,
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 255) {
      throw new Error(`number of classes ${numClasses} is outside 1..255`);
    }
    if (ignoreIndex !== null && (!Number.isInteger(ignoreIndex) || ignoreIndex < 0 || ignoreIndex > 255)) {
      throw new Error(`ignore index ${ignoreIndex} is outside 0..255`);
    }
    const rows = Array.from({ length: numClasses }, (_, g) => g);
    if (ignoreIndex !== null && ignoreIndex >= numClasses) rows.push(ignoreIndex);
    this.valid = Int32Array.from(rows.flatMap((g) => Array.from({ length: numClasses }, (_, p) => (g << 8) | p)));
  }

  private count(prediction: Uint8Array, groundTruth: Uint8Array): void {
    loadAddon().countLabelPairs(prediction, groundTruth, this.counts);
  }

  /** Takes back a frame counted by count() (pixel i in lane i % 4); rare, so left in JavaScript. */
  private uncount(prediction: Uint8Array, groundTruth: Uint8Array): void {
    for (let i = 0; i < groundTruth.length; i++) this.counts[(i & 3) * LANE + ((groundTruth[i] << 8) | prediction[i])]--;
  }

  private countedValid(): number {
    let sum = 0;
    for (const j of this.valid) sum += this.counts[j] + this.counts[LANE | j] + this.counts[2 * LANE + j] + this.counts[3 * LANE + j];
    return sum;
  }

  /**
   * Counts one frame. `what` names the frame in errors: a ground-truth value that is no class and
   * not the ignore index, or a predicted value that is no class, is an error and nothing is counted.
   */
  add(prediction: Uint8Array, groundTruth: Uint8Array, what: string): void {
    const n = groundTruth.length;
    if (prediction.length !== n) throw new Error(`${what}: prediction has ${prediction.length} pixels, ground truth ${n}`);
    if (this.sinceFlush + n > FLUSH_PIXELS) this.flush();
    this.count(prediction, groundTruth);
    const valid = this.countedValid();
    if (valid - this.validCounted === n) {
      this.validCounted = valid;
      this.sinceFlush += n;
      return;
    }
    this.uncount(prediction, groundTruth);
    const k = this.numClasses;
    const badGt = groundTruth.find((v) => v >= k && v !== this.ignoreIndex);
    if (badGt !== undefined) {
      const ignore = this.ignoreIndex === null ? 'no ignore index is set' : `not the ignore index ${this.ignoreIndex}`;
      throw new Error(
        `${what}: ground truth has label value ${badGt}, outside the classes 0..${k - 1} and ${ignore} ` +
          '(set the ignore index to the value that marks unlabelled pixels)',
      );
    }
    throw new Error(`${what}: prediction has label value ${prediction.find((v) => v >= k)}, outside the classes 0..${k - 1}`);
  }

  private flush(): void {
    const c = this.counts;
    for (let j = 0; j < LANE; j++) {
      const s = c[j] + c[LANE | j] + c[2 * LANE + j] + c[3 * LANE + j];
      if (s !== 0) this.totals[j] += s;
    }
    c.fill(0);
    this.sinceFlush = 0;
    this.validCounted = 0;
  }

  /** Counts, rows = ground-truth class, columns = predicted class; an ignored class's row is 0. */
  matrix(): number[][] {
    this.flush();
    const k = this.numClasses;
    return Array.from({ length: k }, (_, g) =>
      Array.from({ length: k }, (_, p) => (g === this.ignoreIndex ? 0 : this.totals[(g << 8) | p])),
    );
  }

  /** Pixels whose ground truth is the ignore index (not scored). */
  ignoredPixels(): number {
    this.flush();
    if (this.ignoreIndex === null) return 0;
    let n = 0;
    for (let p = 0; p < 256; p++) n += this.totals[(this.ignoreIndex << 8) | p];
    return n;
  }
}
