// The command line against hostile and broken input, through child processes as a user runs it:
// decompression bombs and non-images are refused by the one checked decoder before any pixel is
// decoded, bad option values are refused up front, and an undecodable frame is skipped, counted
// and reported instead of ending a segment run. Errors are one line naming the problem.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import Database from 'better-sqlite3';

import { createBag } from '../../src/bag';
import { Engine } from '../../src/engine/engine';
import { COMPRESSED_IMAGE_TYPE, encodeCompressedImage, encodeImage, IMAGE_TYPE, nsToTime } from '../../src/msg';
import { attendseg } from '../helpers/cli';
import { writeDataset } from '../helpers/dataset';
import { writeEvalBag } from '../helpers/eval-bags';
import { smoothFrame } from '../helpers/frames';
import { pngBomb, pngDeclaring, SVG } from '../helpers/hostile-images';
import { tmpDir } from '../helpers/tmp';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';

/** The one line a failed command prints. */
function errorLine(r: { status: number; stderr: string }): string {
  assert.notEqual(r.status, 0, 'the command succeeded');
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'));
  assert.equal(lines.length, 1, `not one error line:\n${r.stderr}`);
  return lines[0];
}

describe('command line: hostile and broken input', () => {
  const tmp = tmpDir('cli-bad-input');
  after(() => tmp.remove());
  let n = 0;
  const fresh = (name: string) => path.join(tmp.path, `${name}-${++n}`);

  /** A CamVid-style folder of 2 good images with labels, plus `extra` files in the image folder. */
  async function folderWith(extra: Record<string, Buffer>): Promise<string> {
    const images = await writeDataset(fresh('ds'), 2, 40, 24);
    for (const [name, bytes] of Object.entries(extra)) fs.writeFileSync(path.join(images, name), bytes);
    return images;
  }

  describe('decompression bombs and non-images', () => {
    it('bag-from-folder refuses a 10 kB PNG that decodes to 243 MB, before decoding it', async () => {
      const images = await folderWith({ 'seq_00009.png': pngBomb(9000) });
      const line = errorLine(attendseg(['bag-from-folder', images, fresh('bag'), '--no-labels', '--start-time', '1000']));
      assert.match(line, /seq_00009\.png: png image size 9000x9000 is outside 1\.\.8192 a side/);
    });

    it('bag-from-folder refuses a PNG header declaring 16000x16000', async () => {
      const images = await folderWith({ 'seq_00009.png': pngDeclaring(16000, 16000) });
      const line = errorLine(attendseg(['bag-from-folder', images, fresh('bag'), '--no-labels', '--start-time', '1000']));
      assert.match(line, /seq_00009\.png: png image size 16000x16000 is outside 1\.\.8192 a side/);
    });

    it('bag-from-folder refuses an SVG named .png', async () => {
      const images = await folderWith({ 'seq_00009.png': SVG });
      const line = errorLine(attendseg(['bag-from-folder', images, fresh('bag'), '--no-labels', '--start-time', '1000']));
      assert.match(line, /seq_00009\.png: the data \(\d+ bytes\) is not a PNG or JPEG image/);
    });

    it('a label PNG is checked the same way', async () => {
      const images = await writeDataset(fresh('ds'), 2, 40, 24);
      fs.writeFileSync(path.join(`${images}annot`, 'seq_00002.png'), pngDeclaring(16000, 16000));
      const line = errorLine(attendseg(['bag-from-folder', images, fresh('bag'), '--start-time', '1000']));
      assert.match(line, /cannot read label .*seq_00002\.png: png image size 16000x16000 is outside 1\.\.8192 a side/);
    });

    it('eval on folders skips an SVG image named .png and names it', async () => {
      const images = await writeDataset(fresh('ds'), 2, 40, 24);
      fs.writeFileSync(path.join(images, 'seq_00002.png'), SVG);
      const args = ['eval', '--images', images, '--labels', `${images}annot`, '--model', MODEL, '--threads', '1', '--ignore', '11'];
      const r = attendseg(args);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /warning: frame skipped: .*seq_00002\.png: the data \(\d+ bytes\) is not a PNG or JPEG image/);
      assert.match(r.stdout, /frames: 1 matched, .*; 1 undecodable frame skipped/);
      assert.match(errorLine(attendseg([...args, '--strict'])), /--strict: 1 of 2 frames could not be decoded/);
    });

    it('segment skips a bomb and an SVG among good images, reports them, and fails only with --strict', async () => {
      const images = await folderWith({ 'seq_00009.png': pngBomb(9000), 'seq_00010.png': SVG });
      const out = fresh('png');
      const r = attendseg(['segment', images, '--out', out, '--model', MODEL, '--threads', '1']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /segmented 2 frames .*; 2 undecodable frames skipped/);
      assert.match(r.stderr, /warning: frame skipped: .*seq_00009\.png: png image size 9000x9000 is outside/);
      assert.match(r.stderr, /warning: frame skipped: .*seq_00010\.png: the data \(\d+ bytes\) is not a PNG or JPEG image/);
      const strict = attendseg(['segment', images, '--out', fresh('png'), '--model', MODEL, '--threads', '1', '--strict']);
      assert.match(errorLine(strict), /--strict: 2 of 4 frames could not be decoded/);
    });

    it('segment skips CompressedImage messages that are bombs, SVG or mislabelled, and segments the rest', async () => {
      const input = fresh('bag');
      const bag = await createBag(input, { format: 'mcap' });
      const topic = '/camera/image_raw/compressed';
      await bag.addTopic({ name: topic, type: COMPRESSED_IMAGE_TYPE });
      const sharp = (await import('sharp')).default;
      const f = smoothFrame({ encoding: 'rgb8', width: 40, height: 24, seed: 3 });
      const good = await sharp(Buffer.from(f.data), { raw: { width: 40, height: 24, channels: 3 } }).png().toBuffer();
      const payloads: [string, Buffer][] = [['png', good], ['png', pngBomb(9000)], ['png', SVG], ['jpeg', good], ['png', pngDeclaring(16000, 16000)], ['png', good]];
      for (const [i, [format, data]] of payloads.entries()) {
        const t = 1_000_000_000_000n + BigInt(i) * 100_000_000n;
        await bag.write(topic, t, encodeCompressedImage({ header: { stamp: nsToTime(t), frame_id: 'c' }, format, data }));
      }
      await bag.close();
      const r = attendseg(['segment', input, '--out', fresh('out'), '--model', MODEL, '--threads', '1', '--image-topic', topic]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /segmented 2 frames .*; 4 undecodable frames skipped/);
      assert.match(r.stderr, /png image size 9000x9000 is outside 1\.\.8192 a side/);
      assert.match(r.stderr, /format 'png' says png but the data \(\d+ bytes\) is not a png image/);
      assert.match(r.stderr, /format 'jpeg' says jpeg but the data \(\d+ bytes\) is png/);
      assert.match(r.stderr, /png image size 16000x16000 is outside/);
    });
  });

  describe('undecodable frames and unusable values', () => {
    let bagDir: string;
    before(async () => {
      const engine = Engine.fromFile(MODEL, { threads: 1 });
      bagDir = fresh('eval-bag');
      await writeEvalBag(bagDir, 'mcap', engine, { frames: 3, width: 40, height: 24 });
    });

    it('segment skips a truncated message and a frame in an unsupported encoding, counts them, and goes on', async () => {
      const input = fresh('bag');
      const bag = await createBag(input, { format: 'mcap' });
      await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
      const header = (i: number) => ({ stamp: { sec: 10 + i, nanosec: 0 }, frame_id: 'c' });
      const f = smoothFrame({ encoding: 'rgb8', width: 40, height: 24, seed: 5 });
      const good = (i: number) => encodeImage({ header: header(i), height: 24, width: 40, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data });
      await bag.write('/camera/image_raw', 1n, good(0));
      await bag.write('/camera/image_raw', 2n, good(1).subarray(0, 60));
      await bag.write('/camera/image_raw', 3n, encodeImage({ header: header(2), height: 24, width: 40, encoding: 'rgb8\0x', is_bigendian: 0, step: f.step, data: f.data }));
      await bag.write('/camera/image_raw', 4n, encodeImage({ header: header(3), height: 0, width: 40, encoding: 'rgb8', is_bigendian: 0, step: 120, data: new Uint8Array(0) }));
      await bag.write('/camera/image_raw', 5n, good(4));
      await bag.close();
      const r = attendseg(['segment', input, '--out', fresh('out'), '--model', MODEL, '--threads', '1']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /segmented 2 frames .*; 3 undecodable frames skipped/);
      assert.match(r.stderr, /received at 0\.000000002: sensor_msgs\/msg\/Image: truncated at field `data` \(needs 2880 bytes, 12 left\)/);
      assert.match(r.stderr, /frame stamped 12\.000000000 on \/camera\/image_raw: unsupported encoding 'rgb8\\x00x'/);
      assert.match(r.stderr, /frame stamped 13\.000000000 on \/camera\/image_raw: image size 40x0 is outside 1\.\.8192/);
      const strict = attendseg(['segment', input, '--out', fresh('out'), '--model', MODEL, '--threads', '1', '--strict']);
      assert.match(errorLine(strict), /--strict: 3 of 5 frames could not be decoded/);
    });

    it('eval skips an undecodable frame, reports it with the count, and fails only with --strict', async () => {
      const input = fresh('bag');
      const engine = Engine.fromFile(MODEL, { threads: 1 });
      const bag = await createBag(input, { format: 'mcap' });
      await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
      await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
      const f = smoothFrame({ encoding: 'rgb8', width: 40, height: 24, seed: 7 });
      const label = engine.runSync(f).label!;
      for (let i = 0; i < 3; i++) {
        const header = { stamp: { sec: 30 + i, nanosec: 0 }, frame_id: 'c' };
        const image = encodeImage({ header, height: 24, width: 40, encoding: i === 1 ? 'rgb8\0x' : 'rgb8', is_bigendian: 0, step: f.step, data: f.data });
        await bag.write('/camera/image_raw', BigInt(i + 1), image);
        await bag.write('/camera/label_gt', BigInt(i + 1), encodeImage({ header, height: 24, width: 40, encoding: 'mono8', is_bigendian: 0, step: 40, data: label }));
      }
      await bag.close();
      const r = attendseg(['eval', '--bag', input, '--model', MODEL, '--threads', '1']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /warning: frame skipped: frame stamped 31\.000000000 on \/camera\/image_raw: unsupported encoding 'rgb8\\x00x'/);
      assert.match(r.stdout, /frames: 2 matched, 0 ground truth without prediction, 0 prediction without ground truth; 1 undecodable frame skipped/);
      const strict = attendseg(['eval', '--bag', input, '--model', MODEL, '--threads', '1', '--strict']);
      assert.match(errorLine(strict), /--strict: 1 of 3 frames could not be decoded/);
    });

    it('a bag cut short, an empty file and a non-bag: non-zero exit and one line saying what is wrong', () => {
      const mcap = path.join(bagDir, fs.readdirSync(bagDir).find((f) => f.endsWith('.mcap'))!);
      const bytes = fs.readFileSync(mcap);
      const dir = fresh('broken');
      fs.mkdirSync(dir);
      const cut = path.join(dir, 'cut.mcap');
      fs.writeFileSync(cut, bytes.subarray(0, 200));
      const empty = path.join(dir, 'empty.mcap');
      fs.writeFileSync(empty, '');
      const text = path.join(dir, 'notes.db3');
      fs.writeFileSync(text, 'not a database');
      const cases: [string[], RegExp][] = [
        [['segment', cut, '--out', fresh('o'), '--model', MODEL, '--threads', '1'], /it has no topics \(.*cut\.mcap: .*the file ends inside a record/],
        [['eval', '--bag', cut, '--model', MODEL, '--threads', '1'], /cut\.mcap: .*the file ends inside a record/],
        [['segment', empty, '--out', fresh('o'), '--model', MODEL, '--threads', '1'], /empty\.mcap is neither an MCAP nor an SQLite file/],
        [['eval', '--bag', text, '--model', MODEL, '--threads', '1'], /notes\.db3/],
      ];
      for (const [args, reason] of cases) assert.match(errorLine(attendseg(args)), reason);
    });

    it('an oversize raw frame is skipped like any undecodable one', async () => {
      const input = fresh('bag');
      const bag = await createBag(input, { format: 'mcap' });
      await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
      const f = smoothFrame({ encoding: 'rgb8', width: 40, height: 24, seed: 6 });
      const header = (i: number) => ({ stamp: { sec: 20 + i, nanosec: 0 }, frame_id: 'c' });
      await bag.write('/camera/image_raw', 1n, encodeImage({ header: header(0), height: 1, width: 9000, encoding: 'mono8', is_bigendian: 0, step: 9000, data: new Uint8Array(9000) }));
      await bag.write('/camera/image_raw', 2n, encodeImage({ header: header(1), height: 24, width: 40, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data }));
      await bag.close();
      const r = attendseg(['segment', input, '--out', fresh('out'), '--model', MODEL, '--threads', '1']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /segmented 1 frames .*; 1 undecodable frame skipped/);
      assert.match(r.stderr, /frame stamped 20\.000000000 on \/camera\/image_raw: image size 9000x1 is outside 1\.\.8192 a side/);
    });

    it('refuses out-of-range and empty numbers before reading any frame', () => {
      const cases: [string[], RegExp][] = [
        [['eval', '--bag', bagDir, '--model', MODEL, '--max-delay', '1e308'], /--max-delay 1e308 is outside/],
        [['eval', '--bag', bagDir, '--model', MODEL, '--max-delay', ''], /--max-delay '' is not a positive number/],
        [['segment', bagDir, '--out', fresh('o'), '--model', MODEL, '--alpha', ''], /--alpha '' is not a number/],
        [['segment', bagDir, '--out', fresh('o'), '--model', MODEL, '--alpha', '0x1'], /--alpha '0x1' is not a number/],
        [['segment', bagDir, '--out', fresh('o'), '--model', MODEL, '--size', '1x99999'], /--size 1x99999 is outside 1\.\.8192 a side/],
        [['eval', '--bag', bagDir, '--model', MODEL, '--size', '0x10'], /--size 0x10 is outside 1\.\.8192 a side/],
        [['segment', bagDir, '--out', fresh('o'), '--size', '3x3'], /^attendseg: --size 3x3: network input 3x3 does not fit op/],
        [['eval', '--bag', bagDir, '--size', '3x3', '--ignore', '11'], /^attendseg: --size 3x3: network input 3x3 does not fit op/],
        [['bag-from-folder', 'samples/camvid_val_8', fresh('b'), '--rate', '1e-300'], /--rate 1e-300 is outside/],
        [['bag-from-folder', 'samples/camvid_val_8', fresh('b'), '--start-time', '1e300'], /--start-time 1e300 is outside/],
      ];
      for (const [args, reason] of cases) {
        const line = errorLine(attendseg(args));
        assert.match(line, reason);
        assert.doesNotMatch(line, /frame stamped|BigInt/);
      }
    });

    it('a .db3 timestamp stored as text is a warning naming the message, not a BigInt error', async () => {
      const dir = fresh('db3');
      const engine = Engine.fromFile(MODEL, { threads: 1 });
      await writeEvalBag(dir, 'sqlite3', engine, { frames: 3, width: 40, height: 24 });
      const file = path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.db3'))!);
      const db = new Database(file);
      db.prepare("UPDATE messages SET timestamp = 'noon' WHERE id = (SELECT MIN(id) FROM messages)").run();
      db.close();
      const r = attendseg(['eval', '--bag', dir, '--model', MODEL, '--threads', '1', '--ignore', '11']);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /warning: skipped: .*\.db3: message \d+ on \/camera\/\w+ skipped: its timestamp "noon" is not an integer/);
      assert.doesNotMatch(r.stderr, /BigInt/);
      assert.match(r.stdout, /frames: 2 matched/);
    });

    it('a report path that is a folder is named in the error', () => {
      const dir = fresh('report-dir');
      fs.mkdirSync(dir);
      for (const option of ['--json', '--markdown']) {
        const line = errorLine(attendseg(['eval', '--bag', bagDir, '--model', MODEL, '--threads', '1', '--ignore', '11', option, dir]));
        assert.ok(line.endsWith(`cannot write ${option} ${dir}: it is a folder`), line);
      }
      const out = fresh('png-out');
      fs.mkdirSync(path.join(out, '000000_1700000000000000000_label.png'), { recursive: true });
      const line = errorLine(attendseg(['segment', bagDir, '--out', out, '--format', 'png', '--model', MODEL, '--threads', '1']));
      assert.match(line, /cannot write .*000000_1700000000000000000_label\.png: it is a folder/);
    });
  });
});
