// sensor_msgs/Image and CompressedImage: exact ROS 2 CDR bytes, round trips over odd sizes and
// padded rows, the rosbag2 concatenated definitions, and clear errors on bad input.
import { strict as assert } from 'assert';
import fc from 'fast-check';

import {
  decodeCompressedImage,
  decodeImage,
  encodeCompressedImage,
  encodeImage,
  ImageMessage,
  messageDefinition,
  mono8Pixels,
} from '../../src/msg';
import { nsToTime, timeToNs } from '../../src/msg/time';
import { CdrBytes } from '../helpers/cdr-bytes';
import { randomBytes } from '../helpers/frames';

const SEP = '='.repeat(80);

function imageBytes(m: ImageMessage, littleEndian = true): Uint8Array {
  return new CdrBytes(littleEndian)
    .i32(m.header.stamp.sec)
    .u32(m.header.stamp.nanosec)
    .string(m.header.frame_id)
    .u32(m.height)
    .u32(m.width)
    .string(m.encoding)
    .u8(m.is_bigendian)
    .u32(m.step)
    .u8Array(m.data)
    .build();
}

function sample(): ImageMessage {
  // bgr8 5x3, each row padded from 15 to 16 bytes; a 14-character frame id misaligns what follows.
  return {
    header: { stamp: { sec: 1_700_000_000, nanosec: 66_666_667 }, frame_id: 'camera_optical' },
    height: 3,
    width: 5,
    encoding: 'bgr8',
    is_bigendian: 0,
    step: 16,
    data: randomBytes(48, 3),
  };
}

describe('msg: definitions', () => {
  it('Image is the rosbag2 ros2msg concatenation: root, then each dependency depth first', () => {
    assert.equal(
      messageDefinition('sensor_msgs/msg/Image'),
      'std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data\n' +
        `\n${SEP}\nMSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n` +
        `\n${SEP}\nMSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec\n`,
    );
    assert.equal(messageDefinition('sensor_msgs/CompressedImage').split(SEP).length, 3);
  });

  it('an unknown type is an error naming it', () => {
    assert.throws(() => messageDefinition('geometry_msgs/msg/Twist'), /no message definition for geometry_msgs\/msg\/Twist/);
    assert.throws(() => messageDefinition('not a type'), /not a ROS message type name/);
  });
});

describe('msg: Image CDR', () => {
  it('encodes to exactly the hand-built little-endian bytes (padded step, misaligned strings)', () => {
    const m = sample();
    const expected = imageBytes(m);
    assert.deepEqual(Buffer.from(encodeImage(m)), Buffer.from(expected));
    // header: 00 01 00 00, then sec (LE)
    assert.deepEqual([...expected.subarray(0, 8)], [0, 1, 0, 0, 0x00, 0xf1, 0x53, 0x65]);
  });

  it('writes strings as UTF-8 with their byte length, so any frame id and encoding round-trip', () => {
    const m = { ...sample(), header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'kamera-é' }, encoding: 'mono8' };
    assert.deepEqual(Buffer.from(encodeImage(m)), Buffer.from(imageBytes(m)));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), (frameId, format) => {
        const c = { header: { stamp: { sec: 3, nanosec: 4 }, frame_id: frameId }, format, data: new Uint8Array([1, 2, 3]) };
        const expected = new CdrBytes().i32(3).u32(4).string(frameId).string(format).u8Array(c.data).build();
        assert.deepEqual(Buffer.from(encodeCompressedImage(c)), Buffer.from(expected));
        const d = decodeCompressedImage(expected);
        assert.deepEqual([d.header.frame_id, d.format], [frameId, Buffer.from(format, 'utf8').toString('utf8')]);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes hand-built bytes, little- and big-endian, with data as a view', () => {
    const m = sample();
    for (const le of [true, false]) {
      const bytes = imageBytes(m, le);
      const d = decodeImage(bytes);
      assert.deepEqual({ ...d, data: [...d.data] }, { ...m, data: [...m.data] });
      assert.equal(d.data.buffer, bytes.buffer, 'data should not be copied');
    }
  });

  it('round-trips odd sizes, padded rows, any encoding and frame id', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 33 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom('rgb8', 'bgr8', 'mono8', 'rgba8', 'yuv422', 'nv21', '16UC1'),
        fc.integer({ min: 0, max: 7 }),
        fc.string({ maxLength: 13 }),
        fc.integer({ min: 0, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (width, height, encoding, pad, frameId, sec, nanosec) => {
          const step = width * 3 + pad;
          const m: ImageMessage = {
            header: { stamp: { sec, nanosec }, frame_id: frameId },
            height,
            width,
            encoding,
            is_bigendian: 0,
            step,
            data: randomBytes(step * height, width * 131 + height),
          };
          const bytes = encodeImage(m);
          assert.deepEqual(Buffer.from(bytes), Buffer.from(imageBytes(m)));
          const d = decodeImage(bytes);
          assert.deepEqual({ ...d, data: Buffer.from(d.data) }, { ...m, data: Buffer.from(m.data) });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an empty image (no data) round-trips', () => {
    const m: ImageMessage = { ...sample(), width: 0, height: 0, step: 0, data: new Uint8Array(0) };
    const d = decodeImage(encodeImage(m));
    assert.equal(d.data.length, 0);
    assert.equal(d.width, 0);
  });

  it('truncated bytes, a foreign encapsulation and too few bytes are errors naming the type', () => {
    const bytes = encodeImage(sample());
    assert.throws(() => decodeImage(bytes.subarray(0, bytes.length - 10)), /sensor_msgs\/msg\/Image: truncated at field `data`/);
    assert.throws(() => decodeImage(bytes.subarray(0, 2)), /shorter than the CDR encapsulation header/);
    const plCdr = Uint8Array.from(bytes);
    plCdr[1] = 3; // PL_CDR_LE
    assert.throws(() => decodeImage(plCdr), /unsupported CDR encapsulation 0x0003/);
  });
});

describe('msg: CDR truncation and strings, by field', () => {
  const header = (b: CdrBytes) => b.i32(3).u32(4);

  it('a truncated message names the type, the field and the bytes it needs and has', () => {
    const data = new Uint8Array(640 * 480 * 3);
    const full = encodeImage({ ...sample(), width: 640, height: 480, encoding: 'rgb8', step: 1920, data });
    const cut = full.subarray(0, full.length - data.length + 12);
    assert.throws(() => decodeImage(cut), { message: 'sensor_msgs/msg/Image: truncated at field `data` (needs 921600 bytes, 12 left)' });
    const at = (bytes: Uint8Array) => () => decodeImage(bytes);
    const b = header(new CdrBytes()).string('camera').u32(480).build();
    assert.throws(at(b.subarray(0, 6)), { message: 'sensor_msgs/msg/Image: truncated at field `header.stamp.sec` (needs 4 bytes, 2 left)' });
    assert.throws(at(b.subarray(0, 17)), { message: 'sensor_msgs/msg/Image: truncated at field `header.frame_id` (needs 7 bytes, 1 left)' });
    assert.throws(at(b), { message: 'sensor_msgs/msg/Image: truncated at field `width` (needs 4 bytes, 0 left)' });
    const c = encodeCompressedImage({ header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'c' }, format: 'jpeg', data: new Uint8Array(50) });
    assert.throws(() => decodeCompressedImage(c.subarray(0, 22)), { message: 'sensor_msgs/msg/CompressedImage: truncated at field `format` (needs 4 bytes, 2 left)' });
  });

  it('a length that runs past the end of a view into a larger buffer is a truncation, not a read of the neighbours', () => {
    const bytes = encodeImage(sample());
    const big = new Uint8Array(bytes.length + 100);
    big.set(bytes);
    const view = big.subarray(0, bytes.length - 5);
    assert.throws(() => decodeImage(view), /sensor_msgs\/msg\/Image: truncated at field `data` \(needs \d+ bytes, \d+ left\)/);
  });

  it('a string without its terminating NUL is refused, naming the field', () => {
    const noNul = new CdrBytes().i32(3).u32(4).u32(3).u8(99).u8(97).u8(109).u32(1).u32(1).string('mono8').u8(0).u32(1).u8Array(new Uint8Array(1)).build();
    assert.throws(() => decodeImage(noNul), {
      message: 'sensor_msgs/msg/Image: field `header.frame_id`: a string of 3 bytes without its terminating NUL',
    });
    const encodingNoNul = header(new CdrBytes()).string('c').u32(1).u32(1).u32(5).u8(109).u8(111).u8(110).u8(111).u8(56).u8(0).u32(1).u8Array(new Uint8Array(1)).build();
    assert.throws(() => decodeImage(encodingNoNul), /field `encoding`: a string of 5 bytes without its terminating NUL/);
    // A zero length (no bytes at all) is the empty string, as rmw reads it.
    const empty = header(new CdrBytes()).u32(0).u32(1).u32(1).string('mono8').u8(0).u32(1).u8Array(new Uint8Array(1)).build();
    assert.equal(decodeImage(empty).header.frame_id, '');
  });
});

describe('msg: CompressedImage CDR', () => {
  it('encodes to the hand-built bytes and round-trips', () => {
    const m = {
      header: { stamp: { sec: 12, nanosec: 5 }, frame_id: 'cam' },
      format: 'rgb8; jpeg compressed bgr8',
      data: randomBytes(37, 9),
    };
    const expected = new CdrBytes().i32(12).u32(5).string('cam').string(m.format).u8Array(m.data).build();
    assert.deepEqual(Buffer.from(encodeCompressedImage(m)), Buffer.from(expected));
    const d = decodeCompressedImage(expected);
    assert.deepEqual({ ...d, data: Buffer.from(d.data) }, { ...m, data: Buffer.from(m.data) });
  });

  it('an Image payload read as CompressedImage does not pass silently', () => {
    assert.throws(() => decodeCompressedImage(new CdrBytes().u32(1).build()), /CompressedImage: truncated at field `header.stamp.nanosec`/);
  });
});

describe('msg: mono8 pixels and time', () => {
  const label = (step: number, data: Uint8Array, encoding = 'mono8'): ImageMessage => ({
    header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' },
    height: 2,
    width: 3,
    encoding,
    is_bigendian: 0,
    step,
    data,
  });

  it('returns tight rows as they are and copies padded rows out', () => {
    const tight = Uint8Array.of(1, 2, 3, 4, 5, 6);
    assert.equal(mono8Pixels(label(3, tight), 'x').buffer, tight.buffer);
    assert.deepEqual([...mono8Pixels(label(5, Uint8Array.of(1, 2, 3, 9, 9, 4, 5, 6)), 'x')], [1, 2, 3, 4, 5, 6]);
  });

  it('rejects other encodings, short steps and short data, naming the image', () => {
    assert.throws(() => mono8Pixels(label(9, new Uint8Array(18), 'rgb8'), 'frame 4 label'), /frame 4 label: encoding 'rgb8' is not a label map/);
    assert.throws(() => mono8Pixels(label(2, new Uint8Array(6)), 'gt'), /step 2 is smaller than the width 3/);
    assert.throws(() => mono8Pixels(label(3, new Uint8Array(5)), 'gt'), /5 bytes of data.*needs 6/);
  });

  it('converts stamps to nanoseconds and back', () => {
    const t = { sec: 1_700_000_000, nanosec: 123_456_789 };
    assert.equal(timeToNs(t), 1_700_000_000_123_456_789n);
    assert.deepEqual(nsToTime(timeToNs(t)), t);
    assert.throws(() => nsToTime(-1n), /negative/);
  });
});
