// The shared frame core: Image and CompressedImage messages through the engine into output
// messages with the input header, and compressed payloads to frames and back.
import { strict as assert } from 'assert';

import { Engine } from '../../src/engine/engine';
import {
  compressFrame,
  parseCompressedFormat,
  decodeInput,
  encodeCompressedImage,
  encodeImage,
  ImageMessage,
  segmentInput,
  compressedToFrame,
} from '../../src/msg';
import { smoothFrame } from '../helpers/frames';

const MODEL = 'test/fixtures/attendseg_nearest_qdq.onnx';
const header = { stamp: { sec: 1_700_000_123, nanosec: 456 }, frame_id: 'cam_optical' };

function rgbMessage(width: number, height: number, pad: number, seed: number): ImageMessage {
  const f = smoothFrame({ encoding: 'rgb8', width, height, pad, seed });
  return { header, height, width, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data };
}

describe('segment: frame core', () => {
  const engine = Engine.fromFile(MODEL, { threads: 1 });

  it('an Image (padded rows) becomes label, colorized and overlay messages with the input header', async () => {
    const msg = rgbMessage(37, 23, 5, 1);
    const input = decodeInput('sensor_msgs/msg/Image', encodeImage(msg));
    const { result, outputs } = await segmentInput(engine, input, { label: true, colorized: true, overlay: true });
    const direct = engine.runSync({ encoding: 'rgb8', width: 37, height: 23, step: msg.step, data: msg.data }, { label: true, colorized: true, overlay: true });
    assert.deepEqual(Buffer.from(result.label!), Buffer.from(direct.label!));
    for (const [name, enc, ch] of [['label', 'mono8', 1], ['colorized', 'rgb8', 3], ['overlay', 'rgb8', 3]] as const) {
      const o = outputs[name]!;
      assert.deepEqual(o.header, header, `${name} keeps the header`);
      assert.deepEqual([o.encoding, o.width, o.height, o.step, o.data.length], [enc, 37, 23, 37 * ch, 37 * 23 * ch], name);
      // and the message encodes
      assert.ok(encodeImage(o).length > o.data.length);
    }
  });

  it('a lossless CompressedImage gives the same labels as the raw image', async () => {
    const msg = rgbMessage(31, 17, 0, 2);
    const frame = { encoding: 'rgb8', width: 31, height: 17, step: msg.step, data: msg.data };
    const { format, data } = await compressFrame(frame, 'png');
    assert.equal(format, 'rgb8; png compressed bgr8');
    const input = decodeInput('sensor_msgs/CompressedImage', encodeCompressedImage({ header, format, data }));
    const viaPng = await segmentInput(engine, input);
    const raw = await segmentInput(engine, { kind: 'image', message: msg });
    assert.deepEqual(Buffer.from(viaPng.outputs.label!.data), Buffer.from(raw.outputs.label!.data));
    assert.deepEqual(viaPng.outputs.label!.header, header);
  });

  it('bgr8 frames are stored as RGB in compressed files', async () => {
    const bgr = { encoding: 'bgr8', width: 2, height: 1, step: 6, data: Uint8Array.of(10, 20, 30, 40, 50, 60) };
    const png = await compressFrame(bgr, 'png');
    const back = await compressedToFrame({ header, format: png.format, data: png.data });
    assert.deepEqual([...back.data], [30, 20, 10, 60, 50, 40]);
    const jpeg = await compressFrame(rgbMessageFrame(), 'jpeg', 95);
    const dj = await compressedToFrame({ header, format: jpeg.format, data: jpeg.data });
    assert.equal(dj.encoding, 'rgb8');
  });

  it('names unsupported formats, encodings, undecodable payloads and non-image types', async () => {
    assert.equal(parseCompressedFormat('bgr8; jpeg compressed bgr8').compression, 'jpeg');
    assert.equal(parseCompressedFormat('PNG').compression, 'png');
    assert.throws(() => parseCompressedFormat('16UC1; compressedDepth png'), /compressedDepth.*depth images.*not segmented/);
    assert.throws(() => parseCompressedFormat('tiff'), /unsupported CompressedImage format 'tiff'/);
    await assert.rejects(compressedToFrame({ header, format: 'jpeg', data: Uint8Array.of(1, 2, 3) }, 'frame 3'), /frame 3: .*says jpeg but the data \(3 bytes\) is not a jpeg image/);
    const bayer = { ...rgbMessage(8, 8, 0, 3), encoding: 'bayer_rggb8' };
    await assert.rejects(segmentInput(engine, { kind: 'image', message: bayer }), /bayer_rggb8/);
    assert.throws(() => decodeInput('std_msgs/msg/String', new Uint8Array(8)), /std_msgs\/msg\/String is not an image/);
  });
});

function rgbMessageFrame() {
  const f = smoothFrame({ encoding: 'rgb8', width: 16, height: 12, seed: 5 });
  return { encoding: 'rgb8', width: 16, height: 12, step: f.step, data: f.data };
}
