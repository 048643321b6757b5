import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { onnx } from 'onnx-proto';
import { importOnnx, ModelImportError } from '../../../src/engine/onnx';
import { decodeModel, DT, encodeModel, OnnxBuilder } from '../../helpers/onnx-builder';
import { convReluModel, finish, prand, start, unetModel } from '../../helpers/onnx-models';

/** Expects a ModelImportError whose message matches every pattern. */
function rejects(bytes: Uint8Array, ...patterns: RegExp[]): string {
  let err: unknown;
  try {
    importOnnx(bytes);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ModelImportError, `expected ModelImportError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  for (const p of patterns) assert.match(err.message, p);
  return err.message;
}

/** Edits the decoded convReluModel and re-encodes it. */
function mutate(edit: (m: onnx.ModelProto) => void, base = convReluModel()): Uint8Array {
  const m = decodeModel(base.build());
  edit(m);
  return encodeModel(m);
}

function G(m: onnx.ModelProto): onnx.GraphProto {
  return m.graph as onnx.GraphProto;
}

function node(m: onnx.ModelProto, name: string): onnx.NodeProto {
  const n = (G(m).node as onnx.NodeProto[]).find((x) => x.name === name);
  assert.ok(n, name);
  return n;
}

function init(m: onnx.ModelProto, name: string): onnx.ITensorProto {
  const t = G(m).initializer.find((x) => x.name === name);
  assert.ok(t, name);
  return t;
}

/** The int8 weight tensor feeding conv1. */
function conv1Weight(m: onnx.ModelProto): onnx.ITensorProto {
  const dq = (G(m).node as onnx.NodeProto[]).find((n) => n.output[0] === node(m, 'conv1').input[1])!;
  return init(m, dq.input[0]);
}

/** A one-conv model with a tweakable conv node. */
function oneConv(attrs: Record<string, number | number[] | string>, cout = 4, k = 3, opts: { group?: number } = {}): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  const g = opts.group ?? 1;
  const w = b.weightInt8([cout, 3 / g, k, k], prand((cout * 3 * k * k) / g, 2).map((v) => Math.round(v * 50)), [0.01]);
  finish(b, b.op('Conv', [dq, w], attrs, 'the_conv'), 0.1, 128);
  return b.build();
}

describe('importOnnx: hostile bytes', () => {
  it('empty, garbage and non-model bytes', () => {
    rejects(new Uint8Array(0), /empty/);
    rejects(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /model/);
    rejects(new TextEncoder().encode('this is not an onnx file at all'), /model/);
    rejects(new Uint8Array(100), /model/);
    rejects('bytes' as unknown as Uint8Array, /Uint8Array/);
  });

  it('random truncation and byte corruption: ModelImportError or success, quickly', function () {
    this.timeout(120000);
    const valid = unetModel().build();
    const check = (bytes: Uint8Array): void => {
      const t0 = Date.now();
      try {
        importOnnx(bytes);
      } catch (e) {
        if (!(e instanceof ModelImportError)) throw new Error(`non-import error: ${e instanceof Error ? e.stack : String(e)}`);
      }
      assert.ok(Date.now() - t0 < 2000, 'import took too long');
    };
    fc.assert(fc.property(fc.integer({ min: 0, max: valid.length - 1 }), (cut) => check(valid.subarray(0, cut))), { numRuns: 150 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const b = Uint8Array.from(valid);
        for (const [i, v] of edits) b[i] = v;
        check(b);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (b) => check(b)), { numRuns: 200 });
  });
});

describe('importOnnx: hostile model structure', () => {
  it('opset < 13 and missing opset', () => {
    rejects(mutate((m) => (m.opsetImport = [{ domain: '', version: 12 }])), /opset 12/);
    rejects(mutate((m) => (m.opsetImport = [])), /opset/);
  });

  it('non-default domains', () => {
    rejects(mutate((m) => (node(m, 'conv1').domain = 'com.microsoft')), /conv1/, /com\.microsoft/);
  });

  it('no graph, empty graph', () => {
    rejects(mutate((m) => (m.graph = null)), /no graph/);
    rejects(mutate((m) => (G(m).node = [])), /no nodes/);
  });

  it('two inputs, two outputs, no output', () => {
    rejects(mutate((m) => G(m).input.push(OnnxBuilder.valueInfo('extra', [1]))), /one graph input/);
    rejects(mutate((m) => G(m).output.push(OnnxBuilder.valueInfo('conv1_q_out0', [1]))), /one graph output/);
    rejects(mutate((m) => (G(m).output = [])), /one graph output/);
  });

  it('absurd and negative dims', () => {
    rejects(mutate((m) => (conv1Weight(m).dims = [1e6, 1e6, 3, 3])), /too many elements/);
    rejects(mutate((m) => (conv1Weight(m).dims = [4, -3, 3, 3])), /invalid dimension -3/);
    rejects(mutate((m) => (conv1Weight(m).dims = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1])), /rank/);
  });

  it('initializer data length mismatches', () => {
    rejects(mutate((m) => (conv1Weight(m).dims = [4, 3, 3, 2])), /raw_data has 108 bytes/);
    rejects(
      mutate((m) => {
        const t = init(m, 'bias2');
        t.rawData = new Uint8Array(0);
        t.floatData = [1, 2, 3];
      }),
      /bias2/,
      /float_data has 3 values/,
    );
  });

  it('external data', () => {
    rejects(mutate((m) => (conv1Weight(m).dataLocation = 1)), /external data/);
  });

  it('missing initializer or input', () => {
    rejects(mutate((m) => (G(m).initializer = G(m).initializer.filter((t) => t.name !== 'bias2'))), /conv2/, /'bias2' is not produced/);
    rejects(mutate((m) => (node(m, 'relu1').input = ['nowhere'])), /relu1/, /nowhere/);
  });

  it('float16 and uint8 weights', () => {
    rejects(mutate((m) => (conv1Weight(m).dataType = DT.FLOAT16)), /FLOAT16/);
    rejects(mutate((m) => (conv1Weight(m).dataType = DT.UINT8)), /uint8/, /int8 is required/);
  });

  it('cycles and duplicate output names', () => {
    rejects(mutate((m) => (node(m, 'relu1').input = [node(m, 'conv2').output[0]])), /cycle/);
    rejects(mutate((m) => (node(m, 'relu1').output = [node(m, 'conv1').output[0]])), /relu1|conv1/, /also produced/);
  });

  it('too many nodes', function () {
    this.timeout(60000);
    rejects(
      mutate((m) => {
        for (let i = 0; i < 100001; i++) G(m).node.push({ name: `id${i}`, opType: 'Identity', input: ['bias2'], output: [`o${i}`] });
      }),
      /nodes exceed the limit of 100000/,
    );
  });
});

describe('importOnnx: unsupported ops and patterns', () => {
  it('unknown op and a float conv not wrapped in DQ/Q', () => {
    const b = new OnnxBuilder();
    const { dq } = start(b);
    const sm = b.op('Softmax', [dq], { axis: 1 }, 'the_softmax');
    finish(b, sm, 0.1, 0);
    rejects(b.build(), /the_softmax/, /Softmax/, /not supported/);

    const f = new OnnxBuilder();
    const x = f.input('input');
    const w = f.float('wf', [4, 3, 1, 1], prand(12, 1));
    const c = f.op('Conv', [x, w], {}, 'float_conv');
    finish(f, c, 0.1, 0);
    rejects(f.build(), /float_conv/, /Conv/, /quantized first|DequantizeLinear/);

    const g = new OnnxBuilder();
    const { dq: d2 } = start(g);
    const w2 = g.weightInt8([4, 3, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [0.1]);
    const c2 = g.op('Conv', [d2, w2], {}, 'conv_a');
    const c3 = g.op('Conv', [c2, g.float('wf2', [4, 4, 1, 1], prand(16, 3))], {}, 'float_tail');
    finish(g, c3, 0.1, 0);
    rejects(g.build(), /float_tail|conv_a/);
  });

  it('channel mismatch in Add names the node', () => {
    const b = new OnnxBuilder();
    const { dq } = start(b);
    const mk = (c: number, n: string): string => {
      const w = b.weightInt8([c, 3, 1, 1], prand(c * 3, c).map((v) => Math.round(v * 50)), [0.01]);
      return b.qdq(b.op('Conv', [dq, w], {}, n), 0.1, 0)[1];
    };
    finish(b, b.op('Add', [mk(16, 'c16'), mk(24, 'c24')], {}, 'bad_add'), 0.1, 0);
    rejects(b.build(), /bad_add/, /16/, /24/);
  });

  it('non-zero weight zero point, per-channel on the wrong axis, int8 activations', () => {
    rejects(
      mutate((m) => {
        const dq = (G(m).node as onnx.NodeProto[]).find((n) => n.output[0] === node(m, 'conv1').input[1])!;
        init(m, dq.input[2]).rawData = new Uint8Array(Int8Array.from([0, 1, 0, 0]).buffer);
      }),
      /zero point must be 0/,
    );
    rejects(
      mutate((m) => {
        const dq = (G(m).node as onnx.NodeProto[]).find((n) => n.output[0] === node(m, 'conv1').input[1])!;
        dq.attribute = [{ name: 'axis', type: 2, i: 1 }];
      }),
      /axis 0/,
    );
    rejects(
      mutate((m) => {
        const q = node(m, 'conv1_q');
        const zp = init(m, q.input[2]);
        zp.dataType = DT.INT8;
      }),
      /int8 activations/,
    );
  });

  it('conv limits: SAME padding, kernel, stride, groups', () => {
    rejects(oneConv({ auto_pad: 'SAME_UPPER' }), /the_conv/, /SAME_UPPER/);
    rejects(oneConv({}, 4, 9), /the_conv/, /kernel 9x9/);
    rejects(oneConv({ strides: [16, 16] }), /the_conv/, /stride 16x16/);
    rejects(oneConv({ group: 2 }, 4, 3, { group: 1 }), /the_conv/, /group 2/);
    rejects(oneConv({ pads: [-1, 0, 0, 0] }), /the_conv/, /pads/);
  });

  it('pool restrictions', () => {
    const pool = (attrs: Record<string, number | number[]>, outputs = 1, useIdx = false): Uint8Array => {
      const b = new OnnxBuilder();
      const { dq } = start(b);
      const outs = b.node('MaxPool', [dq], outputs, { kernel_shape: [2, 2], ...attrs }, 'mp');
      finish(b, outs[0], 0.1, 0);
      if (useIdx) {
        b.outputs.push(OnnxBuilder.valueInfo(outs[1], undefined, DT.INT64));
      }
      return b.build();
    };
    rejects(pool({ dilations: [2, 2] }), /mp/, /dilations/);
    rejects(pool({ storage_order: 1 }), /mp/, /storage_order/);
    rejects(pool({}, 2, true), /one graph output/);
  });

  it('resize restrictions', () => {
    const rs = (attrs: Record<string, number | string>, sizes?: (b: OnnxBuilder, x: string) => string): Uint8Array => {
      const b = new OnnxBuilder();
      const { dq } = start(b);
      const s = sizes ? sizes(b, dq) : '';
      const scales = sizes ? '' : b.float('sc', [4], [1, 1, 2, 2]);
      finish(b, b.op('Resize', [dq, '', scales, ...(s ? [s] : [])], attrs, 'rs'), 0.1, 0);
      return b.build();
    };
    rejects(rs({ mode: 'cubic' }), /rs/, /cubic/);
    rejects(rs({ exclude_outside: 1 }), /rs/, /exclude_outside/);
    rejects(rs({ coordinate_transformation_mode: 'tf_crop_and_resize' }), /rs/, /tf_crop_and_resize/);
    rejects(
      rs({}, (b, x) => b.op('Mul', [b.op('Shape', [x]), b.int64('two', [1], [2])], {}, 'shape_mul')),
      /shape_mul/,
      /cannot evaluate Mul/,
    );
    rejects(
      rs({}, (b) => b.int64('sz', [4], [1, 5, 10, 10])),
      /rs/,
      /channels/,
    );
  });

  it('concat on a spatial axis', () => {
    const b = new OnnxBuilder();
    const { dq } = start(b);
    finish(b, b.op('Concat', [dq, dq], { axis: 2 }, 'cat2'), 0.1, 0);
    rejects(b.build(), /cat2/, /axis 2/);
  });

  it('graph output not quantized', () => {
    const b = new OnnxBuilder();
    const { dq } = start(b);
    const w = b.weightInt8([2, 3, 1, 1], [1, 2, 3, 4, 5, 6], [0.1]);
    b.node('Conv', [dq, w], ['output'], {}, 'last');
    b.output('output');
    rejects(b.build(), /output|last/);
  });
});

describe('importOnnx: malformed metadata', () => {
  const withMeta = (k: string, v: string): Uint8Array => {
    const b = convReluModel();
    b.meta[k] = v;
    return b.build();
  };
  it('names the key', () => {
    rejects(withMeta('class_names', '[road'), /class_names/, /JSON/);
    rejects(withMeta('class_names', '[1, 2]'), /class_names/);
    rejects(withMeta('class_names', '["a", "b", "c"]'), /class_names/, /3 names/);
    rejects(withMeta('palette', '[[1, 2], [3, 4]]'), /palette/);
    rejects(withMeta('palette', '[[1, 2, 300], [3, 4, 5]]'), /palette/);
    rejects(withMeta('mean', '[0.5, 0.5]'), /mean/);
    rejects(withMeta('std', '[0.5, 0, 0.5]'), /std/);
    rejects(withMeta('input_width', 'abc'), /input_width/);
    rejects(withMeta('input_height', '0'), /input_height/);
    rejects(withMeta('void_index', 'x'), /void_index/);
  });
});
