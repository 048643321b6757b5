// Bounded fuzzing of the bag readers with fixed seeds: byte mutations of small MCAP (plain and
// zstd/lz4 chunks) and sqlite3 bags written here. Every file must be read (possibly with
// problems reported) or rejected with an Error that says what is wrong, quickly, and every
// reader must let go of its file either way.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import fc from 'fast-check';

import { openBag } from '../../src/bag';
import type { BagReader, ChunkCompression, StorageId } from '../../src/bag';
import { createBag } from '../../src/bag';
import { encodeImage, IMAGE_TYPE } from '../../src/msg';
import { image, PERIOD, T0 } from '../helpers/bags';
import { tmpDir } from '../helpers/tmp';

// Each property stops after this long (or its run count).
const BUDGET_MS = 10_000;
const SLOW_MS = 3_000;

async function smallBag(dir: string, format: StorageId, chunkCompression: ChunkCompression = 'none'): Promise<Uint8Array> {
  const bag = await createBag(dir, { format, rosDistro: 'jazzy', compression: chunkCompression });
  await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
  await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
  for (let i = 0; i < 4; i++) {
    await bag.write('/camera/image_raw', T0 + BigInt(i) * PERIOD, encodeImage(image(i, 5, 3, 'rgb8', 3)));
    await bag.write('/camera/label_gt', T0 + BigInt(i) * PERIOD, encodeImage(image(i, 5, 3, 'mono8', 1)));
  }
  await bag.close();
  const file = fs.readdirSync(dir).find((f) => f !== 'metadata.yaml')!;
  return fs.readFileSync(path.join(dir, file));
}

const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
  op: fc.constantFrom('flip', 'set', 'cut', 'insert', 'delete', 'u32'),
  value: fc.integer({ min: 0, max: 255 }),
  big: fc.constantFrom(0, 1, 0x7fffffff, 0xffffffff, 0x10000),
});

type Edit = { at: number; op: string; value: number; big: number };

function mutate(seed: Uint8Array, edits: Edit[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const e of edits) {
    // Spare the 16-byte magic most of the time: past it is where the readers' own checks live.
    const i = b.length > 16 && e.value % 8 !== 0 ? 16 + Math.floor(e.at * (b.length - 16)) : Math.floor(e.at * b.length);
    if (e.op === 'flip') b[i] ^= 1 << (e.value & 7);
    else if (e.op === 'set') b[i] = e.value;
    else if (e.op === 'cut') b = b.subarray(0, i);
    else if (e.op === 'insert') b = Uint8Array.from([...b.subarray(0, i), e.value, ...b.subarray(i)]);
    else if (e.op === 'delete') b = Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + 1)]);
    else if (i + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(i, e.big, true); // a length or count
    if (b.length === 0) break;
  }
  return b;
}

/** Reads the whole file; a thrown Error must carry a message, and the file must be closed. */
async function check(file: string, bytes: Uint8Array): Promise<void> {
  fs.writeFileSync(file, bytes);
  const t0 = Date.now();
  let bag: BagReader | undefined;
  try {
    bag = await openBag(file);
    bag.topics();
    for await (const m of bag.messages()) assert.ok(m.data instanceof Uint8Array);
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${String(e)}`);
    assert.ok(e.message.length > 0, 'an Error without a message');
    assert.doesNotMatch(e.message, /^(Cannot read propert|undefined is not|.* is not a function)/, `an internal error escaped: ${e.message}`);
  } finally {
    await bag?.close();
  }
  assert.ok(Date.now() - t0 < SLOW_MS, `reading took ${Date.now() - t0} ms`);
}

describe('bag readers: bounded fuzzing', () => {
  const tmp = tmpDir('bag-fuzz');
  after(() => tmp.remove());
  const cases: [string, StorageId, ChunkCompression, string][] = [
    ['MCAP', 'mcap', 'none', 'x.mcap'],
    ['MCAP, zstd chunks', 'mcap', 'zstd', 'x.mcap'],
    ['MCAP, lz4 chunks', 'mcap', 'lz4', 'x.mcap'],
    ['rosbag2 sqlite3', 'sqlite3', 'none', 'x.db3'],
  ];
  for (const [name, format, compression, fileName] of cases) {
    it(`${name}: mutated bags are read or rejected with a clear error`, async function () {
      this.timeout(BUDGET_MS * 4);
      const seed = await smallBag(path.join(tmp.path, `seed-${format}-${compression}`), format, compression);
      const file = path.join(tmp.path, fileName);
      await check(file, seed); // the unmutated bag reads
      const fdsBefore = fs.readdirSync('/proc/self/fd').length;
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => check(file, mutate(seed, edits))),
        { seed: 15, numRuns: 4000, interruptAfterTimeLimit: BUDGET_MS },
      );
      // Rejected files are closed too: no descriptor per bad bag.
      assert.ok(fs.readdirSync('/proc/self/fd').length <= fdsBefore + 2, 'file descriptors leaked');
    });
  }
});
