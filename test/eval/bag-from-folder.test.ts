// bag-from-folder: CamVid frames (when ../shared/data/camvid is present) and synthetic folders
// into bags: topics, stamps at the rate, pixels and labels unchanged, encodings, and errors.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import sharp from 'sharp';

import { openBag } from '../../src/bag';
import { bagFromFolder } from '../../src/eval/bag-from-folder';
import { compressedToFrame, decodeCompressedImage, decodeImage, timeToNs } from '../../src/msg';
import { writeDataset, writeGrayPng } from '../helpers/dataset';
import { tmpDir } from '../helpers/tmp';

const CAMVID = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'camvid');
const START = 1_700_000_000_000_000_000n;

async function messages(bag: string, topic: string) {
  const r = await openBag(bag);
  const out = [];
  for await (const m of r.messages({ topics: [topic] })) out.push(m);
  await r.close();
  return out;
}

describe('bag: from folder', () => {
  const tmp = tmpDir('from-folder');
  after(() => tmp.remove());

  describe('CamVid val frames', function () {
    before(function () {
      if (!fs.existsSync(path.join(CAMVID, 'val'))) {
        console.log(`    skipped: CamVid not found at ${CAMVID}`);
        this.skip();
      }
    });
    const files = () => fs.readdirSync(path.join(CAMVID, 'val')).sort().slice(0, 3);
    // Three frames: copy them so the test reads only those.
    const subset = () => {
      const root = path.join(tmp.path, 'camvid');
      if (!fs.existsSync(root)) {
        for (const d of ['val', 'valannot']) {
          fs.mkdirSync(path.join(root, d), { recursive: true });
          for (const f of files()) fs.copyFileSync(path.join(CAMVID, d, f), path.join(root, d, f));
        }
      }
      return path.join(root, 'val');
    };

    it('rgb8 + mono8 labels: 480x360, stamps at 15 Hz in name order, pixels as in the PNGs', async () => {
      const out = path.join(tmp.path, 'cv_rgb');
      const r = await bagFromFolder({ images: subset(), out, startTime: START, rate: 15 });
      assert.deepEqual(r, { frames: 3, imageTopic: '/camera/image_raw', gtTopic: '/camera/label_gt', bag: out });
      const images = await messages(out, '/camera/image_raw');
      const labels = await messages(out, '/camera/label_gt');
      assert.equal(images.length, 3);
      for (let i = 0; i < 3; i++) {
        const img = decodeImage(images[i].data);
        const lab = decodeImage(labels[i].data);
        const stamp = START + BigInt(Math.round((i * 1e9) / 15));
        assert.equal(timeToNs(img.header.stamp), stamp);
        assert.equal(images[i].logTime, stamp);
        assert.deepEqual(lab.header, img.header);
        assert.deepEqual([img.encoding, img.width, img.height, img.step], ['rgb8', 480, 360, 1440]);
        assert.deepEqual([lab.encoding, lab.width, lab.height, lab.step], ['mono8', 480, 360, 480]);
        const png = await sharp(path.join(CAMVID, 'val', files()[i])).removeAlpha().raw().toBuffer();
        assert.deepEqual(Buffer.from(img.data), png);
        const gt = await sharp(path.join(CAMVID, 'valannot', files()[i])).extractChannel(0).raw().toBuffer();
        assert.deepEqual(Buffer.from(lab.data), gt);
        assert.ok(lab.data.every((v) => v <= 11));
      }
    });

    it('jpeg to CompressedImage on /camera/image_raw/compressed, bgr8 in sqlite3', async () => {
      const jpeg = path.join(tmp.path, 'cv_jpeg');
      await bagFromFolder({ images: subset(), out: jpeg, startTime: START, encoding: 'jpeg', quality: 85 });
      const msgs = await messages(jpeg, '/camera/image_raw/compressed');
      const c = decodeCompressedImage(msgs[0].data);
      assert.equal(c.format, 'rgb8; jpeg compressed bgr8');
      assert.deepEqual([c.data[0], c.data[1]], [0xff, 0xd8]);
      const f = await compressedToFrame(c);
      assert.deepEqual([f.encoding, f.width, f.height], ['rgb8', 480, 360]);
      const bgr = path.join(tmp.path, 'cv_bgr');
      await bagFromFolder({ images: subset(), out: bgr, startTime: START, encoding: 'bgr8', format: 'sqlite3' });
      const img = decodeImage((await messages(bgr, '/camera/image_raw'))[0].data);
      const png = await sharp(path.join(CAMVID, 'val', files()[0])).removeAlpha().raw().toBuffer();
      assert.equal(img.encoding, 'bgr8');
      assert.deepEqual([img.data[0], img.data[1], img.data[2]], [png[2], png[1], png[0]]);
    });
  });

  describe('synthetic folders', () => {
    it('every and limit pick frames; without labels only images are written', async () => {
      const images = await writeDataset(path.join(tmp.path, 'syn'), 7, 12, 8);
      const out = path.join(tmp.path, 'syn_bag');
      const r = await bagFromFolder({ images, out, startTime: START, every: 2, limit: 3, rate: 2 });
      assert.equal(r.frames, 3);
      const imgs = await messages(out, '/camera/image_raw');
      assert.deepEqual(imgs.map((m) => m.logTime), [START, START + 500_000_000n, START + 1_000_000_000n]);
      const noLabels = path.join(tmp.path, 'syn_nolabels');
      const r2 = await bagFromFolder({ images, labels: null, out: noLabels, startTime: START });
      assert.equal(r2.gtTopic, null);
      const reader = await openBag(noLabels);
      assert.deepEqual(reader.topics().map((t) => t.name), ['/camera/image_raw']);
      await reader.close();
    });

    it('a missing label, a label of another size and bad options are named; no half bag is left', async () => {
      const images = await writeDataset(path.join(tmp.path, 'bad'), 3, 12, 8);
      const annot = `${images}annot`;
      fs.rmSync(path.join(annot, 'seq_00002.png'));
      const out = path.join(tmp.path, 'bad_bag');
      await assert.rejects(bagFromFolder({ images, out, startTime: START }), /no label for seq_00002.png in .*valannot/);
      await writeGrayPng(path.join(annot, 'seq_00002.png'), new Uint8Array(6 * 4), 6, 4);
      await assert.rejects(bagFromFolder({ images, out, startTime: START }), /seq_00002.png is 12x8 but its label .*seq_00002.png is 6x4/);
      assert.ok(!fs.existsSync(out), 'the failed bag was removed');
      await assert.rejects(bagFromFolder({ images, out, startTime: START, rate: 0 }), /rate 0 is not a positive number/);
      await assert.rejects(bagFromFolder({ images, out, startTime: START, encoding: 'yuv422' as never }), /encoding 'yuv422' is not rgb8, bgr8, jpeg or png/);
    });
  });
});
