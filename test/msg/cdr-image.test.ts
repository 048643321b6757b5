// CDR decoding of sensor_msgs/Image and CompressedImage (src/msg, the one decoder every path
// uses) and the addon's output writer, against @foxglove/rosmsg2-serialization and an independent
// writer: every alignment case (frame_id and encoding lengths), padded rows, odd sizes, big-endian
// input, trailing padding and malformed messages.
import { strict as assert } from 'assert';

import { loadAddon } from '../../src/engine/native';
import { decodeCompressedImage, decodeImage } from '../../src/msg';
import { compressedImageCodec, imageCodec, writeCompressedImage, writeImage } from '../helpers/cdr-oracle';
import { randomBytes, rng } from '../helpers/frames';

const addon = loadAddon();

interface Img {
  header: { stamp: { sec: number; nanosec: number }; frame_id: string };
  height: number;
  width: number;
  encoding: string;
  is_bigendian: number;
  step: number;
  data: Uint8Array;
}

function randomImage(seed: number): Img {
  const r = rng(seed);
  const encodings: [string, number][] = [['rgb8', 3], ['mono8', 1], ['bgra8', 4], ['yuv422', 2], ['x', 1], ['', 1]];
  const [encoding, bpp] = encodings[Math.floor(r() * encodings.length)];
  const width = 1 + Math.floor(r() * 37);
  const height = 1 + Math.floor(r() * 23);
  const step = width * bpp + Math.floor(r() * 7); // padded rows, any remainder mod 4
  return {
    header: {
      stamp: { sec: Math.floor((r() - 0.5) * 2 ** 32), nanosec: Math.floor(r() * 999_999_999) },
      frame_id: 'f'.repeat(Math.floor(r() * 10)),
    },
    height,
    width,
    encoding,
    is_bigendian: Math.floor(r() * 2),
    step,
    data: randomBytes(step * height, seed),
  };
}

// An independent CDR writer, little- or big-endian, to make inputs foxglove cannot write.
function writeCdr(m: Img, little: boolean): Buffer {
  const parts: number[] = [0, little ? 1 : 0, 0, 0];
  const align = (n: number) => {
    while ((parts.length - 4) % n) parts.push(0);
  };
  const u32 = (v: number) => {
    align(4);
    const b = Buffer.alloc(4);
    if (little) b.writeUInt32LE(v >>> 0);
    else b.writeUInt32BE(v >>> 0);
    parts.push(...b);
  };
  const str = (s: string) => {
    u32(Buffer.byteLength(s) + 1);
    parts.push(...Buffer.from(s), 0);
  };
  u32(m.header.stamp.sec);
  u32(m.header.stamp.nanosec);
  str(m.header.frame_id);
  u32(m.height);
  u32(m.width);
  str(m.encoding);
  parts.push(m.is_bigendian);
  u32(m.step);
  u32(m.data.length);
  return Buffer.concat([Buffer.from(parts), Buffer.from(m.data)]);
}

function assertParsed(buf: Buffer, m: Img): void {
  const { data: got, ...fields } = decodeImage(buf);
  const { data, ...expected } = m;
  assert.deepEqual(fields, expected);
  assert.ok(Buffer.from(got).equals(Buffer.from(data)));
}

describe('CDR sensor_msgs/Image', () => {
  it('parses what @foxglove/rosmsg2-serialization writes: every alignment, padded rows, odd sizes', () => {
    for (let seed = 1; seed <= 300; ++seed) {
      const m = randomImage(seed);
      const buf = writeImage(m);
      assertParsed(buf, m);
      // the oracle agrees on what it wrote, so the comparison above is against the real layout
      assert.deepEqual(imageCodec.reader.readMessage(buf), m);
    }
  });

  it('writes byte for byte what @foxglove/rosmsg2-serialization writes', () => {
    for (let seed = 1; seed <= 300; ++seed) {
      const m = randomImage(seed);
      const ours = addon.encodeImageCdr(m);
      assert.ok(ours.equals(writeImage(m)), `seed ${seed}: ${ours.length} vs ${writeImage(m).length} bytes`);
    }
  });

  it('parses big-endian messages and ignores trailing payload padding', () => {
    for (let seed = 1; seed <= 50; ++seed) {
      const m = randomImage(seed);
      const le = writeCdr(m, true);
      assert.ok(le.equals(writeImage(m)), 'the test writer must agree with the oracle');
      assertParsed(writeCdr(m, false), m);
      assertParsed(Buffer.concat([le, Buffer.alloc(seed % 4)]), m);
    }
  });

  it('gives a view into the message, not a copy', () => {
    const m = randomImage(7);
    const buf = writeImage(m);
    const v = decodeImage(buf);
    assert.equal(v.data.buffer, buf.buffer);
    buf[buf.length - m.data.length] ^= 0xff;
    assert.equal(v.data[0], m.data[0] ^ 0xff);
  });

  it('refuses every truncation of a message, naming the type', () => {
    const m = randomImage(11);
    const buf = writeImage(m);
    const fieldAt = (n: number): string => {
      try {
        decodeImage(buf.subarray(0, n));
        return 'parsed';
      } catch (e) {
        return (e as Error).message;
      }
    };
    assert.match(fieldAt(2), /shorter than the CDR encapsulation header/);
    assert.equal(fieldAt(buf.length - 1), `sensor_msgs/msg/Image: truncated at field \`data\` (needs ${m.data.length} bytes, ${m.data.length - 1} left)`);
    for (let n = 0; n < 4; ++n) assert.match(fieldAt(n), /sensor_msgs\/msg\/Image: /, `length ${n}`);
    for (let n = 4; n < buf.length; ++n) {
      assert.match(fieldAt(n), /^sensor_msgs\/msg\/Image: truncated at field `(header\.stamp\.(sec|nanosec)|header\.frame_id|height|width|encoding|is_bigendian|step|data)` \(needs \d+ bytes, \d+ left\)$/, `length ${n}`);
    }
  });

  it('refuses other encapsulations and lengths past the end', () => {
    const buf = writeImage(randomImage(3));
    const xcdr2 = Buffer.from(buf);
    xcdr2[1] = 0x07;
    assert.throws(() => decodeImage(xcdr2), /unsupported CDR encapsulation 0x0007/);
    const m = randomImage(3);
    const long = writeImage(m);
    long.writeUInt32LE(0xffffffff, long.length - m.data.length - 4); // data length beyond the buffer
    assert.throws(() => decodeImage(long), /truncated/);
  });

  it('accepts an empty string written without its terminator', () => {
    const m = randomImage(5);
    m.header.frame_id = '';
    const canonical = writeCdr(m, true);
    // frame_id "" as a bare length 0 instead of length 1 + NUL: the fields after it start 4 bytes
    // earlier than after "abc\0" and keep their alignment
    const sec = canonical.subarray(0, 12);
    const rest = writeCdr({ ...m, header: { ...m.header, frame_id: 'abc' } }, true).subarray(12 + 4 + 4);
    const compact = Buffer.concat([sec, Buffer.from([0, 0, 0, 0]), rest]);
    assertParsed(compact, m);
  });
});

describe('CDR sensor_msgs/CompressedImage', () => {
  it('parses what @foxglove/rosmsg2-serialization writes', () => {
    for (let seed = 1; seed <= 100; ++seed) {
      const r = rng(seed);
      const m = {
        header: { stamp: { sec: seed, nanosec: seed * 7 }, frame_id: 'c'.repeat(seed % 9) },
        format: ['jpeg', 'png', 'bgr8; jpeg compressed bgr8', 'rgb8; png compressed rgb8'][seed % 4].slice(0, 1 + (seed % 30)),
        data: randomBytes(Math.floor(r() * 200), seed),
      };
      const buf = writeCompressedImage(m);
      const { data: got, ...fields } = decodeCompressedImage(buf);
      const { data, ...expected } = m;
      assert.deepEqual(fields, expected);
      assert.ok(Buffer.from(got).equals(Buffer.from(data)));
      assert.deepEqual(compressedImageCodec.reader.readMessage(buf), m);
    }
  });

  it('refuses truncated messages, naming the type', () => {
    const buf = writeCompressedImage({ header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'cam' }, format: 'jpeg', data: new Uint8Array(9) });
    assert.throws(() => decodeCompressedImage(buf.subarray(0, 22)), { message: 'sensor_msgs/msg/CompressedImage: truncated at field `format` (needs 4 bytes, 2 left)' });
    assert.throws(() => decodeCompressedImage(buf.subarray(0, buf.length - 1)), { message: 'sensor_msgs/msg/CompressedImage: truncated at field `data` (needs 9 bytes, 8 left)' });
  });
});
