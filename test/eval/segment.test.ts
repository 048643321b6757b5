// attendseg segment as a library: bag to bag (outputs with the input headers, copied topics),
// bag to PNG, image folder and single image to PNG, and its errors.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import sharp from 'sharp';

import { openBag } from '../../src/bag';
import { Engine } from '../../src/engine/engine';
import { segment } from '../../src/eval/segment';
import { decodeImage } from '../../src/msg';
import { T0, writeImageBag } from '../helpers/bags';
import { writeDataset } from '../helpers/dataset';
import { tmpDir } from '../helpers/tmp';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';

describe('segment: runs', () => {
  const tmp = tmpDir('segment');
  after(() => tmp.remove());
  const engine = Engine.fromFile(MODEL, { threads: 1 });
  const inBag = path.join(tmp.path, 'in');
  before(async () => {
    await writeImageBag(inBag, 'mcap', 5, [40, 30]);
  });

  it('bag to bag: one output message per frame, input headers, engine labels, copied topics', async () => {
    const out = path.join(tmp.path, 'out_bag');
    const progress: number[] = [];
    const r = await segment({
      engine,
      input: inBag,
      output: out,
      outputs: ['label', 'overlay'],
      copyTopics: ['/camera/label_gt'],
      onProgress: (d) => progress.push(d),
    });
    assert.equal(r.frames, 5);
    assert.ok(r.fps > 0);
    assert.deepEqual(progress, [1, 2, 3, 4, 5]);
    const inputs = new Map<bigint, Uint8Array>();
    const src = await openBag(inBag);
    for await (const m of src.messages({ topics: ['/camera/image_raw'] })) inputs.set(m.logTime, m.data);
    await src.close();
    const bag = await openBag(out);
    assert.deepEqual(bag.topics().map((t) => [t.name, t.messageCount]), [
      ['/attendseg/label', 5],
      ['/attendseg/overlay', 5],
      ['/camera/label_gt', 5],
    ]);
    let labels = 0;
    for await (const m of bag.messages({ topics: ['/attendseg/label'] })) {
      const label = decodeImage(m.data);
      const input = decodeImage(inputs.get(m.logTime)!);
      assert.deepEqual(label.header, input.header);
      const expected = engine.runSync({ encoding: input.encoding, width: input.width, height: input.height, step: input.step, data: input.data });
      assert.deepEqual(Buffer.from(label.data), Buffer.from(expected.label!));
      labels++;
    }
    await bag.close();
    assert.equal(labels, 5);
  });

  it('sqlite3 output, and PNG files from a bag', async () => {
    const out = path.join(tmp.path, 'out_db');
    await segment({ engine, input: inBag, output: out, outputs: ['colorized'], bagFormat: 'sqlite3' });
    assert.ok(fs.readdirSync(out).includes('out_db_0.db3'));
    const pngs = path.join(tmp.path, 'pngs');
    await segment({ engine, input: path.join(inBag, 'in_0.mcap'), output: pngs, outputFormat: 'png', outputs: ['label', 'overlay'] });
    const files = fs.readdirSync(pngs).sort();
    assert.equal(files.length, 10);
    assert.equal(files[0], `000000_${T0}_label.png`);
    const meta = await sharp(path.join(pngs, files[0])).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [40, 30, 1]);
  });

  it('an image folder and a single image to PNG files', async () => {
    const images = await writeDataset(path.join(tmp.path, 'ds'), 3, 36, 20);
    const out = path.join(tmp.path, 'folder_out');
    const r = await segment({ engine, input: images, output: out, outputs: ['label', 'colorized'] });
    assert.equal(r.frames, 3);
    assert.deepEqual(fs.readdirSync(out).sort().slice(0, 2), ['seq_00000_colorized.png', 'seq_00000_label.png']);
    const one = path.join(tmp.path, 'one_out');
    await segment({ engine, input: path.join(images, 'seq_00002.png'), output: one, outputs: ['overlay'] });
    const meta = await sharp(path.join(one, 'seq_00002_overlay.png')).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [36, 20, 3]);
  });

  it('says what is wrong: no such topic, folder to bag, no outputs, an existing output bag', async () => {
    await assert.rejects(
      segment({ engine, input: inBag, output: path.join(tmp.path, 'x1'), imageTopic: '/front/image', outputs: ['label'] }),
      /has no image topic \/front\/image; its topics: \/camera\/image_raw \(sensor_msgs\/msg\/Image, 5\), \/camera\/label_gt/,
    );
    assert.ok(!fs.existsSync(path.join(tmp.path, 'x1')), 'no half-written bag is left behind');
    await assert.rejects(
      segment({ engine, input: inBag, output: path.join(tmp.path, 'x2'), imageTopic: '/camera/label_gt', outputs: ['label'], copyTopics: ['/nope'] }),
      /no copied topic \/nope/,
    );
    const images = path.join(tmp.path, 'ds', 'val');
    await assert.rejects(segment({ engine, input: images, output: path.join(tmp.path, 'x3'), outputFormat: 'bag', outputs: ['label'] }), /bag-from-folder/);
    await assert.rejects(segment({ engine, input: inBag, output: path.join(tmp.path, 'x4'), outputs: [] }), /no outputs chosen/);
    await assert.rejects(segment({ engine, input: inBag, output: path.join(tmp.path, 'out_bag'), outputs: ['label'] }), /already exists/);
    await assert.rejects(segment({ engine, input: path.join(tmp.path, 'missing'), output: path.join(tmp.path, 'x5'), outputs: ['label'] }), /input .*missing does not exist/);
  });
});
