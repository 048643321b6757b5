// The fast path's outputs (CDR messages the engine wrote into) against the plain-object path's
// outputs serialized by @foxglove/rosmsg2-serialization: byte-identical, header carried over.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { Engine } from '../../src/engine/engine';
import { loadAddon } from '../../src/engine/native';
import { importOnnx } from '../../src/engine/onnx';
import { writeImage } from '../helpers/cdr-oracle';
import { smoothFrame } from '../helpers/frames';

const MODEL = path.join(__dirname, '..', 'fixtures', 'attendseg_nearest_qdq.onnx');

describe('CDR outputs written by the engine', () => {
  const engine = Engine.fromFile(MODEL, { threads: 2 });
  const cases = [
    { encoding: 'rgb8', width: 64, height: 48, pad: 0, frameId: 'camera_optical_frame', resolution: 'input' as const },
    { encoding: 'bgr8', width: 33, height: 17, pad: 3, frameId: '', resolution: 'input' as const },
    { encoding: 'yuv422', width: 41, height: 29, pad: 2, frameId: 'a', resolution: 'network' as const },
    { encoding: 'mono8', width: 7, height: 5, pad: 1, frameId: 'ab', resolution: 'network' as const },
    { encoding: 'bgra8', width: 97, height: 61, pad: 5, frameId: 'abc', resolution: 'input' as const },
  ];
  for (const c of cases) {
    it(`${c.encoding} ${c.width}x${c.height} step +${c.pad}, labels at ${c.resolution} resolution, frame_id '${c.frameId}'`, async () => {
      const frame = smoothFrame({ encoding: c.encoding, width: c.width, height: c.height, pad: c.pad, seed: c.width });
      const header = { stamp: { sec: -3 + c.width, nanosec: 999_999_999 - c.height }, frame_id: c.frameId };
      const options = {
        networkWidth: 64,
        networkHeight: 48,
        labelResolution: c.resolution,
        label: true,
        colorized: true,
        overlay: true,
        overlayAlpha: 0.35,
        confidence: true,
      };
      const cdr = await engine.runCdr(frame, header, options);
      const plain = await engine.run(frame, options);
      const expect = (data: Buffer | null, width: number, height: number, encoding: string, ch: number) =>
        writeImage({ header, height, width, encoding, is_bigendian: 0, step: width * ch, data });
      assert.ok(cdr.label!.equals(expect(plain.label, plain.labelWidth, plain.labelHeight, 'mono8', 1)));
      assert.ok(cdr.colorized!.equals(expect(plain.colorized, plain.labelWidth, plain.labelHeight, 'rgb8', 3)));
      assert.ok(cdr.overlay!.equals(expect(plain.overlay, c.width, c.height, 'rgb8', 3)));
      assert.ok(cdr.confidence!.equals(expect(plain.confidence, plain.labelWidth, plain.labelHeight, 'mono8', 1)));
      assert.equal(cdr.labelWidth, c.resolution === 'input' ? c.width : 64);
    });
  }

  it('writes only the requested outputs, and the sync call matches the async one', async () => {
    const frame = smoothFrame({ encoding: 'rgb8', width: 20, height: 10, seed: 3 });
    const header = { stamp: { sec: 1, nanosec: 2 }, frame_id: 'x' };
    const o = { networkWidth: 64, networkHeight: 48, label: false, colorized: false, overlay: true };
    const a = await engine.runCdr(frame, header, o);
    assert.equal(a.label, null);
    assert.equal(a.colorized, null);
    const native = new (loadAddon().NativeEngine)(importOnnx(fs.readFileSync(MODEL)).spec, { threads: 1 });
    const s = native.runSync(frame, { ...o, palette: engine.metadata.palette }, header);
    assert.ok(s.overlay!.equals(a.overlay!));
  });

  it('refuses a malformed header before running', async () => {
    const frame = smoothFrame({ encoding: 'rgb8', width: 8, height: 8, seed: 1 });
    const bad = { stamp: { sec: 1, nanosec: -1 }, frame_id: 'x' };
    await assert.rejects(engine.runCdr(frame, bad, { networkWidth: 33, networkHeight: 17 }), /header\.stamp\.nanosec must be an integer within 0\.\.4294967295/);
    await assert.rejects(engine.runCdr(frame, { stamp: { sec: 1, nanosec: 0 } } as never, {}), /header\.frame_id must be a string/);
  });
});
