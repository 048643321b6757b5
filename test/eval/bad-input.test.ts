// attendseg eval on bad input: each problem is an error that names it, except a truncated MCAP
// bag, which is scored on what is readable with the skipped part reported, and a frame whose image
// cannot be decoded, which is left out and counted with its reason.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { createBag } from '../../src/bag';
import { Engine } from '../../src/engine/engine';
import { evaluateEngineOnBag, evaluateEngineOnFolders } from '../../src/eval/evaluate-engine';
import { evaluateRecordedTopics } from '../../src/eval/evaluate-topics';
import { reportJson } from '../../src/eval/report-json';
import { reportMarkdown } from '../../src/eval/report-markdown';
import { encodeImage, IMAGE_TYPE, COMPRESSED_IMAGE_TYPE, encodeCompressedImage, nsToTime } from '../../src/msg';
import { writeDataset, writeRgbPng } from '../helpers/dataset';
import { mono8, writeEvalBag } from '../helpers/eval-bags';
import { smoothFrame } from '../helpers/frames';
import { SVG } from '../helpers/hostile-images';
import { tmpDir } from '../helpers/tmp';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';

describe('eval: bad input', () => {
  const tmp = tmpDir('eval-bad');
  after(() => tmp.remove());
  const engine = Engine.fromFile(MODEL, { threads: 1 });
  const m = engine.metadata;
  const settings = { engine, modelPath: MODEL, classNames: m.classNames, palette: m.palette, ignoreIndex: 11 as number | null };

  it('a bag without the ground-truth or image topic names the topic and lists the bag\'s topics', async () => {
    const dir = path.join(tmp.path, 'topics');
    await writeEvalBag(dir, 'mcap', engine, { frames: 2, width: 16, height: 12 });
    await assert.rejects(
      evaluateEngineOnBag(dir, { ...settings, gtTopic: '/semantic/gt' }),
      /has no ground-truth topic \/semantic\/gt; its topics: \/camera\/image_raw \(sensor_msgs\/msg\/Image, 2\), \/camera\/label_gt \(sensor_msgs\/msg\/Image, 2\)/,
    );
    await assert.rejects(evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt', imageTopic: '/cam2' }), /has no image topic \/cam2/);
    await assert.rejects(
      evaluateRecordedTopics(dir, { ...settings, predictionTopic: '/attendseg/label', gtTopic: '/camera/label_gt' }),
      /has no prediction topic \/attendseg\/label/,
    );
  });

  it('image and ground truth of different sizes name the frame and both sizes', async () => {
    const dir = path.join(tmp.path, 'sizes');
    await writeEvalBag(dir, 'mcap', engine, { frames: 3, width: 16, height: 12, gtSize: (i) => (i === 1 ? [8, 6] : [16, 12]) });
    await assert.rejects(
      evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt' }),
      /frame stamped 1700000000.100000000: the image on \/camera\/image_raw is 16x12 but its ground truth is 8x6/,
    );
  });

  it('undecodable images are skipped and reported with their reasons; non-label ground truth and wrong topic types are errors', async () => {
    const dir = path.join(tmp.path, 'enc');
    const bag = await createBag(dir);
    await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
    await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
    await bag.addTopic({ name: '/rgb_gt', type: IMAGE_TYPE });
    await bag.addTopic({ name: '/jpeg', type: COMPRESSED_IMAGE_TYPE });
    const header = { stamp: nsToTime(5_000_000_000n), frame_id: 'c' };
    const img = { header, height: 4, width: 4, encoding: 'bayer_rggb8', is_bigendian: 0, step: 4, data: new Uint8Array(16) };
    await bag.write('/camera/image_raw', 5_000_000_000n, encodeImage(img));
    await bag.write('/camera/label_gt', 5_000_000_000n, encodeImage(mono8(header, 4, 4, new Uint8Array(16))));
    await bag.write('/rgb_gt', 5_000_000_000n, encodeImage({ ...img, encoding: 'rgb8', step: 12, data: new Uint8Array(48) }));
    await bag.write('/jpeg', 5_000_000_000n, encodeCompressedImage({ header, format: 'jpeg', data: new Uint8Array(4) }));
    await bag.close();
    const bayer = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt' });
    assert.equal(bayer.frames.matched, 0);
    assert.equal(bayer.rejected.length, 1);
    assert.match(bayer.rejected[0], /frame stamped 5.000000000 on \/camera\/image_raw: .*bayer_rggb8/);
    await assert.rejects(
      evaluateEngineOnBag(dir, { ...settings, gtTopic: '/rgb_gt', imageTopic: '/camera/image_raw' }),
      /frame stamped 5.000000000 on \/rgb_gt: encoding 'rgb8' is not a label map \(expected mono8\)/,
    );
    await assert.rejects(evaluateEngineOnBag(dir, { ...settings, gtTopic: '/jpeg' }), /ground-truth topic \/jpeg is sensor_msgs\/msg\/CompressedImage, not sensor_msgs\/msg\/Image/);
    const jpeg = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt', imageTopic: '/jpeg' });
    assert.deepEqual(jpeg.rejected.length, 1);
    assert.match(jpeg.rejected[0], /frame stamped 5.000000000 on \/jpeg: CompressedImage format 'jpeg' says jpeg but the data \(4 bytes\) is not a jpeg image/);
  });

  it('a bag: frames whose image cannot be decoded are skipped and counted, the others scored', async () => {
    const dir = path.join(tmp.path, 'some-bad');
    const bag = await createBag(dir);
    await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
    await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
    const f = smoothFrame({ encoding: 'rgb8', width: 16, height: 12, seed: 4 });
    for (let i = 0; i < 4; i++) {
      const t = 7_000_000_000n + BigInt(i) * 100_000_000n;
      const header = { stamp: nsToTime(t), frame_id: 'c' };
      const image = encodeImage({ header, height: 12, width: 16, encoding: i === 2 ? 'bayer_rggb8' : 'rgb8', is_bigendian: 0, step: f.step, data: f.data });
      await bag.write('/camera/image_raw', t, i === 1 ? image.subarray(0, 60) : image);
      await bag.write('/camera/label_gt', t + 1n, encodeImage(mono8(header, 16, 12, engine.runSync(f).label!)));
    }
    await bag.close();
    const r = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt' });
    assert.equal(r.frames.matched, 2);
    assert.equal(r.rejected.length, 2);
    assert.match(r.rejected[0], /message on \/camera\/image_raw received at 7\.100000000: sensor_msgs\/msg\/Image: /);
    assert.match(r.rejected[1], /frame stamped 7\.200000000 on \/camera\/image_raw: .*bayer_rggb8/);
    assert.equal(r.scores.pixelAccuracy, 100);
    assert.deepEqual(reportJson(r).rejected_frames, { count: 2, reasons: r.rejected });
    assert.match(reportMarkdown(r), /## Undecodable frames skipped\n\n2 frames:\n\n- message on/);
  });

  it('folders: an image file that cannot be decoded is skipped and counted, the others scored', async () => {
    const images = await writeDataset(path.join(tmp.path, 'ds-svg'), 2, 20, 10);
    const labels = `${images}annot`;
    fs.writeFileSync(path.join(images, 'seq_00004.png'), SVG);
    fs.copyFileSync(path.join(labels, 'seq_00000.png'), path.join(labels, 'seq_00004.png'));
    const r = await evaluateEngineOnFolders(images, labels, settings);
    assert.equal(r.frames.matched, 2);
    assert.equal(r.rejected.length, 1);
    assert.match(r.rejected[0], /seq_00004\.png: .*not a PNG or JPEG image/);
  });

  it('ground-truth values that are no class and not the ignore index say to set the ignore index', async () => {
    const dir = path.join(tmp.path, 'void');
    await writeEvalBag(dir, 'mcap', engine, { frames: 2, width: 16, height: 12 });
    await assert.rejects(
      evaluateEngineOnBag(dir, { ...settings, ignoreIndex: 255, gtTopic: '/camera/label_gt' }),
      /frame stamped 1700000000.000000000: ground truth has label value 11, outside the classes 0..10 and not the ignore index 255 \(set the ignore index/,
    );
  });

  it('a truncated MCAP bag is scored on what is readable and the report says what was skipped', async () => {
    const dir = path.join(tmp.path, 'cut');
    await writeEvalBag(dir, 'mcap', engine, { frames: 30, width: 160, height: 120 });
    const file = path.join(dir, 'cut_0.mcap');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size * 0.6));
    const r = await evaluateEngineOnBag(dir, { ...settings, gtTopic: '/camera/label_gt' });
    assert.ok(r.frames.matched > 5 && r.frames.matched < 30, `${r.frames.matched} frames`);
    assert.equal(r.skipped.length, 1);
    assert.match(r.skipped[0], /cut_0.mcap: no usable summary \(no footer\); the file ends inside a record/);
    assert.deepEqual(reportJson(r).skipped, r.skipped);
    assert.ok(r.scores.pixelAccuracy! > 80);
  });

  it('folders: a colour label, sizes that differ, and empty or missing folders are named', async () => {
    const images = await writeDataset(path.join(tmp.path, 'ds'), 2, 20, 10);
    const labels = `${images}annot`;
    const rgbLabel = path.join(labels, 'seq_00002.png');
    await writeRgbPng(rgbLabel, new Uint8Array(20 * 10 * 3), 20, 10);
    await assert.rejects(evaluateEngineOnFolders(images, labels, settings), /cannot read label .*seq_00002.png: it has 3 channels: a label PNG holds one 8-bit class index/);
    await writeRgbPng(path.join(images, 'seq_00002.png'), new Uint8Array(22 * 10 * 3), 22, 10);
    fs.rmSync(rgbLabel);
    fs.copyFileSync(path.join(labels, 'seq_00000.png'), rgbLabel);
    await assert.rejects(evaluateEngineOnFolders(images, labels, settings), /seq_00002.png: the image is 22x10 but its ground truth is 20x10/);
    await assert.rejects(evaluateEngineOnFolders(path.join(tmp.path, 'none'), labels, settings), /folder .*none does not exist/);
    fs.mkdirSync(path.join(tmp.path, 'empty'));
    await assert.rejects(evaluateEngineOnFolders(path.join(tmp.path, 'empty'), labels, settings), /has no .png or .jpg images/);
  });
});
