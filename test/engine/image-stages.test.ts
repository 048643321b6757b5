// The fused image stages (pixel conversion, bilinear preprocess, input table, argmax, label map,
// colorize, overlay) compared byte for byte with the TypeScript reference, for every encoding,
// every usable kernel table, one and two threads, run and runSync.
//
// The network is trivial and exactly predictable: Lut ops on the quantized input (identity or
// random per-channel tables), concatenated, so the labels are an argmax the reference computes.
import { strict as assert } from 'assert';
import fc from 'fast-check';

import { loadAddon, NativeEngine, NativeResult, NativeRunOptions } from '../../src/engine/native';
import type { ModelSpec, OpSpec, TensorSpec } from '../../src/engine/spec';
import { randomBytes, randomFrame, smoothFrame } from '../helpers/frames';
import {
  buildImageAxis,
  ENCODINGS,
  Frame,
  InputQuant,
  inputLut,
  labelIndexTable,
  lutNetwork,
  overlayAlphaInt,
  referenceFrame,
  ReferenceResult,
  yuvToRgb,
} from '../helpers/image-reference';

// ---- Test networks -----------------------------------------------------------------------------

interface TestNet {
  name: string;
  q: InputQuant;
  tables: Uint8Array[]; // each 256 or 3 * 256 entries
  spec: ModelSpec;
  classes: number;
}

function identityTable(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** input -> Lut(tables[k]) for each k -> Concat (when more than one) -> output. */
function lutNet(name: string, q: InputQuant, tables: Uint8Array[]): TestNet {
  const tq = { scale: q.scale, zeroPoint: q.zeroPoint };
  const tensors: TensorSpec[] = [{ name: 'input', channels: 3, q: tq }];
  const ops: OpSpec[] = [];
  tables.forEach((t, k) => {
    tensors.push({ name: `lut${k}`, channels: 3, q: tq });
    ops.push({ kind: 'Lut', name: `lut${k}`, inputs: [0], output: k + 1, lut: t });
  });
  let output = 1;
  if (tables.length > 1) {
    tensors.push({ name: 'concat', channels: 3 * tables.length, q: tq });
    output = tensors.length - 1;
    ops.push({ kind: 'Concat', name: 'concat', inputs: tables.map((_, k) => k + 1), output });
  }
  const spec: ModelSpec = { tensors, ops, input: 0, output, norm: { mean: q.mean, std: q.std } };
  return { name, q, tables, spec, classes: 3 * tables.length };
}

const NETS: TestNet[] = [
  // labels = argmax of the resized RGB itself
  lutNet('identity', { scale: 1 / 255, zeroPoint: 0, mean: [0, 0, 0], std: [1, 1, 1] }, [identityTable()]),
  // ImageNet normalization, asymmetric input, 6 classes from random per-channel and shared tables
  lutNet(
    'normalized-6',
    { scale: 0.0186584, zeroPoint: 114, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    [randomBytes(768, 7), Uint8Array.from({ length: 256 }, (_, i) => 255 - i)],
  ),
];

function reference(
  f: Frame,
  net: TestNet,
  o: Required<Omit<NativeRunOptions, 'label' | 'colorized' | 'overlay' | 'confidence'>>,
) {
  const network = (input: Uint8Array, pixels: number) => ({
    data: lutNetwork(input, pixels, net.tables),
    channels: net.classes,
    scale: net.q.scale, // the output keeps the input's quantization
  });
  return referenceFrame(f, net.q, network, {
    networkWidth: o.networkWidth,
    networkHeight: o.networkHeight,
    labelResolution: o.labelResolution,
    palette: o.palette,
    overlayAlpha: o.overlayAlpha,
  });
}

// ---- Comparison --------------------------------------------------------------------------------

function describeFrame(f: Frame): string {
  return `${f.encoding} ${f.width}x${f.height} step ${f.step} (${f.data.length} bytes)`;
}

/** Exact byte equality, with the first differing pixel in the message. */
function sameBytes(got: Uint8Array | null, want: Uint8Array, what: string, width: number, channels: number, ctx: string) {
  assert.ok(got, `${what} missing (${ctx})`);
  assert.equal(got.length, want.length, `${what} length (${ctx})`);
  for (let i = 0; i < want.length; ++i) {
    if (got[i] !== want[i]) {
      const p = Math.floor(i / channels);
      const x = p % width;
      const y = Math.floor(p / width);
      const g: number[] = Array.from(got.subarray(p * channels, p * channels + channels));
      const w: number[] = Array.from(want.subarray(p * channels, p * channels + channels));
      assert.fail(`${what} differs at (x ${x}, y ${y}) channel ${i % channels}: got [${g}] want [${w}] (${ctx})`);
    }
  }
}

/** Within 1 of the float reference, with the first pixel that is not in the message. */
function nearBytes(got: Uint8Array | null, want: Uint8Array, what: string, width: number, ctx: string) {
  assert.ok(got, `${what} missing (${ctx})`);
  assert.equal(got.length, want.length, `${what} length (${ctx})`);
  for (let i = 0; i < want.length; ++i)
    if (Math.abs(got[i] - want[i]) > 1)
      assert.fail(`${what} at (x ${i % width}, y ${Math.floor(i / width)}): got ${got[i]} want ${want[i]} +-1 (${ctx})`);
}

function checkResult(r: NativeResult, want: ReferenceResult, f: Frame, ctx: string, confidence = false) {
  assert.equal(r.labelWidth, want.labelWidth, `labelWidth (${ctx})`);
  assert.equal(r.labelHeight, want.labelHeight, `labelHeight (${ctx})`);
  assert.equal(r.overlayWidth, f.width, `overlayWidth (${ctx})`);
  assert.equal(r.overlayHeight, f.height, `overlayHeight (${ctx})`);
  sameBytes(r.label, want.label, 'label', want.labelWidth, 1, ctx);
  sameBytes(r.colorized, want.colorized, 'colorized', want.labelWidth, 3, ctx);
  sameBytes(r.overlay, want.overlay, 'overlay', f.width, 3, ctx);
  if (confidence) nearBytes(r.confidence, want.confidence, 'confidence', want.labelWidth, ctx);
  else assert.equal(r.confidence, null, `confidence not asked for (${ctx})`);
}

// ---- Engines -----------------------------------------------------------------------------------

const addon = loadAddon();
const ISAS = addon
  .kernelTables()
  .filter((t) => t.usable)
  .map((t) => t.name);
const THREADS = [1, 2];

const engines = new Map<string, NativeEngine>();
function engine(net: TestNet, isa: string, threads: number): NativeEngine {
  const key = `${net.name}/${isa}/${threads}`;
  let e = engines.get(key);
  if (!e) {
    e = new addon.NativeEngine(net.spec, { threads, isa });
    engines.set(key, e);
  }
  return e;
}

function palette(colours: number, seed: number): Uint8Array {
  return randomBytes(colours * 3, seed);
}

const ALPHAS = [0, 0.37, 0.5, 1];

interface Case {
  frame: Frame;
  net: TestNet;
  options: Required<NativeRunOptions>;
}

function caseOptions(netW: number, netH: number, i: number, net: TestNet): Required<NativeRunOptions> {
  // palettes smaller than, equal to and larger than the class count
  const colours = [1, 2, net.classes, 4, 256][i % 5];
  return {
    networkWidth: netW,
    networkHeight: netH,
    labelResolution: i % 2 === 0 ? 'input' : 'network',
    label: true,
    colorized: true,
    overlay: true,
    overlayAlpha: ALPHAS[i % ALPHAS.length],
    confidence: i % 3 !== 2,
    palette: palette(colours, 100 + i),
  };
}

async function runBoth(e: NativeEngine, c: Case, ctx: string) {
  const want = reference(c.frame, c.net, c.options);
  checkResult(e.runSync(c.frame, c.options), want, c.frame, `${ctx}, runSync`, c.options.confidence);
  checkResult(await e.run(c.frame, c.options), want, c.frame, `${ctx}, run`, c.options.confidence);
}

// ---- The reference itself, on values fixed by the contract --------------------------------------

describe('image stage reference', () => {
  it('converts BT.601 video-range YUV like OpenCV', () => {
    const rgb = [0, 0, 0];
    yuvToRgb(16, 128, 128, rgb);
    assert.deepEqual(rgb, [0, 0, 0]);
    yuvToRgb(235, 128, 128, rgb);
    assert.deepEqual(rgb, [255, 255, 255]);
    yuvToRgb(0, 128, 128, rgb); // below 16 reads as black
    assert.deepEqual(rgb, [0, 0, 0]);
    yuvToRgb(81, 90, 240, rgb); // BT.601 red, (65 * 1.164 + 112 * 1.596) = 254.4
    assert.deepEqual(rgb, [254, 0, 0]);
    yuvToRgb(41, 240, 110, rgb); // BT.601 blue; G rounds below zero and clamps
    assert.deepEqual(rgb, [0, 0, 255]);
    yuvToRgb(128, 128, 128, rgb);
    assert.deepEqual(rgb, [130, 130, 130]);
  });

  it('builds the half-pixel image axis and the nearest label table', () => {
    const id = buildImageAxis(5, 5);
    assert.deepEqual(id.i0, [0, 1, 2, 3, 4]);
    assert.deepEqual(id.i1, [1, 2, 3, 4, 4]);
    assert.deepEqual(id.w, [0, 0, 0, 0, 0]);
    const half = buildImageAxis(8, 4); // centres fall between pixel pairs
    assert.deepEqual(half.i0, [0, 2, 4, 6]);
    assert.deepEqual(half.w, [1024, 1024, 1024, 1024]);
    const up = buildImageAxis(2, 4); // src = -0.25 (clamped), 0.25, 0.75, 1.25
    assert.deepEqual(up.i0, [0, 0, 0, 1]);
    assert.deepEqual(up.i1, [1, 1, 1, 1]);
    assert.deepEqual(up.w, [0, 512, 1536, 0]);
    assert.deepEqual(buildImageAxis(1, 3).i0, [0, 0, 0]);
    assert.deepEqual(labelIndexTable(4, 4), [0, 1, 2, 3]);
    assert.deepEqual(labelIndexTable(2, 5), [0, 0, 1, 1, 1]);
    assert.deepEqual(labelIndexTable(7, 1), [3]);
  });

  it('quantizes the input exactly for the identity network and rounds the overlay alpha', () => {
    assert.deepEqual(Array.from(inputLut(NETS[0].q).subarray(0, 256)), Array.from(identityTable()));
    assert.deepEqual(ALPHAS.map(overlayAlphaInt), [0, 95, 128, 256]);
  });
});

// ---- Native stages against the reference ---------------------------------------------------------

describe('fused image stages match the reference exactly', function () {
  this.timeout(60000);

  it('has at least the scalar kernel table', () => {
    assert.ok(ISAS.includes('scalar'), `usable tables: ${ISAS.join(', ')}`);
  });

  // Frame sizes: single pixel, odd and thin shapes, a camera-like one.
  const FRAME_SIZES: [number, number][] = [
    [1, 1],
    [5, 3],
    [1, 7],
    [9, 1],
    [31, 17],
    [64, 48],
  ];
  // Network sizes (0 = the frame's own size): up and down, odd, single pixel.
  const NET_SIZES: [number, number][] = [
    [0, 0],
    [33, 17],
    [97, 61],
    [1, 1],
  ];

  for (const isa of ISAS) {
    describe(`isa ${isa}`, () => {
      for (const encoding of ENCODINGS) {
        it(`${encoding}: every size, padded step, both label resolutions, threads 1 and 2`, async () => {
          let i = 0;
          for (const [w, h] of FRAME_SIZES) {
            for (const [nw, nh] of NET_SIZES) {
              const net = NETS[i % NETS.length];
              const pad = [0, 3, 16, 1][i % 4];
              const make = i % 3 === 0 ? randomFrame : smoothFrame;
              const frame = make({ encoding, width: w, height: h, pad, tail: i % 2, seed: 1000 + i });
              const options = caseOptions(nw || w, nh || h, i, net);
              for (const threads of THREADS) {
                const ctx = `${isa}, ${threads} thread(s), ${net.name}, ${describeFrame(frame)}, net ${options.networkWidth}x${options.networkHeight}, ${options.labelResolution}, alpha ${options.overlayAlpha}, palette ${options.palette.length / 3}`;
                await runBoth(engine(net, isa, threads), { frame, net, options }, ctx);
              }
              ++i;
            }
          }
        });
      }

      it('every overlay alpha and label resolution on one frame', async () => {
        const frame = smoothFrame({ encoding: 'bgra8', width: 40, height: 30, pad: 8, seed: 5 });
        for (const net of NETS)
          for (const alpha of ALPHAS)
            for (const labelResolution of ['input', 'network'] as const) {
              const options: Required<NativeRunOptions> = {
                ...caseOptions(23, 19, 0, net),
                palette: palette(2, 9),
                overlayAlpha: alpha,
                labelResolution,
              };
              await runBoth(engine(net, isa, 2), { frame, net, options }, `${isa}, ${net.name}, alpha ${alpha}, ${labelResolution}`);
            }
      });

      it('returns only the outputs asked for', () => {
        const net = NETS[1];
        const e = engine(net, isa, 1);
        const frame = smoothFrame({ encoding: 'yuyv', width: 21, height: 13, pad: 2, seed: 3 });
        const full = caseOptions(16, 12, 1, net);
        const want = reference(frame, net, full);
        for (let mask = 0; mask < 16; ++mask) {
          const o = { ...full, label: !!(mask & 1), colorized: !!(mask & 2), overlay: !!(mask & 4), confidence: !!(mask & 8) };
          const r = e.runSync(frame, o);
          if (o.label) sameBytes(r.label, want.label, 'label', want.labelWidth, 1, `mask ${mask}`);
          else assert.equal(r.label, null);
          if (o.colorized) sameBytes(r.colorized, want.colorized, 'colorized', want.labelWidth, 3, `mask ${mask}`);
          else assert.equal(r.colorized, null);
          if (o.overlay) sameBytes(r.overlay, want.overlay, 'overlay', frame.width, 3, `mask ${mask}`);
          else assert.equal(r.overlay, null);
          if (o.confidence) nearBytes(r.confidence, want.confidence, 'confidence', want.labelWidth, `mask ${mask}`);
          else assert.equal(r.confidence, null);
        }
      });

      it('concurrent run calls on one engine each get their own frame', async () => {
        const net = NETS[0];
        const e = engine(net, isa, 2);
        const cases: Case[] = ENCODINGS.map((encoding, i) => ({
          frame: smoothFrame({ encoding, width: 17 + i, height: 9 + 2 * i, pad: i % 3, seed: 50 + i }),
          net,
          options: caseOptions(11 + i, 7 + i, i, net),
        }));
        const results = await Promise.all(cases.map((c) => e.run(c.frame, c.options)));
        results.forEach((r, i) =>
          checkResult(r, reference(cases[i].frame, net, cases[i].options), cases[i].frame, `concurrent #${i}`, cases[i].options.confidence),
        );
      });
    });
  }

  it('random frames, steps, sizes and options (fast-check)', async () => {
    const arb = fc.record({
      encoding: fc.constantFrom(...ENCODINGS),
      width: fc.integer({ min: 1, max: 80 }),
      height: fc.integer({ min: 1, max: 60 }),
      pad: fc.integer({ min: 0, max: 9 }),
      tail: fc.integer({ min: 0, max: 3 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
      smooth: fc.boolean(),
      netW: fc.integer({ min: 1, max: 100 }),
      netH: fc.integer({ min: 1, max: 100 }),
      labelResolution: fc.constantFrom('input' as const, 'network' as const),
      alpha: fc.oneof(fc.constantFrom(...ALPHAS), fc.double({ min: 0, max: 1, noNaN: true })),
      colours: fc.integer({ min: 1, max: 8 }),
      net: fc.integer({ min: 0, max: NETS.length - 1 }),
      isa: fc.constantFrom(...ISAS),
      threads: fc.constantFrom(...THREADS),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        const net = NETS[c.net];
        const frame = (c.smooth ? smoothFrame : randomFrame)(c);
        const options: Required<NativeRunOptions> = {
          networkWidth: c.netW,
          networkHeight: c.netH,
          labelResolution: c.labelResolution,
          label: true,
          colorized: true,
          overlay: true,
          overlayAlpha: c.alpha,
          confidence: c.seed % 2 === 0,
          palette: palette(c.colours, c.seed),
        };
        await runBoth(engine(net, c.isa, c.threads), { frame, net, options }, `${c.isa}, ${c.threads} thread(s), ${describeFrame(frame)}, ${JSON.stringify({ ...c, encoding: undefined })}`);
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });

  it('large frame with many rows per thread (640x480 rgb8 and nv21 to 320x240)', async () => {
    for (const encoding of ['rgb8', 'nv21']) {
      const frame = smoothFrame({ encoding, width: 640, height: 480, pad: 32, seed: 77 });
      for (const isa of ISAS) {
        const net = NETS[1];
        const options = caseOptions(320, 240, 1, net);
        await runBoth(engine(net, isa, 2), { frame, net, options }, `${isa}, ${describeFrame(frame)}`);
      }
    }
  });
});
