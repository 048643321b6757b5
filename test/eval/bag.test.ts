// attendseg eval on bags: (a) the engine on an image topic and (b) recorded label topics, against
// a confusion matrix counted independently, with frames matched by header stamp and missing ones
// counted.
import { strict as assert } from 'assert';
import * as path from 'path';

import { Engine } from '../../src/engine/engine';
import { evaluateEngineOnBag } from '../../src/eval/evaluate-engine';
import { evaluateRecordedTopics } from '../../src/eval/evaluate-topics';
import { scores } from '../../src/eval/metrics';
import { reportJson } from '../../src/eval/report-json';
import { naiveConfusion, writeEvalBag } from '../helpers/eval-bags';
import { tmpDir } from '../helpers/tmp';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';

describe('eval: bags', () => {
  const tmp = tmpDir('eval-bag');
  after(() => tmp.remove());
  const engine = Engine.fromFile(MODEL, { threads: 1 });
  const m = engine.metadata;
  const settings = { engine, modelPath: MODEL, classNames: m.classNames, palette: m.palette, ignoreIndex: 11 };

  for (const format of ['mcap', 'sqlite3'] as const) {
    it(`${format}: the engine on the image topic scores exactly the independently counted matrix`, async () => {
      const dir = path.join(tmp.path, `a_${format}`);
      const pairs = await writeEvalBag(dir, format, engine, { frames: 7, width: 45, height: 27, noGroundTruth: [1], noImage: [4] });
      const r = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt', samples: 3 });
      const expected = naiveConfusion(pairs, 11, 11);
      assert.deepEqual(r.confusion, expected);
      const s = scores(expected, m.classNames);
      assert.equal(r.scores.miou, s.miou);
      assert.equal(r.scores.pixelAccuracy, s.pixelAccuracy);
      assert.ok(r.scores.pixelAccuracy! > 80 && r.scores.pixelAccuracy! < 90, `${r.scores.pixelAccuracy}`); // 1 in 7 moved
      assert.deepEqual(r.frames, { matched: 5, missingPrediction: 1, missingGroundTruth: 1, duplicates: 0 });
      assert.equal(r.ignoredPixels, pairs.reduce((n, p) => n + p.gt.filter((v) => v === 11).length, 0));
      assert.equal(r.latency?.frames, 5);
      assert.ok(r.throughputFps! > 0);
      assert.ok(r.engineTiming!.networkMs > 0);
      assert.equal(r.samples.length, 3);
      assert.ok(r.samples.every((x) => x.rgb && x.rgb.length === 45 * 27 * 3));
      assert.deepEqual(r.skipped, []);
      const json = reportJson(r);
      assert.equal(json.miou, Math.round(s.miou! * 1000) / 1000);
      assert.deepEqual(Object.keys(json.per_class_iou as object), m.classNames);
    });
  }

  it('recorded topics score the same as the engine run, with latency from receive times', async () => {
    const dir = path.join(tmp.path, 'b');
    const pairs = await writeEvalBag(dir, 'mcap', engine, {
      frames: 6,
      width: 30,
      height: 20,
      noGroundTruth: [2],
      predictionTopic: '/attendseg/label',
      delayNs: 42_000_000n,
    });
    const r = await evaluateRecordedTopics(dir, { classNames: m.classNames, palette: m.palette, ignoreIndex: 11, predictionTopic: '/attendseg/label', gtTopic: '/camera/label_gt' });
    assert.deepEqual(r.confusion, naiveConfusion(pairs, 11, 11));
    assert.deepEqual(r.frames, { matched: 5, missingPrediction: 0, missingGroundTruth: 1, duplicates: 0 });
    // prediction received 42 ms after the image, ground truth 3 ms after it
    assert.ok(Math.abs(r.latency!.p50 - 39) < 1e-6, `${r.latency!.p50}`);
    assert.ok(Math.abs(r.throughputFps! - 8) < 1e-6, `${r.throughputFps}`); // 4 intervals over 0.5 s of 10 Hz stamps (frame 2 missing)
    const a = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt' });
    assert.deepEqual(a.confusion, r.confusion);
    assert.equal(r.model, null);
    assert.equal(r.samples.length, 5);
    assert.equal(r.samples[0].rgb, undefined);
  });

  it('a message waits only --max-delay for its partner', async () => {
    const dir = path.join(tmp.path, 'late');
    await writeEvalBag(dir, 'mcap', engine, { frames: 4, width: 16, height: 12, predictionTopic: '/late', delayNs: 2_000_000_000n });
    const r = await evaluateRecordedTopics(dir, { classNames: m.classNames, palette: m.palette, ignoreIndex: 11, predictionTopic: '/late', gtTopic: '/camera/label_gt', maxDelaySeconds: 0.5 });
    assert.deepEqual(r.frames, { matched: 0, missingPrediction: 4, missingGroundTruth: 4, duplicates: 0 });
    assert.equal(r.scores.miou, null);
    const ok = await evaluateRecordedTopics(dir, { classNames: m.classNames, palette: m.palette, ignoreIndex: 11, predictionTopic: '/late', gtTopic: '/camera/label_gt', maxDelaySeconds: 3 });
    assert.equal(ok.frames.matched, 4);
  });
});
