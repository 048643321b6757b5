// samples/camvid_val_8, the bag the README starts with: a valid rosbag2 MCAP bag under 5 MB whose
// frames and ground truth pair up and score.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { openBag, readMetadataFile } from '../../src/bag';
import { Engine } from '../../src/engine/engine';
import { evaluateEngineOnBag } from '../../src/eval/evaluate-engine';
import { compressedToFrame, decodeCompressedImage, decodeImage, mono8Pixels } from '../../src/msg';

const SAMPLE = path.resolve(__dirname, '..', '..', 'samples', 'camvid_val_8');

describe('bag: shipped sample', () => {
  it('is a rosbag2 MCAP bag under 5 MB with 8 JPEG frames and 8 ground-truth maps', async () => {
    const bytes = fs.readdirSync(SAMPLE).reduce((n, f) => n + fs.statSync(path.join(SAMPLE, f)).size, 0);
    assert.ok(bytes < 5e6, `${bytes} bytes`);
    const meta = readMetadataFile(SAMPLE)!;
    assert.equal(meta.storageIdentifier, 'mcap');
    assert.deepEqual(meta.relativeFilePaths, ['camvid_val_8_0.mcap']);
    assert.equal(meta.messageCount, 16);
    const bag = await openBag(SAMPLE);
    assert.deepEqual(bag.topics().map((t) => [t.name, t.type, t.messageCount]), [
      ['/camera/image_raw/compressed', 'sensor_msgs/msg/CompressedImage', 8],
      ['/camera/label_gt', 'sensor_msgs/msg/Image', 8],
    ]);
    let first = true;
    for await (const m of bag.messages()) {
      if (m.topic === '/camera/label_gt') {
        const l = decodeImage(m.data);
        assert.deepEqual([l.encoding, l.width, l.height], ['mono8', 480, 360]);
        assert.ok(mono8Pixels(l, 'gt').every((v) => v <= 11));
      } else if (first) {
        const f = await compressedToFrame(decodeCompressedImage(m.data));
        assert.deepEqual([f.encoding, f.width, f.height], ['rgb8', 480, 360]);
        first = false;
      }
    }
    await bag.close();
    assert.deepEqual(bag.problems, []);
  });

  it('scores end to end: every frame matched', async () => {
    const model = 'test/fixtures/attendseg_nearest_qdq.onnx';
    const engine = Engine.fromFile(model, { threads: 1 });
    const m = engine.metadata;
    const r = await evaluateEngineOnBag(SAMPLE, { engine, modelPath: model, classNames: m.classNames, palette: m.palette, ignoreIndex: 11, gtTopic: '/camera/label_gt' });
    assert.deepEqual(r.frames, { matched: 8, missingPrediction: 0, missingGroundTruth: 0, duplicates: 0 });
    assert.equal(r.source.image_topic, '/camera/image_raw/compressed');
    assert.equal(r.scores.scoredPixels + r.ignoredPixels, 8 * 480 * 360);
  });
});
