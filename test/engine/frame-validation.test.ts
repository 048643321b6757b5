// Every malformed frame, frame option and model description is refused with an Error that names
// the problem, through run (the promise rejects) and runSync (throws); the engine keeps working.
import { strict as assert } from 'assert';

import { loadAddon, NativeEngine, NativeFrame, NativeRunOptions } from '../../src/engine/native';
import type { ModelSpec, OpSpec } from '../../src/engine/spec';
import { randomFrame } from '../helpers/frames';
import { minStep } from '../helpers/image-reference';

const addon = loadAddon();

function identityLut(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

/** input (3) -> Lut -> output (3): the smallest valid model. */
function lutSpec(): ModelSpec {
  const q = { scale: 1 / 255, zeroPoint: 0 };
  return {
    tensors: [
      { name: 'input', channels: 3, q: { ...q } },
      { name: 'out', channels: 3, q: { ...q } },
    ],
    ops: [{ kind: 'Lut', name: 'lut', inputs: [0], output: 1, lut: identityLut() }],
    input: 0,
    output: 1,
    norm: { mean: [0, 0, 0], std: [1, 1, 1] },
  };
}

/**
 * input (3) -> conv1 (3x3, 3 -> 6) -> a (6) -> dw (depthwise 3x3) -> b (6);
 * Concat(a, b) -> c (12); Lut(c) -> output (12).
 */
function convSpec(): ModelSpec {
  const q = { scale: 0.05, zeroPoint: 10 };
  const conv = (name: string, input: number, output: number, inC: number, outC: number, groups: number): OpSpec => ({
    kind: 'Conv',
    name,
    inputs: [input],
    output,
    actMin: 10,
    actMax: 255,
    conv: {
      kernel: [3, 3],
      stride: [1, 1],
      pads: [1, 1, 1, 1],
      dilation: [1, 1],
      groups,
      weights: Int8Array.from({ length: outC * (inC / groups) * 9 }, (_, i) => ((i * 37) % 255) - 127),
      bias: new Int32Array(outC),
      weightScales: Float32Array.from({ length: outC }, () => 0.01),
    },
  });
  return {
    tensors: [
      { name: 'input', channels: 3, q: { scale: 1 / 255, zeroPoint: 0 } },
      { name: 'a', channels: 6, q: { ...q } },
      { name: 'b', channels: 6, q: { ...q } },
      { name: 'c', channels: 12, q: { ...q } },
      { name: 'out', channels: 12, q: { ...q } },
    ],
    ops: [
      conv('conv1', 0, 1, 3, 6, 1),
      conv('dw', 1, 2, 6, 6, 6),
      { kind: 'Concat', name: 'cat', inputs: [1, 2], output: 3 },
      { kind: 'Lut', name: 'lut', inputs: [3], output: 4, lut: identityLut() },
    ],
    input: 0,
    output: 4,
    norm: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] },
  };
}

const PALETTE = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]);
const GOOD_OPTIONS: NativeRunOptions = {
  networkWidth: 16,
  networkHeight: 12,
  labelResolution: 'input',
  label: true,
  colorized: true,
  overlay: true,
  overlayAlpha: 0.5,
  palette: PALETTE,
};

function goodFrame(encoding = 'rgb8', width = 20, height = 10): NativeFrame {
  return randomFrame({ encoding, width, height, pad: 2, seed: 11 });
}

/** A good frame right after a refused one succeeds, both ways. */
async function stillWorks(e: NativeEngine) {
  const f = goodFrame();
  const a = e.runSync(f, GOOD_OPTIONS);
  const b = await e.run(f, GOOD_OPTIONS);
  assert.equal(a.label?.length, 200);
  assert.deepEqual(b.label, a.label);
  assert.deepEqual(b.overlay, a.overlay);
  assert.deepEqual(b.colorized, a.colorized);
}

/** runSync throws and run rejects, each with an Error whose message matches every pattern. */
async function refused(e: NativeEngine, frame: unknown, options: unknown, patterns: RegExp[]) {
  const check = (err: unknown, how: string) => {
    assert.ok(err instanceof Error, `${how}: expected an Error, got ${String(err)}`);
    for (const re of patterns) assert.match(err.message, re, `${how}: message "${err.message}"`);
  };
  let threw = false;
  try {
    e.runSync(frame as NativeFrame, options as NativeRunOptions);
  } catch (err) {
    threw = true;
    check(err, 'runSync');
  }
  assert.ok(threw, 'runSync accepted the frame');
  let promise: Promise<unknown>;
  try {
    promise = e.run(frame as NativeFrame, options as NativeRunOptions);
  } catch (err) {
    assert.fail(`run threw synchronously instead of rejecting: ${(err as Error).message}`);
  }
  assert.ok(promise instanceof Promise, 'run returns a promise');
  await promise.then(
    () => assert.fail('run resolved for a bad frame'),
    (err: unknown) => check(err, 'run'),
  );
  await stillWorks(e);
}

interface BadCase {
  name: string;
  frame: unknown;
  options?: unknown;
  patterns: RegExp[];
}

function frameCases(): BadCase[] {
  const f = goodFrame();
  const with_ = (patch: Record<string, unknown>): unknown => ({ ...f, ...patch });
  const without = (key: keyof NativeFrame): unknown => {
    const g: Record<string, unknown> = { ...f };
    delete g[key];
    return g;
  };
  const uyvyOdd = goodFrame('uyvy', 5, 4); // min step 12: whole macropixels
  const nv21Odd = goodFrame('nv21', 5, 3); // min step 6, chroma rows ceil(3 / 2) = 2
  const cases: BadCase[] = [
    { name: "encoding 'rgb16'", frame: with_({ encoding: 'rgb16' }), patterns: [/encoding/, /rgb16/] },
    { name: "encoding ''", frame: with_({ encoding: '' }), patterns: [/encoding/, /''/] },
    { name: "encoding 'jpeg'", frame: with_({ encoding: 'jpeg' }), patterns: [/unsupported encoding/, /jpeg/] },
    { name: "encoding 'RGB8' (names are case sensitive)", frame: with_({ encoding: 'RGB8' }), patterns: [/encoding/] },
    { name: 'encoding not a string', frame: with_({ encoding: 3 }), patterns: [/encoding/, /string/] },
    { name: 'step < width * 3', frame: with_({ step: 59 }), patterns: [/step 59/, /too small/, /60/] },
    { name: 'step 0', frame: with_({ step: 0 }), patterns: [/step/, /too small/] },
    {
      name: 'uyvy odd width with step = width * 2',
      frame: { ...uyvyOdd, step: 10 },
      patterns: [/step 10/, /too small/, /uyvy/, /12/],
    },
    {
      name: 'yuyv odd width with step = width * 2',
      frame: { ...goodFrame('yuv422_yuy2', 7, 2), step: 14 },
      patterns: [/step 14/, /too small/, /16/],
    },
    { name: 'nv21 odd width with step = width', frame: { ...nv21Odd, step: 5 }, patterns: [/step 5/, /too small/, /nv21/] },
    { name: 'rgba8 step = width * 3', frame: { ...goodFrame('rgba8'), step: 60 }, patterns: [/step 60/, /too small/, /80/] },
    {
      name: 'data one byte short',
      frame: with_({ data: f.data.subarray(0, f.step * f.height - 1) }),
      patterns: [/truncated/, new RegExp(`${f.step * f.height - 1} bytes`), new RegExp(`needs ${f.step * f.height}`)],
    },
    {
      name: 'data without the padding of the last row',
      frame: with_({ data: f.data.subarray(0, f.step * (f.height - 1) + f.width * 3) }),
      patterns: [/truncated/],
    },
    {
      name: 'nv21 without its last chroma row byte',
      frame: { ...nv21Odd, data: nv21Odd.data.subarray(0, nv21Odd.data.length - 1) },
      patterns: [/truncated/, /nv21/],
    },
    {
      name: 'nv24 without its chroma plane',
      frame: (() => {
        const g = goodFrame('nv24', 6, 4);
        return { ...g, data: g.data.subarray(0, g.step * g.height) };
      })(),
      patterns: [/truncated/, /nv24/],
    },
    { name: 'empty data', frame: with_({ data: new Uint8Array(0) }), patterns: [/data is (missing|truncated)/] },
    { name: 'width 0', frame: with_({ width: 0 }), patterns: [/size 0x10/, /1\.\.8192/] },
    { name: 'height 0', frame: with_({ height: 0 }), patterns: [/size 20x0/, /1\.\.8192/] },
    {
      name: 'width 8193',
      frame: { encoding: 'mono8', width: 8193, height: 1, step: 8193, data: new Uint8Array(8193) },
      patterns: [/8193x1/, /outside 1\.\.8192/],
    },
    {
      name: 'height 8193',
      frame: { encoding: 'mono8', width: 1, height: 8193, step: 1, data: new Uint8Array(8193) },
      patterns: [/1x8193/, /outside 1\.\.8192/],
    },
    {
      // outputs must not be sized (100000 * 100000 * 3 bytes) before the frame size is checked
      name: 'width and height 100000',
      frame: { encoding: 'mono8', width: 100000, height: 100000, step: 100000, data: new Uint8Array(16) },
      patterns: [/100000x100000/, /outside 1\.\.8192/],
    },
    { name: 'negative width', frame: with_({ width: -4 }), patterns: [/width/, /integer/] },
    { name: 'non-integer height', frame: with_({ height: 9.5 }), patterns: [/height/, /integer/] },
    { name: 'NaN width', frame: with_({ width: NaN }), patterns: [/width/, /finite/] },
    { name: 'negative step', frame: with_({ step: -60 }), patterns: [/step/, /non-negative integer/] },
    { name: 'non-integer step', frame: with_({ step: 62.5 }), patterns: [/step/, /integer/] },
    { name: 'step as a string', frame: with_({ step: '62' }), patterns: [/step/, /number/] },
    { name: 'data as a number[]', frame: with_({ data: Array.from(f.data) }), patterns: [/data/, /Uint8Array/] },
    { name: 'data as a Uint16Array', frame: with_({ data: new Uint16Array(f.data.length) }), patterns: [/data/, /Uint8Array/] },
    {
      name: 'data as a Uint8ClampedArray',
      frame: with_({ data: new Uint8ClampedArray(f.data.length) }),
      patterns: [/data/, /Uint8Array/],
    },
    { name: 'data as an ArrayBuffer', frame: with_({ data: f.data.buffer }), patterns: [/data/, /Uint8Array/] },
    { name: 'data as a string', frame: with_({ data: 'pixels' }), patterns: [/data/, /Uint8Array/] },
    { name: 'data null', frame: with_({ data: null }), patterns: [/data/] },
    { name: 'missing encoding', frame: without('encoding'), patterns: [/encoding/, /missing/] },
    { name: 'missing width', frame: without('width'), patterns: [/width/, /missing/] },
    { name: 'missing height', frame: without('height'), patterns: [/height/, /missing/] },
    { name: 'missing step', frame: without('step'), patterns: [/step/, /missing/] },
    { name: 'missing data', frame: without('data'), patterns: [/data/, /missing/] },
    { name: 'frame undefined', frame: undefined, patterns: [/image must be an object/] },
    { name: 'frame null', frame: null, patterns: [/image/] },
  ];
  return cases;
}

function optionCases(): BadCase[] {
  const f = goodFrame();
  const o = (patch: Record<string, unknown>) => ({ frame: f, options: { ...GOOD_OPTIONS, ...patch } });
  return [
    { name: 'networkWidth 0', ...o({ networkWidth: 0 }), patterns: [/networkWidth/, /1\.\.8192/] },
    { name: 'networkHeight 0', ...o({ networkHeight: 0 }), patterns: [/networkHeight/, /1\.\.8192/] },
    { name: 'networkWidth 8193', ...o({ networkWidth: 8193 }), patterns: [/networkWidth/, /1\.\.8192/] },
    { name: 'networkHeight -1', ...o({ networkHeight: -1 }), patterns: [/networkHeight/] },
    { name: 'networkWidth 16.5', ...o({ networkWidth: 16.5 }), patterns: [/networkWidth/, /integer/] },
    { name: 'networkWidth missing', ...o({ networkWidth: undefined }), patterns: [/networkWidth/, /missing/] },
    { name: 'overlayAlpha -0.1', ...o({ overlayAlpha: -0.1 }), patterns: [/overlay_?alpha/i, /0\.\.1/] },
    { name: 'overlayAlpha 1.5', ...o({ overlayAlpha: 1.5 }), patterns: [/overlay_?alpha/i, /0\.\.1/] },
    { name: 'overlayAlpha NaN', ...o({ overlayAlpha: NaN }), patterns: [/overlay_?alpha/i, /finite/] },
    { name: 'overlayAlpha Infinity', ...o({ overlayAlpha: Infinity }), patterns: [/overlay_?alpha/i] },
    { name: "overlayAlpha '0.5'", ...o({ overlayAlpha: '0.5' }), patterns: [/overlayAlpha/, /number/] },
    { name: 'palette of 4 bytes', ...o({ palette: Uint8Array.from([1, 2, 3, 4]) }), patterns: [/palette/, /rgb triplets/] },
    { name: 'empty palette', ...o({ palette: new Uint8Array(0) }), patterns: [/palette/, /1\.\.256/] },
    { name: 'palette of 257 colours', ...o({ palette: new Uint8Array(771) }), patterns: [/palette/, /1\.\.256/] },
    { name: 'palette as number[]', ...o({ palette: [255, 0, 0] }), patterns: [/palette/, /Uint8Array/] },
    { name: 'no palette with overlay', ...o({ palette: undefined }), patterns: [/palette/] },
    {
      name: 'no palette with colorized only',
      ...o({ palette: undefined, overlay: false, colorized: true }),
      patterns: [/palette/],
    },
    { name: "labelResolution 'foo'", ...o({ labelResolution: 'foo' }), patterns: [/labelResolution/, /'input' or 'network'/] },
    { name: 'labelResolution 1', ...o({ labelResolution: 1 }), patterns: [/labelResolution/] },
    { name: 'options undefined', frame: f, options: undefined, patterns: [/options must be an object/] },
    { name: 'options a string', frame: f, options: 'fast', patterns: [/options must be an object/] },
  ];
}

describe('frame validation', function () {
  this.timeout(30000);
  const isa = addon.kernelTables().find((t) => t.usable && t.name !== 'scalar')?.name ?? 'scalar';
  const engines: [string, NativeEngine][] = [
    ['lut model, 1 thread, scalar', new addon.NativeEngine(lutSpec(), { threads: 1, isa: 'scalar' })],
    [`conv model, 2 threads, ${isa}`, new addon.NativeEngine(convSpec(), { threads: 2, isa })],
  ];

  for (const [label, e] of engines) {
    describe(label, () => {
      it('accepts good frames of every encoding, odd sizes included', async () => {
        for (const enc of ['rgb8', 'bgr8', 'rgba8', 'bgra8', 'mono8', 'uyvy', 'yuv422', 'yuyv', 'yuv422_yuy2', 'nv21', 'nv24']) {
          const frame = goodFrame(enc, 7, 5);
          assert.equal(frame.step, minStep(enc, 7) + 2);
          const r = e.runSync(frame, GOOD_OPTIONS);
          assert.equal(r.label?.length, 35);
          assert.equal((await e.run(frame, GOOD_OPTIONS)).overlay?.length, 105);
        }
        // exactly min_step and exactly the minimum data size
        const tight = { encoding: 'uyvy', width: 5, height: 3, step: 12, data: new Uint8Array(36) };
        assert.equal(e.runSync(tight, GOOD_OPTIONS).label?.length, 15);
        const nv21 = { encoding: 'nv21', width: 5, height: 3, step: 6, data: new Uint8Array(6 * 3 + 6 * 2) };
        assert.equal(e.runSync(nv21, GOOD_OPTIONS).label?.length, 15);
      });

      describe('bad frames', () => {
        for (const c of frameCases())
          it(c.name, () => refused(e, c.frame, c.options ?? GOOD_OPTIONS, c.patterns));
      });

      describe('bad frame options', () => {
        for (const c of optionCases()) it(c.name, () => refused(e, c.frame, c.options, c.patterns));
      });

      it('runSync refuses while an asynchronous frame is in flight, then works', async () => {
        const big = randomFrame({ encoding: 'rgb8', width: 640, height: 480, seed: 3 });
        const opts = { ...GOOD_OPTIONS, networkWidth: 320, networkHeight: 240 };
        const pending = [e.run(big, opts), e.run(big, opts), e.run(big, opts)];
        let busy: Error | undefined;
        try {
          e.runSync(goodFrame(), GOOD_OPTIONS);
        } catch (err) {
          busy = err as Error;
        }
        await Promise.all(pending);
        // the first frame may already be done on a fast machine; if refused, the reason is given
        if (busy) assert.match(busy.message, /busy/);
        await stillWorks(e);
      });
    });
  }
});

// ---- Model descriptions ------------------------------------------------------------------------

type Mutate = (s: ModelSpec) => void;

function specCases(): { name: string; base: () => ModelSpec; mutate: Mutate; patterns: RegExp[] }[] {
  const conv1 = (s: ModelSpec) => s.ops[0].conv!;
  return [
    {
      name: 'missing tensors',
      base: lutSpec,
      mutate: (s) => delete (s as Partial<ModelSpec>).tensors,
      patterns: [/tensors/, /missing/],
    },
    { name: 'missing ops', base: lutSpec, mutate: (s) => delete (s as Partial<ModelSpec>).ops, patterns: [/ops/, /missing/] },
    { name: 'no tensors', base: lutSpec, mutate: (s) => (s.tensors = []), patterns: [/no tensors/] },
    { name: 'no ops', base: lutSpec, mutate: (s) => (s.ops = []), patterns: [/no ops/] },
    { name: 'missing norm', base: lutSpec, mutate: (s) => delete (s as Partial<ModelSpec>).norm, patterns: [/norm/, /missing/] },
    {
      name: 'op reads a tensor produced later',
      base: convSpec,
      mutate: (s) => (s.ops[0].inputs = [2]),
      patterns: [/'conv1'/, /reads tensor 'b' before it is produced/],
    },
    {
      name: 'op reads an unknown tensor index',
      base: lutSpec,
      mutate: (s) => (s.ops[0].inputs = [7]),
      patterns: [/'lut'/, /input tensor index out of range/],
    },
    {
      name: 'tensor produced twice',
      base: convSpec,
      mutate: (s) => (s.ops[1].output = 1),
      patterns: [/'dw'/, /'a' is produced twice/],
    },
    {
      name: 'conv weights one element short',
      base: convSpec,
      mutate: (s) => (conv1(s).weights = new Int8Array(6 * 3 * 9 - 1)),
      patterns: [/'conv1'/, /Conv/, /weights have 161 elements, expected 162/],
    },
    {
      name: 'conv weights not an Int8Array',
      base: convSpec,
      mutate: (s) => (conv1(s).weights = new Uint8Array(162) as unknown as Int8Array),
      patterns: [/weights/, /Int8Array/],
    },
    {
      name: 'groups not dividing the input channels',
      base: convSpec,
      mutate: (s) => (conv1(s).groups = 2),
      patterns: [/'conv1'/, /groups 2 must divide input \(3\)/],
    },
    {
      name: 'depthwise groups not dividing the output channels',
      base: convSpec,
      mutate: (s) => (s.ops[1].conv!.groups = 4),
      patterns: [/'dw'/, /groups 4/],
    },
    {
      name: 'zero point 300',
      base: lutSpec,
      mutate: (s) => (s.tensors[1].q.zeroPoint = 300),
      patterns: [/tensor 'out'/, /zero point/, /0\.\.255/],
    },
    { name: 'scale 0', base: lutSpec, mutate: (s) => (s.tensors[1].q.scale = 0), patterns: [/'out'/, /scale/, /within 1e-12\.\.1e\+12/] },
    { name: 'scale -1', base: lutSpec, mutate: (s) => (s.tensors[0].q.scale = -1), patterns: [/'input'/, /scale/] },
    { name: 'scale NaN', base: lutSpec, mutate: (s) => (s.tensors[1].q.scale = NaN), patterns: [/tensors\[1\]\.q\.scale/, /finite/] },
    {
      name: 'conv kernel 9',
      base: convSpec,
      mutate: (s) => (conv1(s).kernel = [9, 9]),
      patterns: [/'conv1'/, /kernel must be 1\.\.7/],
    },
    {
      name: 'conv stride 9',
      base: convSpec,
      mutate: (s) => (conv1(s).stride = [1, 9]),
      patterns: [/'conv1'/, /stride must be 1\.\.8/],
    },
    {
      name: 'conv weight scale 0',
      base: convSpec,
      mutate: (s) => conv1(s).weightScales.fill(0),
      patterns: [/'conv1'/, /weight scales/],
    },
    {
      name: 'conv bias of the wrong length',
      base: convSpec,
      mutate: (s) => (conv1(s).bias = new Int32Array(5)),
      patterns: [/'conv1'/, /bias/],
    },
    {
      name: 'conv kernel tuple of one number',
      base: convSpec,
      mutate: (s) => (conv1(s).kernel = [3] as unknown as [number, number]),
      patterns: [/ops\[0\]\.conv\.kernel/, /array of 2 integers/],
    },
    { name: 'conv without its conv field', base: convSpec, mutate: (s) => delete s.ops[0].conv, patterns: [/ops\[0\]\.conv/, /missing/] },
    {
      name: 'Lut table of 100 entries',
      base: lutSpec,
      mutate: (s) => (s.ops[0].lut = new Uint8Array(100)),
      patterns: [/'lut'/, /Lut/, /256 or 256 \* channels/],
    },
    {
      name: 'Lut table of 512 entries for 3 channels',
      base: lutSpec,
      mutate: (s) => (s.ops[0].lut = new Uint8Array(512)),
      patterns: [/'lut'/, /256 or 256 \* channels/],
    },
    { name: 'Lut without a table', base: lutSpec, mutate: (s) => delete s.ops[0].lut, patterns: [/ops\[0\]\.lut/, /missing/] },
    {
      name: 'Concat channels not adding up',
      base: convSpec,
      mutate: (s) => (s.tensors[3].channels = 11),
      patterns: [/'cat'/, /Concat/, /sum to 12, output has 11/],
    },
    {
      name: 'output never produced',
      base: convSpec,
      mutate: (s) => {
        s.tensors.push({ name: 'orphan', channels: 4, q: { scale: 0.1, zeroPoint: 0 } });
        s.output = 5;
      },
      patterns: [/output/, /never produced/],
    },
    { name: 'output index out of range', base: lutSpec, mutate: (s) => (s.output = 9), patterns: [/output tensor index out of range/] },
    {
      name: 'input with 4 channels',
      base: lutSpec,
      mutate: (s) => (s.tensors[0].channels = 4),
      patterns: [/'input'/, /3 channels/],
    },
    {
      name: 'more than 256 classes',
      base: lutSpec,
      mutate: (s) => {
        s.tensors.push({ name: 'wide', channels: 300, q: { scale: 1, zeroPoint: 0 } });
        s.ops.push({ kind: 'Concat', name: 'wide', inputs: Array(100).fill(1), output: 2 });
        s.output = 2;
      },
      patterns: [/300 classes/, /256/],
    },
    { name: 'unknown op kind', base: lutSpec, mutate: (s) => ((s.ops[0] as { kind: string }).kind = 'Softmax'), patterns: [/'Softmax'/, /not an op/] },
    { name: 'norm std 0', base: lutSpec, mutate: (s) => (s.norm.std = [1, 0, 1]), patterns: [/std/] },
    {
      name: 'norm mean of 2 numbers',
      base: lutSpec,
      mutate: (s) => (s.norm.mean = [0, 0] as unknown as [number, number, number]),
      patterns: [/norm\.mean/, /3 numbers/],
    },
  ];
}

describe('model description validation', () => {
  for (const c of specCases()) {
    it(c.name, () => {
      const spec = c.base();
      c.mutate(spec);
      assert.throws(
        () => new addon.NativeEngine(spec, { threads: 1 }),
        (err: unknown) => {
          assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
          for (const re of c.patterns) assert.match(err.message, re);
          return true;
        },
      );
    });
  }

  it('the unmodified descriptions are valid', () => {
    for (const base of [lutSpec, convSpec]) {
      const e = new addon.NativeEngine(base(), { threads: 1 });
      assert.equal(e.runSync(goodFrame('nv21', 9, 7), GOOD_OPTIONS).label?.length, 63);
    }
  });

  it('spec not an object, bad engine options', () => {
    assert.throws(() => new addon.NativeEngine(undefined as unknown as ModelSpec), /spec must be an object/);
    assert.throws(() => new addon.NativeEngine(lutSpec(), { threads: 300 }), /threads/);
    assert.throws(() => new addon.NativeEngine(lutSpec(), { threads: -1 }), /threads/);
    assert.throws(() => new addon.NativeEngine(lutSpec(), { isa: 'sse9' }), /sse9/);
    assert.throws(() => new addon.NativeEngine(lutSpec(), 'fast' as unknown as { threads: number }), /options must be an object/);
  });
});
