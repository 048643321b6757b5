// Indexed MCAP reading without copies (src/bag/mcap-chunk-views.ts): the same messages in the same
// order as @mcap/core's indexed reader on random files (chunk sizes, compressions, log times out
// of order inside chunks or across them, topic filters), messages that stay intact while held,
// and damage still found by the chunk CRC.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import * as zstd from '@foxglove/wasm-zstd';
import { McapIndexedReader, McapWriter } from '@mcap/core';
import fc from 'fast-check';

import { openBag } from '../../src/bag';
import { decompressHandlers } from '../../src/bag/chunk-compression';
import { lz4FrameCompress } from '../../src/bag/lz4-frame';
import { MemorySink } from '../helpers/memory-sink';
import { tmpDir } from '../helpers/tmp';

const TOPICS = ['/a', '/b', '/c'];

interface Msg {
  topic: string;
  logTime: bigint;
  publishTime: bigint;
  data: Uint8Array;
}

type Compression = 'none' | 'zstd' | 'lz4';

async function writeMcap(file: string, messages: Msg[], compression: Compression, chunkSize: number): Promise<void> {
  await zstd.isLoaded;
  const sink = new MemorySink();
  const compressChunk =
    compression === 'none'
      ? undefined
      : (chunk: Uint8Array) => ({ compression, compressedData: compression === 'zstd' ? zstd.compress(chunk, 1) : lz4FrameCompress(chunk) });
  const w = new McapWriter({ writable: sink, chunkSize, compressChunk });
  await w.start({ profile: 'ros2', library: 'test' });
  const schemaId = await w.registerSchema({ name: 'std_msgs/msg/Empty', encoding: 'ros2msg', data: new Uint8Array() });
  const ids = new Map<string, number>();
  for (const topic of TOPICS) ids.set(topic, await w.registerChannel({ topic, messageEncoding: 'cdr', schemaId, metadata: new Map() }));
  let sequence = 0;
  for (const m of messages) await w.addMessage({ channelId: ids.get(m.topic)!, sequence: ++sequence, logTime: m.logTime, publishTime: m.publishTime, data: m.data });
  await w.end();
  fs.writeFileSync(file, sink.bytes());
}

/** What @mcap/core's indexed reader (copying every message) gives for the file. */
async function reference(file: string, topics?: string[]): Promise<Msg[]> {
  const bytes = fs.readFileSync(file);
  const reader = await McapIndexedReader.Initialize({
    readable: { size: async () => BigInt(bytes.length), read: async (o: bigint, n: bigint) => bytes.subarray(Number(o), Number(o + n)) },
    decompressHandlers: await decompressHandlers(),
  });
  const out: Msg[] = [];
  for await (const m of reader.readMessages({ topics })) {
    out.push({ topic: reader.channelsById.get(m.channelId)!.topic, logTime: m.logTime, publishTime: m.publishTime, data: m.data });
  }
  return out;
}

async function readBag(file: string, topics?: string[]): Promise<Msg[]> {
  const bag = await openBag(file);
  try {
    const out: Msg[] = [];
    for await (const m of bag.messages({ topics })) out.push({ topic: m.topic, logTime: m.logTime, publishTime: m.publishTime, data: m.data });
    assert.deepEqual(bag.problems, []);
    return out;
  } finally {
    await bag.close();
  }
}

const plain = (ms: Msg[]) => ms.map((m) => ({ ...m, data: Buffer.from(m.data).toString('hex') }));

describe('bag: MCAP messages as views into their chunk', () => {
  const tmp = tmpDir('bag-chunk-views');
  after(() => tmp.remove());

  it('equal @mcap/core indexed reading on random files', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ topic: fc.constantFrom(...TOPICS), size: fc.integer({ min: 0, max: 3000 }), jitter: fc.integer({ min: 0, max: 40 }), seed: fc.integer() }), {
          minLength: 0,
          maxLength: 60,
        }),
        fc.constantFrom<Compression>('none', 'zstd', 'lz4'),
        fc.integer({ min: 64, max: 12000 }),
        // Log times: rising, shuffled within groups of messages, anywhere (chunks overlap), or
        // from three values (equal times inside and across chunks, chunks that touch).
        fc.constantFrom('rising', 'local', 'any', 'ties'),
        fc.option(fc.subarray(TOPICS), { nil: undefined }),
        async (specs, compression, chunkSize, order, topics) => {
          const messages: Msg[] = specs.map((s, i) => {
            const data = new Uint8Array(s.size);
            for (let k = 0; k < data.length; k++) data[k] = (s.seed + k * 131 + i) & 0xff;
            const t =
              order === 'rising' ? i * 10 : order === 'local' ? Math.floor(i / 5) * 1000 + s.jitter : order === 'ties' ? (s.jitter % 3) * 7 : Math.abs(s.seed) % 500;
            return { topic: s.topic, logTime: BigInt(t), publishTime: BigInt(s.seed >>> 0), data };
          });
          const file = path.join(tmp.path, `random_${n++}.mcap`);
          await writeMcap(file, messages, compression, chunkSize);
          assert.deepEqual(plain(await readBag(file, topics)), plain(await reference(file, topics)));
          fs.rmSync(file);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('orders equal log times in touching chunks by chunk offset, as @mcap/core does', async () => {
    // Found by the property above: the first chunk holds one message at 14, the second one at 14
    // and one at 0, so the second starts first but both hold time 14, whose messages come first
    // from the chunk earlier in the file.
    const messages: Msg[] = [
      { topic: '/a', logTime: 14n, publishTime: 0n, data: new Uint8Array([0]) },
      { topic: '/a', logTime: 14n, publishTime: 0n, data: new Uint8Array() },
      { topic: '/a', logTime: 0n, publishTime: 0n, data: new Uint8Array() },
    ];
    const file = path.join(tmp.path, 'touching.mcap');
    await writeMcap(file, messages, 'none', 64);
    const expected = await reference(file);
    assert.deepEqual(plain(expected), plain([messages[2], messages[0], messages[1]]));
    assert.deepEqual(plain(await readBag(file)), plain(expected));
  });

  it('hands out views into one buffer per chunk that stay intact while held', async () => {
    const messages: Msg[] = Array.from({ length: 40 }, (_, i) => ({
      topic: TOPICS[i % 3],
      logTime: BigInt(i),
      publishTime: BigInt(i),
      data: new Uint8Array(1000).fill(i),
    }));
    const file = path.join(tmp.path, 'views.mcap');
    await writeMcap(file, messages, 'none', 4000);
    const got = await readBag(file);
    assert.equal(got.length, messages.length);
    const buffers = new Set(got.map((m) => m.data.buffer));
    // About four messages a chunk: each chunk's messages share its buffer, no two chunks share one.
    assert.ok(buffers.size >= 8 && buffers.size <= 12, `${buffers.size} buffers for 40 messages in 4 kB chunks`);
    for (const m of got) assert.ok(m.data.buffer.byteLength > m.data.length, 'a view, not a copy');
    got.forEach((m, i) => assert.deepEqual(Buffer.from(m.data), Buffer.from(messages[i].data), `message ${i}`));
  });

  it('finds a damaged uncompressed chunk by its CRC, naming the file', async () => {
    const messages: Msg[] = Array.from({ length: 10 }, (_, i) => ({ topic: '/a', logTime: BigInt(i), publishTime: 0n, data: new Uint8Array(500).fill(7) }));
    const file = path.join(tmp.path, 'flipped.mcap');
    await writeMcap(file, messages, 'none', 2000);
    const bytes = fs.readFileSync(file);
    // A byte inside the first message's data, past the header records and the chunk's own prefix.
    const at = bytes.indexOf(Buffer.alloc(500, 7));
    bytes[at + 100] ^= 1;
    fs.writeFileSync(file, bytes);
    await assert.rejects(readBag(file), (e: Error) => e.message.includes('flipped.mcap') && /is damaged: Incorrect chunk CRC/.test(e.message));
  });
});
