// Fuzzing src/msg's decoders with fast-check, bounded in time: random bytes and mutations of valid
// messages and files (seeds made below, deterministically) through the CDR Image/CompressedImage
// decoder (alone, and on to an engine frame) and the PNG/JPEG decoder. Every input either becomes a consistent frame (one the engine
// takes, or pixels that match the decoded size) or is refused with an Error that has a message;
// no crash, no hang (mocha's timeout), nothing else thrown.
// FUZZ_RUNS and FUZZ_SEED run it longer or differently by hand; CI uses the defaults.
import { strict as assert } from 'assert';

import fc from 'fast-check';
import sharp from 'sharp';

import { Engine } from '../../src/engine/engine';
import type { Frame } from '../../src/engine/engine';
import { decodeCompressed, decodeCompressedImage, decodeImage, decodeImageFile, encodeCompressedImage, encodeImage, inboundFrame } from '../../src/msg';
import type { CompressedImageMessage, ImageMessage } from '../../src/msg';
import { randomFrame, smoothFrame } from '../helpers/frames';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
/** Per target: well under the 30 s a CI target may take, however slow the machine. */
const TIME_LIMIT_MS = 20_000;
const PARAMS = { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false };

/** Values that sit on the edges of the decoder's checks, for length and size fields. */
const EDGE_U32 = [0, 1, 2, 3, 4, 7, 8191, 8192, 8193, 65535, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

type Mutation =
  | { op: 'set'; at: number; value: number }
  | { op: 'u32'; at: number; value: number }
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('u32' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...EDGE_U32), fc.nat()) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
);

function mutate(seed: Uint8Array, mutations: Mutation[]): Buffer {
  let b = Buffer.from(seed);
  for (const m of mutations) {
    const at = b.length ? m.at % (b.length + 1) : 0;
    if (m.op === 'set' && at < b.length) b[at] = m.value;
    else if (m.op === 'u32' && b.length >= 4) b.writeUInt32LE(m.value >>> 0, Math.min(at & ~3, b.length - 4));
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), m.bytes, b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]);
  }
  return b;
}

/** Mutations of one of the seeds, or bytes with no structure at all. */
function inputs(seeds: Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([s, m]) => mutate(s, m)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)) },
  );
}

/** A refusal must be an Error with a message; anything else thrown fails the property. */
function assertRefusal(e: unknown): void {
  assert.ok(e instanceof Error, `threw a non-Error: ${String(e)}`);
  assert.ok(e.message.trim().length > 0, 'an Error without a message');
}

function assertPixels(f: Frame): void {
  const channels = f.encoding === 'mono8' ? 1 : 3;
  assert.ok(f.encoding === 'mono8' || f.encoding === 'rgb8', f.encoding);
  assert.ok(f.width >= 1 && f.height >= 1 && f.width <= 8192 && f.height <= 8192, `${f.width}x${f.height}`);
  assert.equal(f.step, f.width * channels);
  assert.equal(f.data.length, f.step * f.height);
}

describe('msg: fuzzing the decoders (bounded)', function () {
  this.timeout(60_000); // a hang fails here
  let engine: Engine;
  let png: Buffer;
  let jpeg: Buffer;
  let grayPng: Buffer;
  before(async () => {
    engine = Engine.fromFile(MODEL, { threads: 1 });
    const f = smoothFrame({ encoding: 'rgb8', width: 24, height: 16, seed: 9 });
    const raw = { raw: { width: 24, height: 16, channels: 3 as const } };
    png = await sharp(Buffer.from(f.data), raw).png().toBuffer();
    jpeg = await sharp(Buffer.from(f.data), raw).jpeg({ quality: 80 }).toBuffer();
    grayPng = await sharp(Buffer.from(f.data), raw).toColourspace('b-w').png().toBuffer();
  });

  const header = { stamp: { sec: 7, nanosec: 8 }, frame_id: 'camera' };
  function imageSeeds(): Uint8Array[] {
    const shapes: [string, number, number, number][] = [['rgb8', 5, 3, 1], ['mono8', 8, 2, 0], ['bgra8', 3, 3, 2], ['yuv422', 5, 2, 0], ['nv21', 5, 3, 0], ['nv24', 2, 2, 1]];
    return shapes.map(([encoding, width, height, pad], i) => {
      const f = randomFrame({ encoding, width, height, pad, seed: 30 + i });
      const m: ImageMessage = { header, height, width, encoding, is_bigendian: 0, step: f.step, data: f.data };
      return encodeImage(m);
    });
  }

  it('CDR sensor_msgs/Image: a frame the engine takes, or an Error', async () => {
    const seeds = imageSeeds();
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(inputs(seeds), async (bytes) => {
        let frame: Frame;
        try {
          frame = (await inboundFrame({ kind: 'image', message: bytes })).frame;
        } catch (e) {
          assertRefusal(e);
          return;
        }
        decoded++;
        // The decoder's promise: what it lets through, the engine runs.
        const r = engine.runSync(frame, { label: true, overlay: false });
        assert.equal(r.label!.length, r.labelWidth * r.labelHeight);
      }),
      PARAMS,
    );
    assert.ok(decoded > 0, 'no input decoded: the mutations never left a valid message');
  });

  it('CDR decoding alone: a message that survives re-encoding, or a refusal naming the type and the field', () => {
    const seeds = [...imageSeeds(), encodeCompressedImage({ header, format: 'png', data: new Uint8Array(40) })];
    const refusal = /^sensor_msgs\/msg\/(Image|CompressedImage): (truncated at field `[\w.[\]]+` \(|field `[\w.]+`: a string of \d+ bytes without its terminating NUL$|unsupported CDR encapsulation|\d+ bytes is shorter than)/;
    let decoded = 0;
    fc.assert(
      fc.property(inputs(seeds), fc.boolean(), (bytes, compressed) => {
        let m: ImageMessage | CompressedImageMessage;
        try {
          m = compressed ? decodeCompressedImage(bytes) : decodeImage(bytes);
        } catch (e) {
          assertRefusal(e);
          assert.match((e as Error).message, refusal);
          return;
        }
        decoded++;
        // What was accepted survives encoding and decoding again.
        const again = compressed ? decodeCompressedImage(encodeCompressedImage(m as CompressedImageMessage)) : decodeImage(encodeImage(m as ImageMessage));
        assert.deepEqual({ ...again, data: Buffer.from(again.data) }, { ...m, data: Buffer.from(m.data) });
      }),
      PARAMS,
    );
    assert.ok(decoded > 0, 'no input decoded');
  });

  it('CDR sensor_msgs/CompressedImage: a frame with consistent pixels, or an Error', async () => {
    const formats = ['png', 'jpeg', 'rgb8; png compressed bgr8', 'mono8; jpeg compressed mono8', 'bgr8; jpeg compressed bgr8'];
    const seeds = [png, jpeg, grayPng].flatMap((data) => formats.map((format) => encodeCompressedImage({ header, format, data })));
    await fc.assert(
      fc.asyncProperty(inputs(seeds), async (bytes) => {
        try {
          assertPixels((await inboundFrame({ kind: 'compressed', message: bytes })).frame);
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          assertRefusal(e);
        }
      }),
      PARAMS,
    );
  });

  it('PNG/JPEG decoder: files and payloads decode to consistent pixels, or an Error', async () => {
    let decoded = 0;
    await fc.assert(
      fc.asyncProperty(inputs([png, jpeg, grayPng]), fc.constantFrom('png', 'jpeg', 'file'), async (bytes, as) => {
        try {
          assertPixels(as === 'file' ? await decodeImageFile(bytes, 'fuzzed.png') : await decodeCompressed(as, bytes));
          decoded++;
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          assertRefusal(e);
        }
      }),
      PARAMS,
    );
    assert.ok(decoded > 0, 'no input decoded: the mutations never left a valid image');
  });
});
