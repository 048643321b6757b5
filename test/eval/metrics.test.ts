// Confusion matrix and scores against hand-computed cases and a naive reference; latency
// percentiles by nearest rank.
import { strict as assert } from 'assert';
import fc from 'fast-check';

import { loadAddon } from '../../src/engine/native';
import { ConfusionMatrix } from '../../src/eval/confusion';
import { percentile, LatencyRecorder } from '../../src/eval/latency';
import { scores } from '../../src/eval/metrics';

const u8 = (xs: number[]) => Uint8Array.from(xs);
const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-9, `${a} != ${b}`);

describe('eval: confusion matrix and scores', () => {
  it('matches a hand-computed 3-class case with an ignored pixel', () => {
    const cm = new ConfusionMatrix(3, 255);
    cm.add(u8([0, 1, 1, 1, 2, 0, 2, 0]), u8([0, 0, 1, 1, 2, 2, 255, 0]), 'f');
    assert.deepEqual(cm.matrix(), [
      [2, 1, 0],
      [0, 2, 0],
      [1, 0, 1],
    ]);
    assert.equal(cm.ignoredPixels(), 1);
    const s = scores(cm.matrix(), ['a', 'b', 'c']);
    assert.equal(s.scoredPixels, 7);
    close(s.pixelAccuracy, (100 * 5) / 7);
    close(s.perClass[0].iou, 50); // TP 2, GT 3, predicted 3
    close(s.perClass[1].iou, (100 * 2) / 3); // TP 2, GT 2, predicted 3
    close(s.perClass[2].iou, 50); // TP 1, GT 2, predicted 1
    close(s.miou, (50 + 200 / 3 + 50) / 3);
    close(s.perClass[0].accuracy, 200 / 3);
    close(s.classAverageAccuracy, (200 / 3 + 100 + 50) / 3);
    assert.deepEqual(s.perClass.map((c) => [c.groundTruthPixels, c.predictedPixels]), [[3, 3], [2, 3], [2, 1]]);
  });

  it('leaves absent classes out of the means; a class only predicted scores IoU 0', () => {
    const cm = new ConfusionMatrix(4, null);
    cm.add(u8([0, 2, 1, 1]), u8([0, 0, 1, 1]), 'f');
    const s = scores(cm.matrix(), ['a', 'b', 'c', 'd']);
    close(s.perClass[2].iou, 0);
    assert.equal(s.perClass[2].accuracy, null);
    assert.equal(s.perClass[3].iou, null);
    close(s.miou, (50 + 100 + 0) / 3);
    close(s.pixelAccuracy, 75);
    close(s.classAverageAccuracy, 75);
  });

  it('an ignore index inside the classes drops its ground truth and its own scores', () => {
    const cm = new ConfusionMatrix(3, 2);
    cm.add(u8([0, 2, 2, 1]), u8([0, 0, 2, 1]), 'f');
    assert.deepEqual(cm.matrix(), [[1, 0, 1], [0, 1, 0], [0, 0, 0]]);
    const s = scores(cm.matrix(), ['a', 'b', 'void'], 2);
    assert.equal(s.perClass[2].iou, null);
    close(s.miou, (50 + 100) / 2);
  });

  it('no scored pixels gives null scores, not NaN', () => {
    const s = scores(new ConfusionMatrix(2, 9).matrix(), ['a', 'b']);
    assert.deepEqual([s.miou, s.pixelAccuracy, s.classAverageAccuracy], [null, null, null]);
  });

  it('names the frame and the value for labels out of range, and counts nothing of that frame', () => {
    const cm = new ConfusionMatrix(11, 11);
    cm.add(u8([1, 2, 3]), u8([1, 2, 11]), 'ok');
    assert.throws(() => cm.add(u8([0, 0, 0, 0, 0]), u8([0, 1, 12, 3, 4]), 'frame 0016E5_07961'), /frame 0016E5_07961: ground truth has label value 12, outside the classes 0..10 and not the ignore index 11/);
    assert.throws(() => cm.add(u8([0, 11, 0, 0, 0]), u8([0, 1, 2, 3, 4]), 'frame 7'), /frame 7: prediction has label value 11, outside the classes 0..10/);
    assert.throws(() => cm.add(u8([0, 1]), u8([0]), 'frame 8'), /frame 8: prediction has 2 pixels, ground truth 1/);
    const m = cm.matrix();
    assert.equal(m.flat().reduce((a, b) => a + b, 0), 2);
    assert.throws(() => new ConfusionMatrix(11, null).add(u8([0]), u8([11]), 'x'), /no ignore index is set/);
    assert.throws(() => new ConfusionMatrix(0, null), /outside 1..255/);
  });

  it('equals a naive count over random frames of any length, with bad frames skipped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.option(fc.integer({ min: 0, max: 255 })),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 23 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.boolean()), { minLength: 1, maxLength: 6 }),
        (k, ignore, frames) => {
          const ig = ignore ?? null;
          const cm = new ConfusionMatrix(k, ig);
          const naive = Array.from({ length: k }, () => new Array(k).fill(0));
          for (const [len, seed, corrupt] of frames) {
            let s = seed;
            const rnd = (m: number) => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) % m;
            const gt = Uint8Array.from({ length: len }, () => (ig !== null && rnd(5) === 0 ? ig : rnd(k)));
            const pred = Uint8Array.from({ length: len }, () => rnd(k));
            if (corrupt && k < 255) pred[rnd(len)] = k;
            try {
              cm.add(pred, gt, 'f');
            } catch {
              assert.ok(corrupt);
              continue;
            }
            for (let i = 0; i < len; i++) if (gt[i] !== ig) naive[gt[i]][pred[i]]++;
            cm.matrix(); // folds the counters mid-run as well
          }
          assert.deepEqual(cm.matrix(), naive);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('eval: the native pair count', () => {
  it('counts pixel i in lane i % 4 and refuses arrays of the wrong kind or size', () => {
    const { countLabelPairs } = loadAddon();
    const counts = new Uint32Array(4 * 65536);
    countLabelPairs(u8([1, 1, 1, 1, 2]), u8([0, 0, 0, 0, 3]), counts);
    assert.deepEqual([counts[1], counts[65536 + 1], counts[2 * 65536 + 1], counts[3 * 65536 + 1]], [1, 1, 1, 1]);
    assert.equal(counts[(3 << 8) | 2], 1);
    assert.equal(counts.reduce((a, b) => a + b, 0), 5);
    // A Buffer is a Uint8Array.
    countLabelPairs(Buffer.from([7]), Buffer.from([9]), counts);
    assert.equal(counts[(9 << 8) | 7], 1);
    assert.throws(() => countLabelPairs(u8([1, 2]), u8([1]), counts), /differ in length/);
    assert.throws(() => countLabelPairs(u8([1]), u8([1]), new Uint32Array(65536)), /4 x 65536/);
    assert.throws(() => countLabelPairs(u8([1]), u8([1]), new Int32Array(4 * 65536) as unknown as Uint32Array), /Uint32Array/);
    assert.throws(() => countLabelPairs(new Uint16Array(1) as unknown as Uint8Array, u8([1]), counts), /Uint8Array/);
  });
});

describe('eval: latency', () => {
  it('nearest-rank percentiles', () => {
    const xs = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual([50, 95, 99, 100].map((p) => percentile(xs, p)), [50, 95, 99, 100]);
    assert.equal(percentile(Float64Array.of(1, 3, 5), 50), 3);
    assert.equal(percentile(Float64Array.of(1, 3, 5), 95), 5);
    const r = new LatencyRecorder();
    [5, 1, 3].forEach((x) => r.add(x));
    assert.deepEqual(r.summary(), { frames: 3, p50: 3, p95: 5, p99: 5, mean: 3, max: 5 });
    assert.equal(new LatencyRecorder().summary(), null);
  });
});
