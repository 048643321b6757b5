// The segment command line: a bag through the engine into a bag of label topics that eval then
// scores like the engine itself, and option errors.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { openBag } from '../../src/bag';
import { Engine } from '../../src/engine/engine';
import { evaluateEngineOnBag } from '../../src/eval/evaluate-engine';
import { decodeImage } from '../../src/msg';
import { attendseg } from '../helpers/cli';
import { writeEvalBag } from '../helpers/eval-bags';
import { tmpDir } from '../helpers/tmp';

const FIXTURE = 'test/fixtures/attendseg_nearest_qdq.onnx';

describe('segment: command line', () => {
  const tmp = tmpDir('segment-cli');
  after(() => tmp.remove());

  it('segment writes label topics with the copied ground truth; eval --pred-topic scores them as the engine run does', async () => {
    const engine = Engine.fromFile(FIXTURE, { threads: 1 });
    const input = path.join(tmp.path, 'in');
    await writeEvalBag(input, 'mcap', engine, { frames: 5, width: 40, height: 24 });
    const out = path.join(tmp.path, 'out');
    const r = attendseg(['segment', input, '--out', out, '--model', FIXTURE, '--outputs', 'label,colorized', '--copy', '/camera/label_gt', '--threads', '1', '--storage', 'sqlite3']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /segmented 5 frames in \d+\.\d\d s: \d+\.\d\d fps, latency p50 [\d.]+ ms/);
    assert.ok(fs.readdirSync(out).includes('out_0.db3'));
    const json = path.join(tmp.path, 'b.json');
    const e = attendseg(['eval', '--bag', out, '--pred-topic', '/attendseg/label', '--classes', '11', '--ignore', '11', '--json', json]);
    assert.equal(e.status, 0, e.stderr);
    // segment wrote the labels with their images' receive times: there is no delay or rate to report
    assert.doesNotMatch(e.stdout, /latency|fps/);
    const recorded = JSON.parse(fs.readFileSync(json, 'utf8'));
    const m = engine.metadata;
    const direct = await evaluateEngineOnBag(input, { engine, modelPath: FIXTURE, classNames: m.classNames, palette: m.palette, ignoreIndex: 11, gtTopic: '/camera/label_gt' });
    assert.deepEqual(recorded.confusion_matrix, direct.confusion);
    assert.equal(recorded.frames.matched, 5);
    assert.equal(recorded.mode, 'recorded-topics');
  });

  it('--copy of the image topic itself copies it and segments it', async () => {
    const engine = Engine.fromFile(FIXTURE, { threads: 1 });
    const input = path.join(tmp.path, 'copy-in');
    await writeEvalBag(input, 'mcap', engine, { frames: 3, width: 40, height: 24 });
    const out = path.join(tmp.path, 'copy-out');
    const r = attendseg(['segment', input, '--out', out, '--model', FIXTURE, '--copy', '/camera/image_raw', '--threads', '1']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /segmented 3 frames/);
  });

  it('--outputs confidence writes the confidence map, with the input header, to --confidence-topic', async () => {
    const engine = Engine.fromFile(FIXTURE, { threads: 1 });
    const input = path.join(tmp.path, 'conf-in');
    await writeEvalBag(input, 'mcap', engine, { frames: 2, width: 40, height: 24 });
    const out = path.join(tmp.path, 'conf-out');
    const r = attendseg(['segment', input, '--out', out, '--model', FIXTURE, '--outputs', 'label,confidence', '--confidence-topic', '/seg/conf', '--threads', '1']);
    assert.equal(r.status, 0, r.stderr);
    const inputs = new Map<bigint, Uint8Array>();
    const src = await openBag(input);
    for await (const m of src.messages({ topics: ['/camera/image_raw'] })) inputs.set(m.logTime, m.data);
    await src.close();
    const bag = await openBag(out);
    assert.deepEqual(bag.topics().map((t) => [t.name, t.messageCount]), [['/attendseg/label', 2], ['/seg/conf', 2]]);
    for await (const m of bag.messages({ topics: ['/seg/conf'] })) {
      const conf = decodeImage(m.data);
      const image = decodeImage(inputs.get(m.logTime)!);
      assert.deepEqual(conf.header, image.header);
      assert.deepEqual([conf.encoding, conf.width, conf.height], ['mono8', 40, 24]);
      const want = engine.runSync({ ...image, data: image.data }, { confidence: true, overlay: false });
      assert.ok(Buffer.from(conf.data).equals(want.confidence!));
    }
    await bag.close();
  });

  it('names its input topic option as eval does, the one its errors suggest', () => {
    const r = attendseg(['segment', '--help']);
    assert.match(r.stdout, /--image-topic <topic>/);
    assert.doesNotMatch(r.stdout, /--topic /);
  });

  it('a run that segments no frame fails', async () => {
    const engine = Engine.fromFile(FIXTURE, { threads: 1 });
    const input = path.join(tmp.path, 'empty-in');
    await writeEvalBag(input, 'mcap', engine, { frames: 0, width: 40, height: 24 });
    const r = attendseg(['segment', input, '--out', path.join(tmp.path, 'empty-out'), '--model', FIXTURE, '--threads', '1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /no frames segmented from/);
  });

  it('an output path that cannot be created fails at once, naming it', () => {
    for (const format of ['png', 'bag']) {
      const r = attendseg(['segment', 'samples/camvid_val_8', '--out', '/proc/attendseg-x', '--format', format, '--threads', '1']);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /cannot create output (folder|bag) \/proc\/attendseg-x/);
    }
  });

  it('option errors name the option and the value', () => {
    const r = attendseg(['segment', tmp.path, '--out', path.join(tmp.path, 'x'), '--outputs', 'label,depth']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /--outputs 'depth' is not one of label, overlay, colorized/);
    const e = attendseg(['eval', '--bag', path.join(tmp.path, 'out'), '--pred-topic', '/attendseg/label', '--ignore', 'void']);
    assert.match(e.stderr, /--ignore 'void' is not an integer/);
  });
});
