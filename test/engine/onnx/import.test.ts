import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { importOnnx, ModelImportError, defaultPalette } from '../../../src/engine/onnx';
import type { ModelSpec, OpSpec } from '../../../src/engine/spec';
import { OnnxBuilder } from '../../helpers/onnx-builder';
import { convReluModel, finish, IN_Q, prand, start, unetModel } from '../../helpers/onnx-models';

function opByName(spec: ModelSpec, name: string): OpSpec {
  const op = spec.ops.find((o) => o.name === name);
  assert.ok(op, `op ${name} not found in ${spec.ops.map((o) => o.name).join(', ')}`);
  return op;
}

function tensorIndex(spec: ModelSpec, name: string): number {
  const i = spec.tensors.findIndex((t) => t.name === name);
  assert.ok(i >= 0, `tensor ${name} not found`);
  return i;
}

/** input -> Q -> DQ -> conv(3->C, 1x1) -> Q -> DQ; returns the DQ output and the builder. */
function withConv(b: OnnxBuilder, cout: number, scale = 0.05, zp = 0): string {
  const { dq } = start(b);
  const w = b.weightInt8([cout, 3, 1, 1], prand(cout * 3, 5).map((v) => Math.round(v * 100)), [0.01]);
  const c = b.op('Conv', [dq, w], {}, `stem${cout}`);
  return b.qdq(c, scale, zp, `stem${cout}_q`)[1];
}

async function runOrt(bytes: Uint8Array, x: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const s = await ort.InferenceSession.create(bytes);
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', x, dims) });
  return out[s.outputNames[0]];
}

describe('importOnnx: conv chains', () => {
  it('fuses a conv+relu chain with int8 and fake-quantized float weights', () => {
    const { spec, metadata } = importOnnx(convReluModel().build());
    assert.equal(spec.tensors.length, 3);
    assert.equal(spec.input, 0);
    assert.equal(spec.output, 2);
    assert.deepEqual(spec.tensors[0], { name: 'input_q_out0', channels: 3, q: { scale: IN_Q.scale, zeroPoint: 128 } });
    assert.equal(spec.tensors[1].channels, 4);
    assert.equal(spec.tensors[1].q.scale, Math.fround(0.05));
    assert.equal(spec.tensors[2].q.zeroPoint, 128);
    const c1 = opByName(spec, 'conv1');
    assert.equal(c1.kind, 'Conv');
    assert.deepEqual(c1.inputs, [0]);
    assert.equal(c1.output, 1);
    assert.equal(c1.actMin, 0); // ReLU with zero point 0
    assert.equal(c1.actMax, 255);
    const conv1 = c1.conv!;
    assert.deepEqual(conv1.kernel, [3, 3]);
    assert.deepEqual(conv1.pads, [1, 1, 1, 1]);
    assert.equal(conv1.groups, 1);
    // layout [out][in][kh][kw] exactly as stored
    assert.deepEqual(Array.from(conv1.weights), prand(108, 1).map((v) => Math.round(v * 127) + 0));
    assert.deepEqual(Array.from(conv1.bias), [100, -200, 300, 0]);
    assert.deepEqual(Array.from(conv1.weightScales), [0.02, 0.01, 0.03, 0.015].map(Math.fround));
    const c2 = opByName(spec, 'conv2');
    assert.equal(c2.actMin, undefined);
    assert.deepEqual(Array.from(c2.conv!.weights), [4, 2, -2, 0, -2, 2, 0, -128]);
    assert.deepEqual(Array.from(c2.conv!.weightScales), [0.125, 0.25]);
    // float bias quantized at s_in * s_w: 0.1 / (0.05 * 0.125) = 16, -0.2 / (0.05 * 0.25) = -16
    assert.deepEqual(Array.from(c2.conv!.bias), [16, -16]);
    assert.deepEqual(metadata.classNames, ['class_0', 'class_1']);
  });

  it('produces models that ONNX Runtime accepts', async () => {
    for (const b of [convReluModel(), unetModel()]) {
      const out = await runOrt(b.build(), new Float32Array(3 * 16 * 20).map((_, i) => Math.sin(i)), [1, 3, 16, 20]);
      assert.equal(out.dims[2], 16);
      assert.equal(out.dims[3], 20);
    }
  });

  it('depthwise, strided, dilated conv with Clip fused as a clamp', () => {
    const b = new OnnxBuilder();
    const x = withConv(b, 8);
    const w = b.weightInt8([8, 1, 3, 3], prand(72, 3).map((v) => Math.round(v * 50)), Array(8).fill(0.02));
    const c = b.op('Conv', [x, w], { group: 8, strides: [2, 2], pads: [2, 2, 2, 2], dilations: [2, 2] }, 'dw');
    const clip = b.op('Clip', [c, b.float('lo', [], [0]), b.float('hi', [], [6])], {}, 'relu6');
    finish(b, clip, 0.05, 10);
    const { spec } = importOnnx(b.build());
    const op = opByName(spec, 'dw');
    assert.equal(op.conv!.groups, 8);
    assert.deepEqual(op.conv!.stride, [2, 2]);
    assert.deepEqual(op.conv!.dilation, [2, 2]);
    assert.deepEqual(op.conv!.pads, [2, 2, 2, 2]);
    assert.equal(op.conv!.weights.length, 72);
    assert.equal(op.actMin, 10); // Q(0)
    assert.equal(op.actMax, 130); // Q(6) = 6 / 0.05 + 10
    assert.equal(spec.tensors[op.output].channels, 8);
  });

  it('auto_pad VALID and Clip with attribute-free bounds', () => {
    const b = new OnnxBuilder();
    const x = withConv(b, 4);
    const w = b.weightInt8([4, 4, 3, 3], prand(144, 4).map((v) => Math.round(v * 50)), [0.02]);
    const c = b.op('Conv', [x, w], { auto_pad: 'VALID', strides: [8, 8] }, 'valid');
    const clip = b.op('Clip', [c, b.float('lo2', [], [-1])], {}, 'clip_lo');
    finish(b, clip, 0.1, 100);
    const op = opByName(importOnnx(b.build()).spec, 'valid');
    assert.deepEqual(op.conv!.pads, [0, 0, 0, 0]);
    assert.deepEqual(op.conv!.stride, [8, 8]);
    assert.deepEqual(op.conv!.weightScales, Float32Array.of(0.02));
    assert.equal(op.actMin, 90);
    assert.equal(op.actMax, 255);
  });

  it('requantizes an int32 bias whose scale differs from s_in * s_w', () => {
    const b = new OnnxBuilder();
    const { dq } = start(b);
    const w = b.weightInt8([2, 3, 1, 1], [1, 2, 3, 4, 5, 6], [0.5, 0.25]);
    const bias = b.biasInt32([10, 10], [IN_Q.scale * 0.5 * 2, IN_Q.scale * 0.25 * 2]);
    finish(b, b.op('Conv', [dq, w, bias], {}, 'c'), 0.1, 0);
    assert.deepEqual(Array.from(opByName(importOnnx(b.build()).spec, 'c').conv!.bias), [20, 20]);
  });
});

describe('importOnnx: encoder-decoder patterns', () => {
  const { spec } = importOnnx(unetModel().build());

  it('resolves Resize sizes from a Shape subgraph to sizeOf', () => {
    const up = opByName(spec, 'up');
    assert.equal(up.kind, 'Resize');
    assert.deepEqual(up.resize, { mode: 'linear', coord: 'half_pixel', nearest: 'round_prefer_floor', sizeOf: tensorIndex(spec, 'enc1_q_out0') });
  });

  it('puts the channel-broadcast operand second and folds ReLU after Add', () => {
    const mul = opByName(spec, 'att_mul');
    assert.deepEqual(mul.inputs, [tensorIndex(spec, 'enc2_q_out0'), tensorIndex(spec, 'att_sig_q_out0')]);
    const add = opByName(spec, 'skip_add');
    assert.deepEqual(add.inputs, [tensorIndex(spec, 'up_q_out0'), tensorIndex(spec, 'enc1_q_out0')]);
    assert.equal(add.actMin, 0);
  });

  it('derives channels through pools, concat and the head', () => {
    assert.equal(spec.tensors[tensorIndex(spec, 'cat_q_out0')].channels, 16);
    assert.equal(spec.tensors[spec.output].channels, 5);
    const avg = opByName(spec, 'avg');
    assert.deepEqual(avg.pool, { kernel: [3, 3], stride: [1, 1], pads: [1, 1, 1, 1], ceilMode: false, countIncludePad: true });
    assert.equal(opByName(spec, 'gap').kind, 'GlobalAveragePool');
    const mp = opByName(spec, 'pool1');
    assert.deepEqual(mp.pool!.kernel, [2, 2]);
    assert.deepEqual(mp.pool!.stride, [2, 2]);
  });

  it('keeps ops in topological order', () => {
    const written = new Set([spec.input]);
    for (const op of spec.ops) {
      for (const i of op.inputs) assert.ok(written.has(i), `${op.name} reads tensor ${i} before it is written`);
      if (op.resize?.sizeOf !== undefined) assert.ok(written.has(op.resize.sizeOf));
      written.add(op.output);
    }
  });

  it('sigmoid becomes a LUT', () => {
    const sig = opByName(spec, 'att_sig');
    assert.equal(sig.kind, 'Lut');
    assert.equal(sig.lut!.length, 256);
    // in: scale 0.05 zp 128; out: 1/256 zp 0. q=128 -> 0.5 -> 128; q=148 -> sigmoid(1) * 256 = 187.15
    assert.equal(sig.lut![128], 128);
    assert.equal(sig.lut![148], 187);
    assert.equal(sig.lut![255], 255);
    assert.equal(sig.lut![0], 0);
  });

  it('Resize variants: Gather+Unsqueeze sizes, constant sizes, scales, nearest modes', () => {
    const b = new OnnxBuilder();
    const x = withConv(b, 4);
    const sh = b.op('Shape', [x], {}, 'sh');
    const g2 = b.op('Unsqueeze', [b.op('Gather', [sh, b.int64('i2', [], [2])], { axis: 0 }), b.int64('ax', [1], [0])]);
    const g3 = b.op('Unsqueeze', [b.op('Gather', [sh, b.int64('i3', [], [3])]), b.int64('ax2', [1], [0])]);
    const nc = b.op('Cast', [b.op('Slice', [sh, b.int64('a0', [1], [0]), b.int64('a2', [1], [2])])], { to: 7 });
    const sizes = b.op('Concat', [nc, g2, g3], { axis: 0 });
    const w = b.weightInt8([4, 4, 1, 1], prand(16, 9).map((v) => Math.round(v * 100)), [0.01]);
    const [, down] = b.qdq(b.op('Conv', [x, w], { strides: [2, 2] }, 'down'), 0.05, 0, 'down_q');
    const [, r1] = b.qdq(b.op('Resize', [down, '', '', sizes], { mode: 'nearest', nearest_mode: 'floor', coordinate_transformation_mode: 'asymmetric' }, 'r_sym'), 0.05, 0);
    const [, r2] = b.qdq(b.op('Resize', [r1, '', b.float('sc', [4], [1, 1, 2, 2])], { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, 'r_scales'), 0.05, 0);
    const r3 = b.op('Resize', [r2, '', '', b.int64('fixed', [4], [1, 4, 30, 40])], { mode: 'nearest' }, 'r_fixed');
    finish(b, r3, 0.05, 0);
    const { spec } = importOnnx(b.build());
    assert.deepEqual(opByName(spec, 'r_sym').resize, { mode: 'nearest', coord: 'asymmetric', nearest: 'floor', sizeOf: tensorIndex(spec, 'stem4_q_out0') });
    assert.deepEqual(opByName(spec, 'r_scales').resize, { mode: 'linear', coord: 'align_corners', nearest: 'round_prefer_floor', scales: [2, 2] });
    assert.deepEqual(opByName(spec, 'r_fixed').resize!.size, [30, 40]);
  });
});

describe('importOnnx: lookup tables and aliases', () => {
  it('Mul by a scalar constant and Add of a per-channel constant become LUTs', () => {
    const b = new OnnxBuilder();
    const x = withConv(b, 2, 0.25, 4);
    const [, m] = b.qdq(b.op('Mul', [b.float('two', [], [2]), x], {}, 'mul_c'), 0.5, 10, 'mul_q');
    const add = b.op('Add', [m, b.float('pc', [1, 2, 1, 1], [0.5, -1])], {}, 'add_c');
    finish(b, add, 0.5, 4);
    const { spec } = importOnnx(b.build());
    const mul = opByName(spec, 'mul_c');
    assert.equal(mul.kind, 'Lut');
    assert.equal(mul.lut!.length, 256);
    // x = (q - 4) * 0.25; y = 2x; Q = y / 0.5 + 10 = q - 4 + 10
    assert.equal(mul.lut![4], 10);
    assert.equal(mul.lut![0], 6);
    assert.equal(mul.lut![100], 106);
    assert.equal(mul.lut![250], 255);
    const ad = opByName(spec, 'add_c');
    assert.equal(ad.lut!.length, 512);
    // channel 0: (q - 10) * 0.5 + 0.5 -> /0.5 + 4 = q - 5; channel 1: q - 8
    assert.equal(ad.lut![10], 5);
    assert.equal(ad.lut![0], 0);
    assert.equal(ad.lut![256 + 10], 2);
    assert.equal(ad.lut![256 + 255], 247);
  });

  it('DQ of an int8 constant as the Add operand, standalone Relu, requantize and alias', () => {
    const b = new OnnxBuilder();
    const x = withConv(b, 3, 0.1, 100);
    const c = b.op('DequantizeLinear', [b.int8('k', [], [5]), b.float('ks', [], [0.1])]);
    const [, a] = b.qdq(b.op('Add', [x, c], {}, 'add_q8'), 0.1, 100);
    const [qa, ] = b.qdq(b.op('Relu', [a], {}, 'solo_relu'), 0.1, 100);
    const d = b.dq(qa, 0.1, 100);
    const [q2] = b.qdq(d, 0.1, 100, 'alias_q'); // same params: alias
    const d2 = b.dq(q2, 0.1, 100);
    finish(b, d2, 0.2, 0, 'requant_q');
    const { spec } = importOnnx(b.build());
    const add = opByName(spec, 'add_q8');
    assert.equal(add.lut![100], 105);
    assert.equal(add.lut![251], 255);
    const relu = opByName(spec, 'solo_relu');
    assert.equal(relu.kind, 'Lut');
    assert.equal(relu.lut![50], 100);
    assert.equal(relu.lut![180], 180);
    assert.equal(spec.tensors.findIndex((t) => t.name === 'alias_q_out0'), -1);
    const rq = spec.ops[spec.ops.length - 1];
    assert.equal(rq.kind, 'Lut');
    assert.equal(rq.name.startsWith('dequantizelinear'), true);
    assert.deepEqual(rq.inputs, [relu.output]);
    assert.equal(rq.lut![100], 0);
    assert.equal(rq.lut![120], 10);
    assert.equal(rq.lut![80], 0);
  });

  it('LUT tables agree with ONNX Runtime on all 256 input codes', async () => {
    // input row c holds every code: x = (q - zp) * s quantizes to q exactly
    const b = new OnnxBuilder();
    const inp = b.input('input', [1, 3, 1, 256]);
    const [, x] = b.qdq(inp, 0.05, 128, 'in_q');
    const [, m] = b.qdq(b.op('Mul', [x, b.float('k3', [1, 3, 1, 1], [0.7, -1.3, 2.1])], {}, 'mul_pc'), 0.09, 120, 'm_q');
    const [, s] = b.qdq(b.op('Sigmoid', [m], {}, 'sig'), 1 / 256, 0, 's_q');
    const hs = b.op('HardSwish', [s], {}, 'hswish');
    const q = b.q(hs, 0.004, 3, 'final_q');
    b.nodes.push({ name: 'out_id', opType: 'Identity', input: [q], output: ['output'] });
    b.output('output', [1, 3, 1, 256], 2);
    b.opset = 14;
    const bytes = b.build();
    const { spec } = importOnnx(bytes);
    const data = new Float32Array(3 * 256);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 256; i++) data[c * 256 + i] = Math.fround((i - 128) * Math.fround(0.05));
    const out = (await runOrt(bytes, data, [1, 3, 1, 256])).data as Uint8Array;
    // emulate the engine with the LUT chain
    let mismatches = 0;
    for (let c = 0; c < 3; c++) {
      for (let i = 0; i < 256; i++) {
        let v = i;
        for (const op of spec.ops) v = op.lut!.length === 256 ? op.lut![v] : op.lut![c * 256 + v];
        if (v !== out[c * 256 + i]) {
          mismatches++;
          assert.ok(Math.abs(v - out[c * 256 + i]) <= 1, `channel ${c} code ${i}: ${v} vs ${out[c * 256 + i]}`);
        }
      }
    }
    assert.ok(mismatches <= 4, `${mismatches} codes differ by one`);
  });
});

describe('importOnnx: metadata', () => {
  it('reads metadata_props and puts norm into the spec', () => {
    const b = convReluModel();
    Object.assign(b.meta, {
      class_names: '["road", "sky"]',
      palette: '[[1, 2, 3], [4, 5, 6]]',
      input_width: '640',
      input_height: '480',
      void_index: '1',
      mean: '[0.485, 0.456, 0.406]',
      std: '[0.229, 0.224, 0.225]',
    });
    const { spec, metadata } = importOnnx(b.build());
    assert.deepEqual(metadata.classNames, ['road', 'sky']);
    assert.deepEqual(Array.from(metadata.palette), [1, 2, 3, 4, 5, 6]);
    assert.equal(metadata.inputWidth, 640);
    assert.equal(metadata.inputHeight, 480);
    assert.equal(metadata.voidIndex, 1);
    assert.deepEqual(spec.norm, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    assert.deepEqual(metadata.norm, spec.norm);
    assert.equal(metadata.raw.input_width, '640');
  });

  it('defaults: class_i names, CamVid palette then generated distinct colors, 480x360', () => {
    const { metadata } = importOnnx(convReluModel().build());
    assert.equal(metadata.inputWidth, 480);
    assert.equal(metadata.inputHeight, 360);
    assert.equal(metadata.voidIndex, null);
    assert.deepEqual(metadata.norm, { mean: [0, 0, 0], std: [1, 1, 1] });
    assert.deepEqual(Array.from(metadata.palette), [128, 128, 128, 128, 0, 0]);
    const p = defaultPalette(40);
    const colors = new Set<string>();
    for (let i = 0; i < 40; i++) colors.add(Array.from(p.subarray(i * 3, i * 3 + 3)).join(','));
    assert.equal(colors.size, 40);
  });
});

describe('importOnnx: fixtures', () => {
  const dir = path.join(__dirname, '..', '..', 'fixtures');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.onnx')) : [];
  it('imports every fixture model in test/fixtures', function () {
    if (files.length === 0) this.skip();
    for (const f of files) {
      try {
        const { spec } = importOnnx(fs.readFileSync(path.join(dir, f)));
        assert.ok(spec.ops.length > 0);
        assert.equal(spec.tensors[spec.input].channels, 3);
        if (f === 'ops_conv_qdq.onnx') {
          // ReLU6 exported as Relu -> Clip(0, 6): one clamp on the conv
          const stem = opByName(spec, '/stem/Conv');
          assert.equal(stem.actMin, spec.tensors[stem.output].q.zeroPoint);
          const q = spec.tensors[stem.output].q;
          assert.equal(stem.actMax, Math.min(255, Math.round(6 / q.scale) + q.zeroPoint));
        }
        if (f === 'ops_pool_attention_qdq.onnx') {
          // AvgPool2d(count_include_pad=True, padding=1) exported as Pad -> AveragePool
          const ap = opByName(spec, '/ap3i/pool/AveragePool');
          assert.deepEqual(ap.pool!.pads, [1, 1, 1, 1]);
          assert.equal(ap.pool!.countIncludePad, true);
        }
      } catch (e) {
        assert.fail(`${f}: ${e instanceof ModelImportError ? e.message : e}`);
      }
    }
  });
});
