// Small QDQ test networks shared by the importer, hostile-input and strip tests.
import { OnnxBuilder } from './onnx-builder';

export const IN_Q = { scale: 1 / 64, zp: 128 };

/** Deterministic pseudo-random values in [-1, 1). */
export function prand(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** Begins a model: float input -> Q -> DQ. Returns the DQ output. */
export function start(b: OnnxBuilder): { q: string; dq: string } {
  const x = b.input('input', [1, 3, 'H', 'W']);
  const [q, dq] = b.qdq(x, IN_Q.scale, IN_Q.zp, 'input_q');
  return { q, dq };
}

/** Ends a model: Q -> DQ -> output. */
export function finish(b: OnnxBuilder, x: string, scale: number, zp: number, name = 'out_q'): string {
  const q = b.q(x, scale, zp, name);
  b.node('DequantizeLinear', [q, b.float(b.fresh('s'), [], [scale]), b.uint8(b.fresh('zp'), [], [zp])], ['output'], {}, 'out_dq');
  b.output('output', [1, 'C', 'H', 'W']);
  return q;
}

/**
 * A conv-relu chain: int8 weights with int32 bias (conv1, 3x3, pad 1, ReLU), float weights through
 * Q/DQ with a float bias (conv2, 1x1).
 */
export function convReluModel(): OnnxBuilder {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  const w1s = [0.02, 0.01, 0.03, 0.015];
  const w1 = b.weightInt8([4, 3, 3, 3], prand(108, 1).map((v) => Math.round(v * 127)), w1s);
  const bias1 = b.biasInt32([100, -200, 300, 0], w1s.map((s) => Math.fround(IN_Q.scale * s)));
  const c1 = b.op('Conv', [dq, w1, bias1], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, 'conv1');
  const r1 = b.op('Relu', [c1], {}, 'relu1');
  const [, d1] = b.qdq(r1, 0.05, 0, 'conv1_q');
  // w/s are exact in float32: ties (2.5, -1.5, 0.5, 3.5...) exercise round-half-even, +-160 saturate.
  const w2 = b.weightFloat([2, 4, 1, 1], [0.5, 0.3125, -0.1875, 0.0625, -0.375, 0.4375, 0.125, -40], [0.125, 0.25]);
  const bias2 = b.float('bias2', [2], [0.1, -0.2]);
  const c2 = b.op('Conv', [d1, w2, bias2], {}, 'conv2');
  finish(b, c2, 0.1, 128);
  return b;
}

/** An encoder-decoder with a Shape-driven Resize, Add skip, Concat, pools and channel attention. */
export function unetModel(): OnnxBuilder {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, name: string, seed: number, relu = true): string => {
    const s = Array.from({ length: cout }, (_, i) => 0.01 + 0.002 * i);
    const w = b.weightInt8([cout, cin, k, k], prand(cout * cin * k * k, seed).map((v) => Math.round(v * 100)), s);
    const p = (k - 1) >> 1;
    const c = b.op('Conv', [x, w], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] }, name);
    return relu ? b.op('Relu', [c], {}, `${name}_relu`) : c;
  };
  const [, s1] = b.qdq(conv(dq, 3, 8, 3, 1, 'enc1', 11), 0.04, 0, 'enc1_q');
  const [, p1] = b.qdq(b.op('MaxPool', [s1], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool1'), 0.04, 0, 'pool1_q');
  const [, e2] = b.qdq(conv(p1, 8, 8, 3, 1, 'enc2', 12), 0.05, 0, 'enc2_q');
  // channel attention: GAP -> 1x1 conv -> sigmoid -> Mul (attention first: must be swapped)
  const [, g] = b.qdq(b.op('GlobalAveragePool', [e2], {}, 'gap'), 0.03, 0, 'gap_q');
  const [, a] = b.qdq(conv(g, 8, 8, 1, 1, 'att_fc', 13, false), 0.05, 128, 'att_fc_q');
  const [, sg] = b.qdq(b.op('Sigmoid', [a], {}, 'att_sig'), 1 / 256, 0, 'att_sig_q');
  const [, m] = b.qdq(b.op('Mul', [sg, e2], {}, 'att_mul'), 0.05, 0, 'att_mul_q');
  // decoder: upsample to the skip's size via Shape(skip)[2:] and add
  const shapeX = b.op('Shape', [m], {}, 'shape_x');
  const nc = b.op('Slice', [shapeX, b.int64('st0', [1], [0]), b.int64('en2', [1], [2])], {}, 'slice_nc');
  const shapeS = b.op('Shape', [s1], {}, 'shape_skip');
  const hw = b.op('Slice', [shapeS, b.int64('st2', [1], [2]), b.int64('enmax', [1], [Number.MAX_SAFE_INTEGER])], {}, 'slice_hw');
  const sizes = b.op('Concat', [nc, hw], { axis: 0 }, 'sizes_concat');
  const roi = b.float('roi', [0], []);
  const scl = b.float('scales_empty', [0], []);
  const up = b.op('Resize', [m, roi, scl, sizes], { mode: 'linear', coordinate_transformation_mode: 'half_pixel' }, 'up');
  const [, u] = b.qdq(up, 0.05, 0, 'up_q');
  const add = b.op('Add', [u, s1], {}, 'skip_add');
  const [, ad] = b.qdq(b.op('Relu', [add], {}, 'skip_relu'), 0.06, 0, 'skip_add_q');
  const [, cat] = b.qdq(b.op('Concat', [ad, s1], { axis: 1 }, 'cat'), 0.06, 0, 'cat_q');
  const [, ap] = b.qdq(b.op('AveragePool', [cat], { kernel_shape: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], count_include_pad: 1 }, 'avg'), 0.06, 0, 'avg_q');
  finish(b, conv(ap, 16, 5, 1, 1, 'head', 14, false), 0.1, 128);
  return b;
}
