// MCAP chunk compression: zstd and lz4 bags through our writer and reader, a zstd bag written the
// way rosbag2_storage_mcap and Foxglove write one (straight through @mcap/core) scored by eval,
// a truncated compressed bag, an unknown compression, the LZ4 frame encoder against the reference
// decoder, and the command-line option.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';

import lz4 from '@foxglove/wasm-lz4';
import * as zstd from '@foxglove/wasm-zstd';
import { McapIndexedReader, McapWriter } from '@mcap/core';
import fc from 'fast-check';
import YAML from 'yaml';

import { createBag, openBag, DEFAULT_QOS, serializeQosProfiles } from '../../src/bag';
import type { ChunkCompression } from '../../src/bag';
import { decompressHandlers } from '../../src/bag/chunk-compression';
import { compressBlock, lz4FrameCompress, xxh32Short } from '../../src/bag/lz4-frame';
import { Engine } from '../../src/engine/engine';
import { evaluateEngineOnBag } from '../../src/eval/evaluate-engine';
import { evaluateRecordedTopics } from '../../src/eval/evaluate-topics';
import { encodeImage, IMAGE_TYPE, messageDefinition, nsToTime } from '../../src/msg';
import { attendseg } from '../helpers/cli';
import { labels, writeDataset } from '../helpers/dataset';
import { groundTruthFrom, mono8, naiveConfusion, PERIOD, START } from '../helpers/eval-bags';
import { randomBytes, smoothFrame } from '../helpers/frames';
import { MemorySink } from '../helpers/memory-sink';
import { tmpDir } from '../helpers/tmp';

const FIXTURE = 'test/fixtures/attendseg_nearest_qdq.onnx';

type Written = { topic: string; logTime: bigint; data: Uint8Array };

function storageFile(dir: string): string {
  return path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.mcap'))!);
}

/** The chunk index of an MCAP file: compression and sizes of each chunk, from its summary. */
async function chunks(file: string) {
  const fh = await fs.promises.open(file, 'r');
  try {
    const size = BigInt((await fh.stat()).size);
    const reader = await McapIndexedReader.Initialize({
      readable: {
        size: async () => size,
        read: async (offset: bigint, n: bigint) => {
          const b = Buffer.alloc(Number(n));
          await fh.read(b, 0, Number(n), Number(offset));
          return b;
        },
      },
    });
    return { chunks: reader.chunkIndexes.map((c) => ({ ...c })), summaryStart: reader.footer.summaryStart };
  } finally {
    await fh.close();
  }
}

async function readAll(p: string) {
  const bag = await openBag(p);
  try {
    const got: Written[] = [];
    for await (const m of bag.messages()) got.push({ topic: m.topic, logTime: m.logTime, data: Buffer.from(m.data) });
    return { got, topics: bag.topics(), problems: bag.problems };
  } finally {
    await bag.close();
  }
}

/** Smooth rgb8 frames with blocky mono8 labels: image data that compresses, as camera images do. */
async function writeSmoothBag(dir: string, compression: ChunkCompression, frames: number, [w, h]: [number, number]): Promise<Written[]> {
  const bag = await createBag(dir, { format: 'mcap', rosDistro: 'jazzy', compression });
  await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
  await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
  const written: Written[] = [];
  for (let i = 0; i < frames; i++) {
    const t = START + BigInt(i) * PERIOD;
    const header = { stamp: nsToTime(t), frame_id: 'camera' };
    const f = smoothFrame({ encoding: 'rgb8', width: w, height: h, seed: 7 + i });
    const img = encodeImage({ header, height: h, width: w, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data });
    const lab = encodeImage(mono8(header, w, h, labels(w, h, i)));
    // The label 1 ns later: one order in time, so messages compare one to one.
    await bag.write('/camera/image_raw', t, img);
    await bag.write('/camera/label_gt', t + 1n, lab);
    written.push({ topic: '/camera/image_raw', logTime: t, data: img }, { topic: '/camera/label_gt', logTime: t + 1n, data: lab });
  }
  await bag.close();
  return written;
}

/**
 * An MCAP file as rosbag2_storage_mcap writes one with its defaults, through @mcap/core directly:
 * profile ros2, ros2msg schemas, channels with offered_qos_profiles, chunks compressed by `compress`
 * whether or not that shrinks them (Foxglove's writer does the same).
 */
async function writeForeignMcap(
  file: string,
  topics: string[],
  messages: Written[],
  compress: (chunk: Uint8Array) => { compression: string; compressedData: Uint8Array },
  chunkSize: number,
): Promise<void> {
  const sink = new MemorySink();
  const w = new McapWriter({ writable: sink, chunkSize, compressChunk: compress });
  await w.start({ profile: 'ros2', library: 'foreign test writer' });
  const schemaId = await w.registerSchema({ name: IMAGE_TYPE, encoding: 'ros2msg', data: new TextEncoder().encode(messageDefinition(IMAGE_TYPE)) });
  const ids = new Map<string, number>();
  for (const topic of topics) {
    const metadata = new Map([['offered_qos_profiles', serializeQosProfiles([DEFAULT_QOS])], ['topic_type_hash', '']]);
    ids.set(topic, await w.registerChannel({ topic, messageEncoding: 'cdr', schemaId, metadata }));
  }
  let sequence = 0;
  for (const m of messages) {
    await w.addMessage({ channelId: ids.get(m.topic)!, sequence: ++sequence, logTime: m.logTime, publishTime: m.logTime, data: m.data });
  }
  await w.end();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, sink.bytes());
}

const sortByTime = (ms: Written[]) => [...ms].sort((a, b) => (a.logTime < b.logTime ? -1 : a.logTime > b.logTime ? 1 : 0));

describe('bag: MCAP chunk compression', () => {
  const tmp = tmpDir('bag-compression');
  after(() => tmp.remove());
  before(async () => {
    await zstd.isLoaded;
    await lz4.isLoaded;
  });

  for (const compression of ['zstd', 'lz4'] as const) {
    describe(compression, () => {
      const dir = path.join(tmp.path, `rt_${compression}`);
      let written: Written[];
      before(async () => {
        // 96x64 rgb8 + mono8 = 24.6 kB a frame: 70 frames fill two and a half 768 KiB chunks.
        written = await writeSmoothBag(dir, compression, 70, [96, 64]);
      });

      it(`writes ${compression} chunks that are smaller than the data they hold`, async () => {
        const { chunks: cs } = await chunks(storageFile(dir));
        assert.ok(cs.length >= 3, `${cs.length} chunks`);
        for (const c of cs) {
          assert.equal(c.compression, compression);
          assert.ok(c.compressedSize < (c.uncompressedSize * 9n) / 10n, `${c.compressedSize} of ${c.uncompressedSize} bytes`);
        }
        const plain = path.join(tmp.path, `plain_for_${compression}`);
        await writeSmoothBag(plain, 'none', 70, [96, 64]);
        const { chunks: raw } = await chunks(storageFile(plain));
        assert.ok(raw.every((c) => c.compression === ''));
        assert.ok(fs.statSync(storageFile(dir)).size < 0.9 * fs.statSync(storageFile(plain)).size);
      });

      it('reads every message back, in order and byte for byte, through the index', async () => {
        const { got, topics, problems } = await readAll(dir);
        assert.deepEqual(problems, []);
        assert.deepEqual(topics.map((t) => [t.name, t.messageCount]), [['/camera/image_raw', 70], ['/camera/label_gt', 70]]);
        assert.deepEqual(got, written.map((m) => ({ ...m, data: Buffer.from(m.data) })));
      });

      it('reads every message back front to back when the summary is missing', async () => {
        const cut = path.join(tmp.path, `nosummary_${compression}.mcap`);
        const { summaryStart } = await chunks(storageFile(dir));
        fs.copyFileSync(storageFile(dir), cut);
        fs.truncateSync(cut, Number(summaryStart)); // data section and DataEnd complete, no summary nor footer
        const { got, problems } = await readAll(cut);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /no usable summary .*without a footer; 140 messages before that were read/);
        assert.deepEqual(got, written.map((m) => ({ ...m, data: Buffer.from(m.data) })));
      });

      it('metadata.yaml keeps compression_format and compression_mode empty: they describe rosbag2 file or message compression', () => {
        const info = YAML.parse(fs.readFileSync(path.join(dir, 'metadata.yaml'), 'utf8')).rosbag2_bagfile_information;
        assert.equal(info.compression_format, '');
        assert.equal(info.compression_mode, '');
        assert.equal(info.storage_identifier, 'mcap');
      });

      it('a truncated bag is read up to the cut, and the skip is reported', async () => {
        const cut = path.join(tmp.path, `cut_${compression}`);
        fs.mkdirSync(cut);
        const file = path.join(cut, 'cut_0.mcap');
        fs.copyFileSync(storageFile(dir), file);
        const { chunks: cs } = await chunks(file);
        // Cut in the middle of the third chunk: the first two are whole.
        const third = cs[2];
        fs.truncateSync(file, Number(third.chunkStartOffset + third.chunkLength / 2n));
        const { got, topics, problems } = await readAll(cut);
        assert.equal(problems.length, 1);
        assert.match(problems[0], /cut_0\.mcap: no usable summary \(no footer\)/);
        assert.match(problems[0], /ends inside a record: its last \d+ bytes \(from offset \d+ of \d+\) could not be read/);
        assert.match(problems[0], new RegExp(`; ${got.length} messages before that were read`));
        assert.ok(got.length > 20 && got.length < 140, `${got.length} messages read`);
        assert.equal(topics.reduce((n, t) => n + t.messageCount, 0), got.length);
        // Exactly the messages of the chunks before the cut, unchanged.
        assert.deepEqual(got, written.slice(0, got.length).map((m) => ({ ...m, data: Buffer.from(m.data) })));
      });
    });
  }

  it('memory stays bounded while a zstd bag of 48 MB of messages is read', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const dir = path.join(tmp.path, 'flat');
    const bag = await createBag(dir, { compression: 'zstd' });
    await bag.addTopic({ name: '/blob', type: 'sensor_msgs/msg/CompressedImage' });
    const payload = new Uint8Array(600_000);
    for (let i = 0; i < 80; i++) {
      for (let j = 0; j < payload.length; j++) payload[j] = (j * (i + 1) + (j >> 9)) & 255;
      await bag.write('/blob', BigInt(i) * 1000n, payload);
    }
    await bag.close();
    assert.ok(fs.statSync(storageFile(dir)).size < 5e6, 'the chunks are compressed');
    const reader = await openBag(dir); // loads the codec
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let most = 0;
    let n = 0;
    for await (const m of reader.messages()) {
      assert.equal(m.data[1], (n + 1) & 255);
      if (++n % 5 === 0) {
        gc();
        most = Math.max(most, process.memoryUsage().arrayBuffers - base);
      }
    }
    await reader.close();
    assert.equal(n, 80);
    // A few decompressed chunks at a time (the collector frees them lazily), never the whole bag.
    assert.ok(most < 16e6, `${(most / 1e6).toFixed(1)} MB of buffers held while reading 48 MB of messages`);
  });

  it('a chunk that compression would not shrink is stored uncompressed, as rosbag2 does', async () => {
    const dir = path.join(tmp.path, 'noise');
    const bag = await createBag(dir, { compression: 'zstd' });
    await bag.addTopic({ name: '/blob', type: 'sensor_msgs/msg/CompressedImage' });
    const payloads = [0, 1, 2].map((i) => randomBytes(300_000, 50 + i));
    for (let i = 0; i < 3; i++) await bag.write('/blob', BigInt(i), payloads[i]);
    await bag.close();
    const { chunks: cs } = await chunks(storageFile(dir));
    assert.ok(cs.length >= 1 && cs.every((c) => c.compression === ''), JSON.stringify(cs.map((c) => c.compression)));
    const { got } = await readAll(dir);
    assert.deepEqual(got.map((m) => m.data), payloads.map((p) => Buffer.from(p)));
  });

  describe('a zstd bag written as rosbag2_storage_mcap writes it', () => {
    const dir = path.join(tmp.path, 'recorded');
    let engine: Engine;
    let pairs: { pred: Uint8Array; gt: Uint8Array }[];
    before(async () => {
      engine = Engine.fromFile(FIXTURE, { threads: 1 });
      // The engine's labels on /attendseg/label (as the live node publishes them), ground truth derived
      // from them with known differences, received a little later than the image.
      const messages: Written[] = [];
      pairs = [];
      for (let i = 0; i < 6; i++) {
        const t = START + BigInt(i) * PERIOD;
        const header = { stamp: nsToTime(t), frame_id: 'camera' };
        const f = smoothFrame({ encoding: 'rgb8', width: 40, height: 24, pad: 2, seed: 100 + i });
        const pred = Uint8Array.from(engine.runSync(f).label!);
        const gt = groundTruthFrom(pred, 11, 11);
        pairs.push({ pred, gt });
        messages.push(
          { topic: '/camera/image_raw', logTime: t, data: encodeImage({ header, height: 24, width: 40, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data }) },
          { topic: '/camera/label_gt', logTime: t + 2_000_000n, data: encodeImage(mono8(header, 40, 24, gt)) },
          { topic: '/attendseg/label', logTime: t + 30_000_000n, data: encodeImage(mono8(header, 40, 24, pred)) },
        );
      }
      // Small chunks: several zstd chunks, messages of one frame spread over two of them.
      await writeForeignMcap(
        path.join(dir, 'recorded_0.mcap'),
        ['/camera/image_raw', '/camera/label_gt', '/attendseg/label'],
        sortByTime(messages),
        (chunk) => ({ compression: 'zstd', compressedData: zstd.compress(chunk, 1) }),
        4096,
      );
    });

    it('has zstd chunks only', async () => {
      const { chunks: cs } = await chunks(storageFile(dir));
      assert.ok(cs.length >= 4, `${cs.length} chunks`);
      assert.ok(cs.every((c) => c.compression === 'zstd'));
    });

    it('eval (b) scores its recorded labels against its ground truth', async () => {
      const m = engine.metadata;
      const r = await evaluateRecordedTopics(dir, {
        predictionTopic: '/attendseg/label',
        gtTopic: '/camera/label_gt',
        classNames: m.classNames,
        palette: m.palette,
        ignoreIndex: 11,
      });
      assert.deepEqual(r.frames, { matched: 6, missingPrediction: 0, missingGroundTruth: 0, duplicates: 0 });
      assert.deepEqual(r.confusion, naiveConfusion(pairs, 11, 11));
      assert.deepEqual(r.skipped, []);
      assert.ok(r.latency && Math.abs(r.latency.p50 - 28) < 1e-6, `latency p50 ${r.latency?.p50} ms`);
    });

    it('eval (a) runs the engine on its images and scores them the same', async () => {
      const m = engine.metadata;
      const r = await evaluateEngineOnBag(dir, { engine, modelPath: FIXTURE, classNames: m.classNames, palette: m.palette, ignoreIndex: 11, gtTopic: '/camera/label_gt' });
      assert.equal(r.frames.matched, 6);
      assert.deepEqual(r.confusion, naiveConfusion(pairs, 11, 11));
    });
  });

  describe('an unknown chunk compression', () => {
    const file = path.join(tmp.path, 'bz2', 'bz2_0.mcap');
    const messages: Written[] = [0, 1, 2, 3].map((i) => ({
      topic: '/camera/label_gt',
      logTime: START + BigInt(i) * PERIOD,
      data: encodeImage(mono8({ stamp: nsToTime(START + BigInt(i) * PERIOD), frame_id: 'camera' }, 32, 32, labels(32, 32, i))),
    }));
    before(async () => {
      // The bytes are left as they are: only the name says bz2.
      await writeForeignMcap(file, ['/camera/label_gt'], messages, (chunk) => ({ compression: 'bz2', compressedData: chunk }), 1500);
    });
    const clear = (e: Error) =>
      e.message.includes('bz2_0.mcap') && /chunks are compressed with 'bz2', which cannot be read \(supported: zstd, lz4 or none\)/.test(e.message);

    it('is refused on opening, naming the file and the compression', async () => {
      await assert.rejects(openBag(path.dirname(file)), clear);
    });

    it('is refused the same way when the file has no summary and is read front to back', async () => {
      const cut = path.join(tmp.path, 'bz2cut', 'bz2_0.mcap');
      fs.mkdirSync(path.dirname(cut));
      fs.copyFileSync(file, cut);
      fs.truncateSync(cut, Number((await chunks(file)).summaryStart) - 10);
      await assert.rejects(openBag(cut), clear);
    });

    it('stops eval with that error rather than scoring nothing', async () => {
      await assert.rejects(
        evaluateRecordedTopics(path.dirname(file), { predictionTopic: '/camera/label_gt', gtTopic: '/camera/label_gt', classNames: ['a'], palette: new Uint8Array(3), ignoreIndex: null }),
        clear,
      );
    });
  });

  it('a damaged zstd chunk is reported as damage, naming the file', async () => {
    const dir = path.join(tmp.path, 'flip');
    await writeSmoothBag(dir, 'zstd', 12, [64, 48]);
    const file = storageFile(dir);
    const { chunks: cs } = await chunks(file);
    const bytes = fs.readFileSync(file);
    // Chunk record: opcode, length, then start/end time, size, crc, compression string, records length.
    const c = cs[0];
    const records = Number(c.chunkStartOffset) + 1 + 8 + 8 + 8 + 8 + 4 + 4 + c.compression.length + 8;
    for (let i = 200; i < 260; i++) bytes[records + i] ^= 0x5a;
    fs.writeFileSync(file, bytes);
    await assert.rejects(readAll(dir), (e: Error) => e.message.includes(path.basename(file)) && /is damaged: .*(zstd chunk|chunk CRC)/.test(e.message));
  });

  it('the decompressors check what the chunk header promises', async () => {
    const h = await decompressHandlers();
    const data = Buffer.from('a chunk of records '.repeat(100));
    assert.deepEqual(Buffer.from(h.zstd(zstd.compress(data, 1), BigInt(data.length))), data);
    assert.deepEqual(Buffer.from(h.lz4(lz4FrameCompress(data), BigInt(data.length))), data);
    // zstd alone would hand back the shorter result without complaint.
    assert.throws(() => h.zstd(zstd.compress(data, 1), BigInt(data.length + 7)), /a zstd chunk decompressed to 1900 bytes, not the 1907 its header gives/);
    assert.throws(() => h.lz4(data, BigInt(data.length)), /a lz4 chunk could not be decompressed/);
    assert.throws(() => h.zstd(data, 5n << 30n), /a zstd chunk claims 5368709120 bytes uncompressed/);
    assert.equal(Object.getPrototypeOf(h), null);
  });

  it('a bag with rosbag2 file or message compression is refused with the reason', async () => {
    const dir = path.join(tmp.path, 'msgcomp');
    await writeSmoothBag(dir, 'none', 1, [8, 8]);
    const meta = path.join(dir, 'metadata.yaml');
    fs.writeFileSync(meta, fs.readFileSync(meta, 'utf8').replace('compression_format: ""', 'compression_format: zstd').replace('compression_mode: ""', 'compression_mode: MESSAGE'));
    await assert.rejects(openBag(dir), /msgcomp was recorded with rosbag2's own zstd compression in MESSAGE mode \(ros2 bag record --compression-mode\)/);
  });

  it('sqlite3 takes no compression, and an unknown compression is named', async () => {
    const dir = path.join(tmp.path, 'sq');
    await assert.rejects(createBag(dir, { format: 'sqlite3', compression: 'zstd' }), /compression 'zstd' applies to MCAP chunks; a sqlite3 bag has no chunks/);
    await assert.rejects(createBag(dir, { compression: 'gzip' as ChunkCompression }), /compression 'gzip' is not one of none, zstd, lz4/);
    assert.ok(!fs.existsSync(dir), 'nothing was created');
    const ok = await createBag(dir, { format: 'sqlite3', compression: 'none' });
    await ok.close();
  });
});

describe('bag: LZ4 frame encoder', () => {
  before(async () => {
    await lz4.isLoaded;
  });
  const roundTrip = (d: Uint8Array) => Buffer.from(lz4(lz4FrameCompress(d), d.length));

  it('xxh32 of short inputs matches the reference values', () => {
    assert.equal(xxh32Short(new Uint8Array()), 0x02cc5d05);
    assert.equal(xxh32Short(Buffer.from('abc')), 0x32d153ff);
  });

  it('frames decode to the input: empty, tiny, runs, text, noise, and more than one 4 MiB block', () => {
    const mixed = new Uint8Array(9_000_000);
    for (let i = 0; i < mixed.length; i++) mixed[i] = i % 3 === 0 ? (i * 7919) % 5 : (i >> 10) & 255;
    const cases = [new Uint8Array(), Buffer.from('hello'), new Uint8Array(13), new Uint8Array(70_000).fill(9), Buffer.from('a repeated sentence. '.repeat(4000)), randomBytes(200_000, 3), mixed];
    for (const d of cases) assert.deepEqual(roundTrip(d), Buffer.from(d), `${d.length} bytes`);
  });

  it('compresses: a run and text shrink to a small fraction, noise grows only by the framing', () => {
    assert.ok(compressBlock(new Uint8Array(1 << 20)).length < 5000);
    assert.ok(lz4FrameCompress(Buffer.from('a repeated sentence. '.repeat(4000))).length < 1500);
    const noise = randomBytes(100_000, 4);
    assert.equal(lz4FrameCompress(noise).length, noise.length + 4 + 11 + 4 + 4);
  });

  it('any mix of literals and back-references (overlapping, and beyond the 64 KiB window) round-trips', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => ({ literal: b })),
      fc.record({ distance: fc.integer({ min: 1, max: 80_000 }), length: fc.integer({ min: 1, max: 700 }) }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 300 }), (pieces) => {
        const out: number[] = [];
        for (const p of pieces) {
          if ('literal' in p) out.push(...p.literal);
          else if (out.length > 0) for (let i = 0, from = out.length - Math.min(p.distance, out.length); i < p.length; i++) out.push(out[from + i]);
        }
        const d = Uint8Array.from(out);
        assert.deepEqual(roundTrip(d), Buffer.from(d));
      }),
      { numRuns: 150 },
    );
  });

  it('the reference decoder checks the header checksum, so an accepted frame has a right one', () => {
    const f = lz4FrameCompress(Buffer.from('checksum '.repeat(20)));
    const bad = Uint8Array.from(f);
    bad[14] ^= 0x01; // the header checksum byte, after magic (4), FLG, BD and the 8-byte content size
    assert.throws(() => lz4(bad, 180));
    assert.equal(roundTrip(Buffer.from('checksum '.repeat(20))).toString(), 'checksum '.repeat(20));
  });
});

describe('bag: --compression on the command line', () => {
  const tmp = tmpDir('bag-compression-cli');
  after(() => tmp.remove());

  it('bag-from-folder writes zstd chunks; segment writes lz4 chunks that eval reads', async () => {
    const images = await writeDataset(path.join(tmp.path, 'data'), 3, 40, 24);
    const bag = path.join(tmp.path, 'bag');
    const r = attendseg(['bag-from-folder', images, bag, '--compression', 'zstd', '--start-time', '1700000000']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote 3 frames to .*bag \(mcap, zstd chunks\)/);
    const { chunks: zs } = await chunks(storageFile(bag));
    assert.ok(zs.length > 0 && zs.every((c) => c.compression === 'zstd'));
    const out = path.join(tmp.path, 'seg');
    const s = attendseg(['segment', bag, '--out', out, '--model', FIXTURE, '--threads', '1', '--outputs', 'label', '--copy', '/camera/label_gt', '--compression', 'lz4']);
    assert.equal(s.status, 0, s.stderr);
    const { chunks: ls } = await chunks(storageFile(out));
    assert.ok(ls.length > 0 && ls.every((c) => c.compression === 'lz4'));
    const m = Engine.fromFile(FIXTURE, { threads: 1 }).metadata;
    const e = await evaluateRecordedTopics(out, { predictionTopic: '/attendseg/label', gtTopic: '/camera/label_gt', classNames: m.classNames, palette: m.palette, ignoreIndex: 11 });
    assert.equal(e.frames.matched, 3);
  });

  it('refuses compression for sqlite3 and for PNG output, and names an unknown compression', () => {
    const images = path.join(tmp.path, 'data', 'val');
    const sq = path.join(tmp.path, 'sq');
    const a = attendseg(['bag-from-folder', images, sq, '--format', 'sqlite3', '--compression', 'zstd']);
    assert.equal(a.status, 1);
    assert.match(a.stderr, /compression 'zstd' applies to MCAP chunks; a sqlite3 bag has no chunks and is written uncompressed/);
    assert.ok(!fs.existsSync(sq));
    const b = attendseg(['bag-from-folder', images, sq, '--compression', 'bz2']);
    assert.match(b.stderr, /--compression 'bz2' is not one of none, zstd, lz4/);
    const c = attendseg(['segment', path.join(tmp.path, 'bag'), '--out', path.join(tmp.path, 'png'), '--format', 'png', '--compression', 'zstd', '--model', FIXTURE]);
    assert.equal(c.status, 1);
    assert.match(c.stderr, /compression 'zstd' applies to an output bag, and this run writes PNG files/);
  });
});
