// The eval command line end to end: the documented folder form, JSON, Markdown and pictures, and
// a bag made by bag-from-folder.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import sharp from 'sharp';

import { DEFAULT_MODEL_FILE } from '../../src/engine/default-model';
import { attendseg } from '../helpers/cli';
import { writeDataset } from '../helpers/dataset';
import { tmpDir } from '../helpers/tmp';

const FIXTURE = 'test/fixtures/attendseg_nearest_qdq.onnx';
const DEFAULT_MODEL = path.join('models', DEFAULT_MODEL_FILE);

describe('eval: command line', () => {
  const tmp = tmpDir('eval-cli');
  after(() => tmp.remove());
  let images: string;
  before(async () => {
    images = await writeDataset(path.join(tmp.path, 'camvid'), 4, 48, 32);
  });

  it('eval --images DIR --labels DIR --ignore 11 --json FILE (the default model, or a clear error without it)', () => {
    const json = path.join(tmp.path, 'exact.json');
    const r = attendseg(['eval', '--images', images, '--labels', `${images}annot`, '--ignore', '11', '--json', json]);
    if (fs.existsSync(DEFAULT_MODEL)) {
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(fs.readFileSync(json, 'utf8'));
      assert.equal(typeof j.miou, 'number');
      assert.equal(typeof j.pixel_accuracy, 'number');
      assert.equal(j.frames.matched, 4);
    } else {
      assert.equal(r.status, 1);
      assert.match(r.stderr, /attendseg: the default model .*attendseg_camvid.onnx is missing: pass a model path explicitly/);
      assert.ok(!fs.existsSync(json));
    }
  });

  it('writes JSON with scores in percent, Markdown and the three pictures', async () => {
    const json = path.join(tmp.path, 'r.json');
    const md = path.join(tmp.path, 'r.md');
    const pics = path.join(tmp.path, 'pics');
    const r = attendseg(['eval', '--images', images, '--labels', `${images}annot`, '--ignore', '11', '--json', json, '--model', FIXTURE, '--markdown', md, '--pictures', pics, '--threads', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /mIoU \d+\.\d\d %, pixel accuracy \d+\.\d\d %/);
    assert.match(r.stdout, /frames: 4 matched/);
    const j = JSON.parse(fs.readFileSync(json, 'utf8'));
    assert.ok(j.miou >= 0 && j.miou <= 100 && j.pixel_accuracy >= 0 && j.pixel_accuracy <= 100);
    assert.deepEqual(Object.keys(j.per_class_iou), ['Sky', 'Building', 'Pole', 'Road', 'Pavement', 'Tree', 'SignSymbol', 'Fence', 'Car', 'Pedestrian', 'Bicyclist']);
    assert.equal(j.ignore_index, 11);
    assert.equal(j.confusion_matrix.length, 11);
    const counted = j.confusion_matrix.flat().reduce((a: number, b: number) => a + b, 0);
    assert.equal(counted + j.pixels.ignored, 4 * 48 * 32);
    assert.equal(j.pixels.scored, counted);
    assert.ok(j.latency_ms.p50 > 0 && j.latency_ms.p99 >= j.latency_ms.p50);
    assert.ok(j.throughput_fps > 0);
    const text = fs.readFileSync(md, 'utf8');
    assert.match(text, /\| mIoU \| \d+\.\d\d % \|/);
    assert.match(text, /!\[confusion matrix\]\(pics\/confusion_matrix.png\)/);
    for (const [f, w] of [['confusion_matrix.png', 0], ['per_class_iou.png', 0], ['samples.png', 3 * 326 + 6]] as const) {
      const meta = await sharp(path.join(pics, f)).metadata();
      assert.equal(meta.format, 'png');
      if (w) assert.equal(meta.width, w);
    }
  });

  it('bag-from-folder, then eval --bag with the engine', () => {
    const bag = path.join(tmp.path, 'bag');
    const made = attendseg(['bag-from-folder', images, bag, '--start-time', '1700000000', '--rate', '10']);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /wrote 4 frames to .*bag \(mcap\): \/camera\/image_raw and \/camera\/label_gt/);
    const json = path.join(tmp.path, 'bag.json');
    const r = attendseg(['eval', '--bag', bag, '--model', FIXTURE, '--ignore', '11', '--json', json, '--threads', '1']);
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(fs.readFileSync(json, 'utf8'));
    const folder = JSON.parse(fs.readFileSync(path.join(tmp.path, 'r.json'), 'utf8'));
    assert.equal(j.frames.matched, 4);
    assert.equal(j.miou, folder.miou, 'same frames, same scores through a bag');
    assert.deepEqual(j.source, { bag, image_topic: '/camera/image_raw', ground_truth_topic: '/camera/label_gt' });
    const bad = attendseg(['eval', '--bag', bag, '--images', images, '--model', FIXTURE]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /give either --bag or --images with --labels, not both/);
  });
});
