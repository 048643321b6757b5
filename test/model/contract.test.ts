// The model contract between the TypeScript importer and the native engine: one set of names
// and limits (native/include/attendseg/model.h), exported by the addon. The importer must accept
// exactly what the native validator accepts at every limit, and a spec must survive the trip
// through the spec file (dump_spec.ts -> spec_file.cpp) field for field.
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';

import { encodeSpecFile } from '../../native/tools/dump_spec';
import { loadAddon } from '../../src/engine/native';
import { importOnnx, ModelImportError } from '../../src/engine/onnx';
import { COORD_MODES, NEAREST_MODES, OP_KINDS, RESIZE_MODES } from '../../src/engine/spec';
import type { ModelLimits, ModelSpec } from '../../src/engine/spec';
import { OnnxBuilder } from '../helpers/onnx-builder';
import { finish, prand, start } from '../helpers/onnx-models';

const ROOT = path.resolve(__dirname, '..', '..');
const addon = loadAddon();
const limits: ModelLimits = addon.modelContract.limits;

/** The spec as the native side stores it: float32 numbers, every clamp explicit. */
function normalized(spec: ModelSpec): unknown {
  const f = Math.fround;
  return {
    tensors: spec.tensors.map((t) => ({ name: t.name, channels: t.channels, q: { scale: f(t.q.scale), zeroPoint: t.q.zeroPoint } })),
    ops: spec.ops.map((op) => {
      const o: Record<string, unknown> = { kind: op.kind, name: op.name, inputs: op.inputs, output: op.output, actMin: op.actMin ?? 0, actMax: op.actMax ?? 255 };
      if (op.conv) o.conv = { ...op.conv, kernel: [...op.conv.kernel], stride: [...op.conv.stride], pads: [...op.conv.pads], dilation: [...op.conv.dilation] };
      if (op.pool) o.pool = { ...op.pool };
      if (op.resize) {
        const r = op.resize;
        o.resize = { mode: r.mode, coord: r.coord, nearest: r.nearest, ...(r.scales ? { scales: r.scales.map(f) } : {}), ...(r.size ? { size: r.size } : {}), ...(r.sizeOf !== undefined ? { sizeOf: r.sizeOf } : {}) };
      }
      if (op.lut) o.lut = op.lut;
      return o;
    }),
    input: spec.input,
    output: spec.output,
    norm: { mean: spec.norm.mean.map(f), std: spec.norm.std.map(f) },
  };
}

function importRejects(bytes: Uint8Array, ...patterns: RegExp[]): void {
  assert.throws(
    () => importOnnx(bytes),
    (e: unknown) => e instanceof ModelImportError && patterns.every((p) => p.test(e.message)),
    `import should fail matching ${patterns.join(' ')}`,
  );
}

function nativeRejects(spec: ModelSpec, ...patterns: RegExp[]): void {
  assert.throws(
    () => new addon.NativeEngine(spec, { threads: 1 }),
    (e: unknown) => e instanceof Error && patterns.every((p) => p.test(e.message)),
    `the native validator should fail matching ${patterns.join(' ')}`,
  );
}

/** input -> Q/DQ -> one op (named 'op') -> Q/DQ -> output. */
function oneOp(opType: string, attrs: Record<string, number | number[]>, extra: (b: OnnxBuilder) => string[] = () => []): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  finish(b, b.op(opType, [dq, ...extra(b)], attrs, 'op'), 0.1, 128);
  return b.build();
}

function conv(kernel: number, attrs: Record<string, number | number[]> = {}, outC = 4): Uint8Array {
  const n = outC * 3 * kernel * kernel;
  return oneOp('Conv', { kernel_shape: [kernel, kernel], ...attrs }, (b) => [
    b.weightInt8([outC, 3, kernel, kernel], prand(n, 7).map((v) => Math.round(v * 100)), [0.01]),
  ]);
}

/** A 1x1 conv to `channels`, then back to 4 classes. */
function wide(channels: number): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  const w1 = b.weightInt8([channels, 3, 1, 1], prand(channels * 3, 3).map((v) => Math.round(v * 100)), [0.01]);
  const [, mid] = b.qdq(b.op('Conv', [dq, w1], {}, 'op'), 0.05, 128);
  const w2 = b.weightInt8([4, channels, 1, 1], prand(4 * channels, 5).map((v) => Math.round(v * 100)), [0.01]);
  finish(b, b.op('Conv', [mid, w2], {}, 'op2'), 0.1, 128);
  return b.build();
}

function maxPool(kernel: number, attrs: Record<string, number | number[]> = {}): Uint8Array {
  return oneOp('MaxPool', { kernel_shape: [kernel, kernel], ...attrs });
}

function resizeScales(s: number): Uint8Array {
  return oneOp('Resize', {}, (b) => ['', b.float(b.fresh('sc'), [4], [1, 1, s, s])]);
}

function resizeSize(side: number): Uint8Array {
  return oneOp('Resize', {}, (b) => ['', '', b.int64(b.fresh('sz'), [4], [1, 3, side, side])]);
}

/** An output quantization scale and a normalization std of the caller's choice. */
function withScales(outScale: number, std = 1): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  finish(b, b.op('Relu', [dq], {}, 'op'), outScale, 0);
  b.meta.std = JSON.stringify([std, 1, 1]);
  return b.build();
}

function withInputSize(side: number): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  finish(b, b.op('Relu', [dq], {}, 'op'), 0.1, 0);
  b.meta.input_width = String(side);
  return b.build();
}

describe('model contract', () => {
  it('the TypeScript name lists are the native enums, in enum order', () => {
    const c = addon.modelContract;
    assert.deepEqual([...OP_KINDS], c.opKinds);
    assert.deepEqual([...RESIZE_MODES], c.resizeModes);
    assert.deepEqual([...COORD_MODES], c.coordModes);
    assert.deepEqual([...NEAREST_MODES], c.nearestModes);
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.limits));
  });

  describe('the importer and the native validator agree at every limit', () => {
    // [what, the model at the limit, one past it, patterns of the importer's error]
    const cases: [string, () => Uint8Array, () => Uint8Array, RegExp[]][] = [
      ['conv kernel', () => conv(limits.maxConvKernel), () => conv(limits.maxConvKernel + 1), [/'op'/, /kernel/]],
      ['conv stride', () => conv(1, { strides: [limits.maxConvStride, 1] }), () => conv(1, { strides: [limits.maxConvStride + 1, 1] }), [/'op'/, /stride/]],
      ['conv dilation', () => conv(3, { dilations: [limits.maxConvDilation, 1] }), () => conv(3, { dilations: [limits.maxConvDilation + 1, 1] }), [/'op'/, /dilation/]],
      ['conv pads', () => conv(1, { pads: [limits.maxPad, 0, 0, 0] }), () => conv(1, { pads: [limits.maxPad + 1, 0, 0, 0] }), [/'op'/, /pads/]],
      ['channels', () => wide(limits.maxChannels), () => wide(limits.maxChannels + 1), [/'op'/, /channels/]],
      ['pool kernel', () => maxPool(limits.maxPoolKernel), () => maxPool(limits.maxPoolKernel + 1), [/'op'/, /kernel/]],
      ['pool stride', () => maxPool(2, { strides: [limits.maxPoolStride, 1] }), () => maxPool(2, { strides: [limits.maxPoolStride + 1, 1] }), [/'op'/, /stride/]],
      ['resize upscale', () => resizeScales(limits.maxResizeScale), () => resizeScales(limits.maxResizeScale + 1), [/'op'/, /scales/]],
      ['resize downscale', () => resizeScales(1 / limits.maxResizeScale), () => resizeScales(1 / (2 * limits.maxResizeScale)), [/'op'/, /scales/]],
      ['resize size', () => resizeSize(limits.maxResizeSide), () => resizeSize(limits.maxResizeSide + 1), [/'op'/, /size/]],
      // Scales are float32 on the native side, compared as float32 on both sides.
      ['quantization scale', () => withScales(limits.maxScale), () => withScales(limits.maxScale * 2), [/out_q/, /invalid scale/]],
      ['quantization scale, small', () => withScales(limits.minScale), () => withScales(limits.minScale / 2), [/out_q/, /invalid scale/]],
      ['quantization scale underflow', () => withScales(limits.minScale), () => withScales(1e-50), [/out_q/, /invalid scale/]],
      ['normalization std', () => withScales(0.1, limits.maxScale), () => withScales(0.1, 1e39), [/std/]],
      ['network input size', () => withInputSize(limits.maxImageSide), () => withInputSize(limits.maxImageSide + 1), [/input_width/]],
    ];
    for (const [what, atLimit, pastLimit, patterns] of cases) {
      it(what, () => {
        const { spec } = importOnnx(atLimit());
        new addon.NativeEngine(spec, { threads: 1 });
        importRejects(pastLimit(), ...patterns);
      });
    }
  });

  it('the native validator rejects what the importer rejects, one past each limit', () => {
    const conv1 = () => importOnnx(conv(3)).spec;
    const pool1 = () => importOnnx(maxPool(2)).spec;
    const rs = () => importOnnx(resizeScales(2)).spec;
    const rz = () => importOnnx(resizeSize(16)).spec;
    let s = conv1();
    s.ops[0].conv!.kernel = [limits.maxConvKernel + 1, 3];
    nativeRejects(s, /'op'/, /kernel/);
    s = conv1();
    s.ops[0].conv!.stride = [limits.maxConvStride + 1, 1];
    nativeRejects(s, /'op'/, /stride/);
    s = conv1();
    s.ops[0].conv!.dilation = [limits.maxConvDilation + 1, 1];
    nativeRejects(s, /'op'/, /dilation/);
    s = conv1();
    s.ops[0].conv!.pads = [limits.maxPad + 1, 0, 0, 0];
    nativeRejects(s, /'op'/, /pads/);
    s = conv1();
    s.tensors[s.ops[0].output].channels = limits.maxChannels + 1;
    nativeRejects(s, /channels/, new RegExp(`${limits.maxChannels}`));
    s = pool1();
    s.ops[0].pool!.kernel = [limits.maxPoolKernel + 1, 2];
    nativeRejects(s, /'op'/, /kernel/);
    s = pool1();
    s.ops[0].pool!.stride = [limits.maxPoolStride + 1, 1];
    nativeRejects(s, /'op'/, /stride/);
    s = rs();
    s.ops[0].resize!.scales = [limits.maxResizeScale + 1, 1];
    nativeRejects(s, /'op'/, /scales/);
    s = rs();
    s.ops[0].resize!.scales = [1 / (2 * limits.maxResizeScale), 1];
    nativeRejects(s, /'op'/, /scales/);
    s = rz();
    s.ops[0].resize!.size = [limits.maxResizeSide + 1, 1];
    nativeRejects(s, /'op'/, /size/);
    // 2.87e-43, a subnormal output scale, made in / out infinite and a NaN reach the kernels
    for (const bad of [limits.maxScale * 2, limits.minScale / 2, 2.87e-43, 1e-50]) {
      s = conv1();
      s.tensors[s.output].q.scale = bad;
      nativeRejects(s, /scale must be within 1e-12\.\.1e\+12/);
      s = conv1();
      s.ops[0].conv!.weightScales = Float32Array.of(bad);
      nativeRejects(s, /'op'/, /weight scales/);
    }
    s = conv1();
    s.norm.std = [1e39, 1, 1];
    nativeRejects(s, /std/);
  });

  it('a conv whose bias and weights can overflow the int32 accumulator is refused at load, naming the op', () => {
    const spec = (bias: number) => {
      const s = importOnnx(conv(3)).spec; // 4 x 3 x 3 x 3 weights, input zero point 128
      s.ops[0].conv!.weights.fill(-1);
      s.ops[0].conv!.bias = new Int32Array(4).fill(bias);
      return s;
    };
    const K = 27;
    // bias - 128 * sum(w) + 255 * sum(w < 0) is the smallest accumulator: INT32_MIN exactly, then one below.
    new addon.NativeEngine(spec(-(2 ** 31) + 127 * K), { threads: 1 });
    nativeRejects(spec(-(2 ** 31) + 127 * K - 1), /'op'/, /overflow the int32 accumulator/);
  });

  describe('spec file round trip (dump_spec.ts -> spec_file.cpp -> check_model)', () => {
    const models = [
      ...fs.readdirSync(path.join(ROOT, 'test', 'fixtures')).filter((f) => f.endsWith('.onnx')).map((f) => path.join('test', 'fixtures', f)),
      'models/attendseg_camvid.onnx',
      'bench/models/attendseg_bench_qdq.onnx',
    ];
    for (const rel of models) {
      it(rel, () => {
        const { spec } = importOnnx(fs.readFileSync(path.join(ROOT, rel)));
        const back = addon.decodeSpecFile(encodeSpecFile(spec), rel);
        assert.deepEqual(back, normalized(spec));
        new addon.NativeEngine(back, { threads: 1 });
      });
    }
  });

  it('decodeSpecFile names what is wrong with a damaged file', () => {
    const good = encodeSpecFile(importOnnx(conv(3)).spec);
    assert.throws(() => addon.decodeSpecFile(good.subarray(0, good.length - 1), 'x.spec'), /x\.spec: truncated spec file/);
    assert.throws(() => addon.decodeSpecFile(Buffer.concat([good, Buffer.from([0])]), 'x.spec'), /x\.spec: trailing bytes/);
    assert.throws(() => addon.decodeSpecFile(Buffer.from('ASPC\x02\0\0\0'), 'x.spec'), /not a version 1 spec file/);
    const kind = Buffer.from(good);
    const kindAt = good.indexOf(Buffer.from([2, 0, 0, 0, 0x6f, 0x70])) - 1; // u8 kind, then the name 'op'
    assert.equal(kind[kindAt], OP_KINDS.indexOf('Conv'));
    kind[kindAt] = OP_KINDS.length;
    assert.throws(() => addon.decodeSpecFile(kind, 'x.spec'), /unknown op kind 9/);
    assert.throws(() => addon.decodeSpecFile(new Uint8Array(0)), /spec file: truncated/);
  });

  it('decodeSpecFile refuses counts and lengths the file cannot hold before allocating for them', () => {
    const head = Buffer.from('ASPC\x01\0\0\0', 'latin1');
    const u32 = (v: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    for (const count of [0xffffffff, 50_000_000]) {
      assert.throws(() => addon.decodeSpecFile(Buffer.concat([head, u32(count)]), 'x.spec'), new RegExp(`x\\.spec: ${count} tensors do not fit`));
      // one tensor named by a string longer than the file
      assert.throws(() => addon.decodeSpecFile(Buffer.concat([head, u32(1), u32(count), Buffer.alloc(12)]), 'x.spec'), /x\.spec: string past the end/);
      // no tensors, then the op count
      assert.throws(() => addon.decodeSpecFile(Buffer.concat([head, u32(0), u32(count)]), 'x.spec'), new RegExp(`x\\.spec: ${count} ops do not fit`));
    }
  });
});
