// The shipped CamVid model: it loads in our engine and in ONNX Runtime, and our int8 engine, the
// fake-quant graph (ONNX Runtime on the QDQ file with graph optimizations off, i.e. the
// DequantizeLinear -> float op -> QuantizeLinear semantics QAT trained) and the float export of the
// same network agree on the label of >= 99% of the pixels of eight CamVid val frames taken together.
// The weights of its GEMM convs lie in [-64, 64], the range for which the AVX2 GEMM's vpmaddubsw
// path is exact, and every kernel table computes the same network output as the scalar reference.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

import { defaultModelPath, packageRoot } from '../../src/engine/default-model';
import { Engine, kernelTables } from '../../src/engine/engine';
import { importOnnx } from '../../src/engine/onnx';

const VAL = path.resolve(packageRoot(), '..', 'shared', 'data', 'camvid', 'val');
const FLOAT_MODEL = path.join(packageRoot(), 'models', 'attendseg_camvid_fp32.onnx');
const FRAMES = 8;

async function ortLabels(file: string, rgb: Buffer, w: number, h: number, mean: number[], std: number[], optimized: boolean) {
  const x = new Float32Array(3 * h * w);
  for (let c = 0; c < 3; c++)
    for (let p = 0; p < h * w; p++) x[c * h * w + p] = (rgb[p * 3 + c] / 255 - mean[c]) / std[c];
  const session = await ort.InferenceSession.create(file, {
    intraOpNumThreads: 1,
    graphOptimizationLevel: optimized ? 'all' : 'disabled',
  });
  try {
    const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 3, h, w]) });
    const out = res[session.outputNames[0]];
    const [, classes] = out.dims as number[];
    const d = out.data as Float32Array;
    const labels = new Uint8Array(h * w);
    for (let p = 0; p < h * w; p++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (d[k * h * w + p] > d[best * h * w + p]) best = k;
      labels[p] = best;
    }
    return labels;
  } finally {
    await session.release();
  }
}

function agreeing(a: Uint8Array, b: Uint8Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same;
}

describe('shipped model (models/attendseg_camvid.onnx)', function () {
  this.timeout(600000);

  it('is present with its float twin and CamVid metadata', () => {
    assert.ok(fs.existsSync(FLOAT_MODEL), `${FLOAT_MODEL} is missing`);
    const engine = Engine.fromFile(defaultModelPath());
    assert.strictEqual(engine.numClasses, 11);
    assert.strictEqual(engine.metadata.voidIndex, 11);
    assert.strictEqual(engine.metadata.classNames[10], 'Bicyclist');
    assert.deepStrictEqual([engine.metadata.inputWidth, engine.metadata.inputHeight], [480, 360]);
  });

  it('has the weights of every GEMM conv but the first in [-64, 64]', () => {
    // The first conv (reading the image) keeps the full int8 range: narrowing it costs the most
    // accuracy for the least GEMM time. The classifier is narrow too (models/README.md: the same
    // held-out mIoU, and the faster AVX2 path). Depthwise convs never run as GEMMs.
    const fullRange = new Set(['/stem/stem.0/Conv']);
    const { spec } = importOnnx(fs.readFileSync(defaultModelPath()));
    let narrow = 0;
    let widest = 0;
    for (const op of spec.ops) {
      if (!op.conv) continue;
      const channels = spec.tensors[op.output].channels;
      const depthwise = op.conv.groups > 1 && op.conv.groups === channels && op.conv.groups === spec.tensors[op.inputs[0]].channels;
      if (depthwise || fullRange.has(op.name)) continue;
      let m = 0;
      for (const w of op.conv.weights) m = Math.max(m, Math.abs(w));
      assert.ok(m <= 64, `${op.name}: max |w| = ${m}`);
      widest = Math.max(widest, m);
      narrow++;
    }
    assert.strictEqual(narrow, 44);
    assert.strictEqual(widest, 64); // scale = max|w| / 64 per channel: the range is used in full
  });

  it('gives the same network output on every kernel table, 1 and 2 threads, as the scalar reference', () => {
    const bytes = fs.readFileSync(defaultModelPath());
    const [w, h] = [161, 97]; // odd sizes: partial GEMM row blocks and panels everywhere
    const input = new Uint8Array(h * w * 3);
    let s = 12345;
    for (let i = 0; i < input.length; i++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      input[i] = (((i % (w * 3)) * 3 + Math.floor(i / (w * 3)) * 5) & 255) ^ (s >>> 29);
    }
    const reference = Engine.fromBytes(bytes, { isa: 'scalar', threads: 1 }).runNetwork(input, h, w).data;
    const others = kernelTables().filter((t) => t.usable && t.name !== 'scalar');
    for (const t of others)
      for (const threads of [1, 2]) {
        const out = Engine.fromBytes(bytes, { isa: t.name, threads }).runNetwork(input, h, w).data;
        assert.ok(reference.equals(out), `${t.name} with ${threads} threads differs from scalar`);
      }
  });

  it('int8 engine, fake-quant and float agree on >= 99% of labels over CamVid val frames', async function () {
    if (!fs.existsSync(VAL)) this.skip(); // CamVid val is not in this checkout: nothing to compare on
    const engine = Engine.fromFile(defaultModelPath(), { threads: 1 });
    const { mean, std } = engine.metadata.norm;
    const names = fs.readdirSync(VAL).filter((n) => n.endsWith('.png')).sort();
    const picks = Array.from({ length: FRAMES }, (_, i) => names[Math.floor((i * names.length) / FRAMES)]);
    // Pixels on which each pair agrees, summed over the frames: [engine~fake-quant, engine~float, fake-quant~float].
    const same = [0, 0, 0];
    let pixels = 0;
    for (const name of picks) {
      const { data, info } = await sharp(path.join(VAL, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const [w, h] = [info.width, info.height];
      const ours = engine.runSync({ encoding: 'rgb8', width: w, height: h, step: w * 3, data }, { labelResolution: 'network', overlay: false }).label!;
      const fq = await ortLabels(defaultModelPath(), data, w, h, mean, std, false);
      const fl = await ortLabels(FLOAT_MODEL, data, w, h, mean, std, true);
      same[0] += agreeing(ours, fq);
      same[1] += agreeing(ours, fl);
      same[2] += agreeing(fq, fl);
      pixels += w * h;
    }
    const [a, b, c] = same.map((s) => s / pixels);
    assert.ok(a >= 0.99, `engine vs fake-quant labels agree on ${(100 * a).toFixed(2)}%`);
    assert.ok(b >= 0.99, `engine vs float labels agree on ${(100 * b).toFixed(2)}%`);
    assert.ok(c >= 0.99, `fake-quant vs float labels agree on ${(100 * c).toFixed(2)}%`);
  });
});
