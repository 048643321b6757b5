// Whole networks against ONNX Runtime on the same QDQ file: quantized outputs within 1 LSB on
// >= 99.9% of elements, the same argmax on >= 99.9% of pixels; and every kernel table of ours
// bit-identical to the scalar reference on whole networks.
//
// The oracle runs with graph optimizations disabled, i.e. the QDQ graph's defining semantics
// (DequantizeLinear -> float op -> QuantizeLinear). With them enabled, ONNX Runtime fuses the
// pattern into QLinearConv, whose u8s8 kernel on AVX2 CPUs without VNNI (this CI's) uses
// vpmaddubsw and saturates int16 pair sums: its own documented limitation, which changes results
// by tens of LSBs on 7x7 stems.
//
// Convolutions accumulate exactly in int32 where ONNX Runtime's float path sums floats, so a value
// within ~1e-6 of a rounding tie can round differently; in a deep random-weight network that one
// LSB grows layer by layer. Such a case is accepted only when firstDivergence shows every op before
// the first differing convolution identical and that convolution off by one LSB in a few elements.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';

import { Engine, kernelTables } from '../../src/engine/engine';
import { importOnnx } from '../../src/engine/onnx';
import { loadAddon } from '../../src/engine/native';
import type { ModelSpec } from '../../src/engine/spec';

const fixtureDir = path.join(__dirname, '..', 'fixtures');
const fixtures = fs.existsSync(fixtureDir) ? fs.readdirSync(fixtureDir).filter((f) => f.endsWith('.onnx')).sort() : [];
const sizes: [number, number][] = [
  [64, 48],
  [97, 61],
  [40, 130],
];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s >>> 24;
  };
}

/** A structured random image: smooth gradients plus noise, so activations are not all alike. */
function inputTensor(h: number, w: number, seed: number): Uint8Array {
  const r = lcg(seed);
  const t = new Uint8Array(h * w * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) t[(y * w + x) * 3 + c] = (((x + y * (c + 1)) * 5) & 255) ^ (r() & 63);
  return t;
}

function argmax(pixels: number, channels: number, at: (p: number, c: number) => number): Uint8Array {
  const out = new Uint8Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let best = 0;
    for (let c = 1; c < channels; c++) if (at(p, c) > at(p, best)) best = c;
    out[p] = best;
  }
  return out;
}

/**
 * Compares every op's output with ONNX Runtime's value of the same tensor, in network order, and
 * returns the first op whose output differs at all (or null). Deep random-weight networks are
 * chaotic: one exact-tie rounding difference early on grows through the layers, so a whole-network
 * miss is only acceptable where this shows it started as such a tie.
 */
async function firstDivergence(bytes: Buffer, spec: ModelSpec, x: Float32Array, input: Uint8Array, h: number, w: number) {
  const model = onnx.ModelProto.decode(bytes);
  for (const t of spec.tensors)
    model.graph!.output!.push(onnx.ValueInfoProto.create({ name: t.name, type: { tensorType: { elemType: 2 } } }));
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), {
    intraOpNumThreads: 1,
    graphOptimizationLevel: 'disabled',
  });
  const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 3, h, w]) });
  await session.release();
  const addon = loadAddon();
  for (const op of spec.ops) {
    const out = new addon.NativeEngine({ ...spec, output: op.output }, { threads: 1, isa: 'scalar' }).runNetwork(input, h, w);
    const r = res[spec.tensors[op.output].name];
    const rd = r.data as Uint8Array;
    const [, C, oh, ow] = r.dims as number[];
    let differing = 0;
    let worst = 0;
    for (let c = 0; c < C; c++)
      for (let p = 0; p < oh * ow; p++) {
        const d = Math.abs(rd[c * oh * ow + p] - out.data[p * C + c]);
        if (d) differing++;
        worst = Math.max(worst, d);
      }
    if (differing) return { op, differing, worst, elements: C * oh * ow };
  }
  return null;
}

describe('whole networks against ONNX Runtime', function () {
  this.timeout(300000);
  if (fixtures.length === 0) {
    it('has fixtures', () => assert.fail(`no ONNX fixtures in ${fixtureDir}`));
    return;
  }
  const usable = kernelTables().filter((t) => t.usable).map((t) => t.name);

  for (const file of fixtures) {
    describe(file, () => {
      const bytes = fs.readFileSync(path.join(fixtureDir, file));
      const { spec } = importOnnx(bytes);
      const qin = spec.tensors[spec.input].q;
      const qout = spec.tensors[spec.output].q;
      let session: ort.InferenceSession;
      before(async () => {
        session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
      });
      after(async () => session?.release());

      for (const [w, h] of sizes) {
        it(`${w}x${h}: within 1 LSB of ONNX Runtime, same labels, identical on every ISA`, async () => {
          const input = inputTensor(h, w, w * 131 + h);
          // ORT gets the dequantized input, which its first QuantizeLinear maps back to `input`.
          const plane = h * w;
          const x = new Float32Array(3 * plane);
          for (let p = 0; p < plane; p++)
            for (let c = 0; c < 3; c++) x[c * plane + p] = (input[p * 3 + c] - qin.zeroPoint) * qin.scale;
          const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [1, 3, h, w]) });
          const y = res[session.outputNames[0]];
          const [, K, oh, ow] = y.dims as number[];
          const yd = y.data as Float32Array;
          const theirs = new Uint8Array(oh * ow * K);
          for (let c = 0; c < K; c++)
            for (let p = 0; p < oh * ow; p++) {
              const q = Math.round(yd[c * oh * ow + p] / qout.scale) + qout.zeroPoint;
              theirs[p * K + c] = Math.max(0, Math.min(255, q));
            }

          let reference: Buffer | undefined;
          for (const isa of usable) {
            for (const threads of [1, 2]) {
              const engine = Engine.fromBytes(bytes, { isa, threads });
              const out = engine.runNetwork(input, h, w);
              assert.deepStrictEqual([out.height, out.width, out.channels], [oh, ow, K], 'output shape');
              if (!reference) reference = out.data;
              else assert.ok(reference.equals(out.data), `${isa} with ${threads} threads differs from scalar`);
            }
          }
          const ours = reference!;
          let within = 0;
          let worst = 0;
          for (let i = 0; i < ours.length; i++) {
            const d = Math.abs(ours[i] - theirs[i]);
            if (d <= 1) within++;
            worst = Math.max(worst, d);
          }
          const lsbShare = within / ours.length;
          const pixels = oh * ow;
          const la = argmax(pixels, K, (p, c) => ours[p * K + c]);
          const lb = argmax(pixels, K, (p, c) => theirs[p * K + c]);
          let same = 0;
          for (let p = 0; p < pixels; p++) if (la[p] === lb[p]) same++;
          const labelShare = same / pixels;
          if (lsbShare >= 0.999 && labelShare >= 0.999) return;
          // A miss must start as a rounding tie in one convolution, every earlier op identical.
          const summary = `${(100 * lsbShare).toFixed(3)}% of outputs within 1 LSB (worst ${worst}), ${(100 * labelShare).toFixed(3)}% of labels agree`;
          const d = await firstDivergence(bytes, spec, x, input, h, w);
          assert.ok(d, `${summary}, yet no op differs`);
          assert.strictEqual(d.op.kind, 'Conv', `${summary}; first difference at ${d.op.kind} '${d.op.name}'`);
          assert.strictEqual(d.worst, 1, `${summary}; first difference at '${d.op.name}' is ${d.worst} LSB`);
          assert.ok(d.differing <= Math.max(2, d.elements / 1000), `${summary}; '${d.op.name}' differs in ${d.differing} elements`);
          console.log(`      (${file} ${w}x${h}: ${summary}; it starts as ${d.differing} one-LSB rounding tie(s) in '${d.op.name}' and grows through the random layers)`);
        });
      }
    });
  }
});
