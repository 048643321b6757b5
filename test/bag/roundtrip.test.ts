// Bags written and read back in both storage formats: topics, counts, order, bytes, filters, a
// bare storage file, and lazy reading that keeps memory flat.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';

import { createBag, openBag, parseQosProfiles } from '../../src/bag';
import type { StorageId } from '../../src/bag';
import { decodeImage } from '../../src/msg';
import { T0, writeImageBag } from '../helpers/bags';
import { tmpDir } from '../helpers/tmp';

const FORMATS: StorageId[] = ['mcap', 'sqlite3'];

describe('bag: round trip', () => {
  const tmp = tmpDir('bag-rt');
  after(() => tmp.remove());

  for (const format of FORMATS) {
    describe(format, () => {
      const dir = path.join(tmp.path, `rt_${format}`);
      let written: Awaited<ReturnType<typeof writeImageBag>>;
      before(async () => {
        written = await writeImageBag(dir, format, 9);
      });

      it('lays out a rosbag2 directory: metadata.yaml and <name>_0 storage file', () => {
        const ext = format === 'mcap' ? 'mcap' : 'db3';
        assert.deepEqual(fs.readdirSync(dir).sort(), [`rt_${format}_0.${ext}`, "metadata.yaml"].sort());
      });

      it('reads back topics, types, counts and QoS', async () => {
        const bag = await openBag(dir);
        try {
          assert.equal(bag.storage, format);
          const topics = bag.topics();
          assert.deepEqual(
            topics.map((t) => [t.name, t.type, t.serializationFormat, t.messageCount]),
            [
              ['/camera/image_raw', 'sensor_msgs/msg/Image', 'cdr', 9],
              ['/camera/label_gt', 'sensor_msgs/msg/Image', 'cdr', 9],
            ],
          );
          const qos = parseQosProfiles(topics[0].offeredQosProfiles);
          assert.equal(qos.length, 1);
          assert.equal(qos[0].reliability, 'reliable');
          assert.equal(topics[0].definition?.encoding, 'ros2msg');
          assert.match(topics[0].definition!.text, /^std_msgs\/Header header\n/);
          assert.deepEqual(bag.problems, []);
        } finally {
          await bag.close();
        }
      });

      it('reads every message back in time order with identical bytes', async () => {
        const bag = await openBag(dir);
        const got = [];
        for await (const m of bag.messages()) got.push({ topic: m.topic, logTime: m.logTime, data: Buffer.from(m.data) });
        await bag.close();
        assert.equal(got.length, written.length);
        // Same time on both topics: compare as sets per stamp, then bytes.
        const key = (m: { topic: string; logTime: bigint }) => `${m.logTime}|${m.topic}`;
        const want = new Map(written.map((m) => [key(m), Buffer.from(m.data)]));
        for (let i = 1; i < got.length; i++) assert.ok(got[i - 1].logTime <= got[i].logTime, 'time order');
        for (const m of got) assert.deepEqual(m.data, want.get(key(m)));
        assert.equal(got[0].logTime, T0);
      });

      it('filters by topic and decodes the images', async () => {
        const bag = await openBag(dir);
        const labels = [];
        for await (const m of bag.messages({ topics: ['/camera/label_gt'] })) labels.push(decodeImage(m.data));
        await bag.close();
        assert.equal(labels.length, 9);
        assert.ok(labels.every((l) => l.encoding === 'mono8' && l.width === 7 && l.height === 5));
      });

      it('opens the bare storage file without metadata.yaml', async () => {
        const file = fs.readdirSync(dir).find((f) => f !== 'metadata.yaml')!;
        const bag = await openBag(path.join(dir, file));
        let n = 0;
        for await (const _ of bag.messages()) n++;
        await bag.close();
        assert.equal(n, 18);
      });

      it('stops early without leaving the reader busy', async () => {
        const bag = await openBag(dir);
        for await (const _ of bag.messages()) break;
        let n = 0;
        for await (const _ of bag.messages({ topics: ['/camera/image_raw'] })) n++;
        await bag.close();
        assert.equal(n, 9);
      });
    });
  }

  it('refuses to overwrite an existing bag and to write an unknown topic', async () => {
    const dir = path.join(tmp.path, 'exists');
    await writeImageBag(dir, 'mcap', 1);
    await assert.rejects(createBag(dir), /output bag .*exists already|already exists/);
    const bag = await createBag(path.join(tmp.path, 'unknown'));
    await assert.rejects(bag.write('/nope', 0n, new Uint8Array(4)), /topic \/nope was not added/);
    await assert.rejects(bag.addTopic({ name: 'relative', type: 'sensor_msgs/msg/Image' }), /must be absolute/);
    await assert.rejects(bag.addTopic({ name: '/twist', type: 'geometry_msgs/msg/Twist' }), /no message definition/);
    await bag.close();
  });
});

describe('bag: streaming', () => {
  const tmp = tmpDir('bag-stream');
  after(() => tmp.remove());
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;

  for (const format of FORMATS) {
    it(`${format}: memory stays flat while a 24 MB bag is read`, async () => {
      const dir = path.join(tmp.path, format);
      const bag = await createBag(dir, { format });
      await bag.addTopic({ name: '/blob', type: 'sensor_msgs/msg/CompressedImage' });
      const payload = new Uint8Array(600_000);
      for (let i = 0; i < 40; i++) {
        payload.fill(i);
        await bag.write('/blob', BigInt(i) * 1000n, payload);
      }
      await bag.close();
      gc();
      const base = process.memoryUsage().arrayBuffers;
      const held: number[] = [];
      let n = 0;
      const reader = await openBag(dir);
      for await (const m of reader.messages()) {
        assert.equal(m.data[0], n++ & 255);
        if (n % 5 === 0) {
          gc();
          held.push(process.memoryUsage().arrayBuffers - base);
        }
      }
      await reader.close();
      assert.equal(n, 40);
      // The median sample: the collector frees external memory lazily, so single samples jump.
      const median = held.sort((a, b) => a - b)[held.length >> 1];
      assert.ok(median < 6e6, `${(median / 1e6).toFixed(1)} MB of buffers held while reading a 24 MB bag`);
    });
  }
});
