// Conv: DQ(x), DQ(int8 weights) or DQ(Q(float weights)), optional bias -> Conv -> (act) -> Q.
import { attrInt, attrInts, attrString } from './attrs';
import type { Emitted, FuseContext } from './context';
import { nodeError } from './errors';
import type { Node } from './graph';
import { modelLimits } from '../spec';
import { roundHalfEven, weightParams } from './quant';

const f32 = Math.fround;

export interface Geometry {
  kernel: [number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
}

/** The contract's window limits of Conv and of the pools (which have no dilation). */
export interface WindowLimits {
  kernel: number;
  stride: number;
  dilation: number;
  pad: number;
}

export function convWindowLimits(): WindowLimits {
  const l = modelLimits();
  return { kernel: l.maxConvKernel, stride: l.maxConvStride, dilation: l.maxConvDilation, pad: l.maxPad };
}

export function poolWindowLimits(): WindowLimits {
  const l = modelLimits();
  return { kernel: l.maxPoolKernel, stride: l.maxPoolStride, dilation: 1, pad: l.maxPad };
}

/** Common 2-D window attributes for Conv and pools; SAME_* padding is rejected. */
export function windowGeometry(node: Node, kernel: [number, number] | undefined, limits: WindowLimits): Geometry {
  const k = attrInts(node, 'kernel_shape');
  if (k && k.length !== 2) throw nodeError(node, `kernel_shape [${k.join(', ')}] is not 2-D`);
  if (kernel && k && (k[0] !== kernel[0] || k[1] !== kernel[1])) {
    throw nodeError(node, `kernel_shape [${k.join(', ')}] disagrees with the weights [${kernel.join(', ')}]`);
  }
  const ks = (kernel ?? k) as [number, number] | undefined;
  if (!ks) throw nodeError(node, 'kernel_shape is required');
  const strides = attrInts(node, 'strides') ?? [1, 1];
  const dil = attrInts(node, 'dilations') ?? [1, 1];
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  let pads = attrInts(node, 'pads') ?? [0, 0, 0, 0];
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    throw nodeError(node, `auto_pad ${autoPad} is not supported (pads depend on the input size); export with explicit pads`);
  } else if (autoPad !== 'NOTSET') throw nodeError(node, `unknown auto_pad '${autoPad}'`);
  if (strides.length !== 2 || dil.length !== 2 || pads.length !== 4) {
    throw nodeError(node, 'strides, dilations and pads must describe a 2-D window');
  }
  for (const v of ks) if (v < 1 || v > limits.kernel) throw nodeError(node, `kernel ${ks.join('x')} is outside 1..${limits.kernel}`);
  for (const v of strides) if (v < 1 || v > limits.stride) throw nodeError(node, `stride ${strides.join('x')} is outside 1..${limits.stride}`);
  for (const v of dil) if (v < 1 || v > limits.dilation) throw nodeError(node, `dilation ${dil.join('x')} is outside 1..${limits.dilation}`);
  for (const v of pads) if (v < 0 || v > limits.pad) throw nodeError(node, `pads [${pads.join(', ')}] are outside 0..${limits.pad}`);
  return {
    kernel: [ks[0], ks[1]],
    stride: [strides[0], strides[1]],
    pads: [pads[0], pads[1], pads[2], pads[3]],
    dilation: [dil[0], dil[1]],
  };
}

interface Weights {
  data: Int8Array;
  dims: number[];
  scales: Float32Array;
}

function convWeights(ctx: FuseContext, name: string, conv: Node): Weights {
  const n = ctx.passThrough(name);
  const dq = ctx.producerOf(n);
  if (!dq || dq.opType !== 'DequantizeLinear') {
    const c = ctx.g.getConst(n);
    if (c) throw nodeError(conv, `weight '${n}' is a ${c.dtype} constant not wrapped in DequantizeLinear (float conv)`);
    throw nodeError(conv, `weight '${n}' is not a DequantizeLinear of a constant`);
  }
  const src = ctx.passThrough(dq.input?.[0] ?? '');
  let data: Int8Array;
  let dims: number[];
  const direct = ctx.g.getConst(src);
  if (direct) {
    if (direct.dtype !== 'int8') throw nodeError(dq, `weight '${src}' has type ${direct.dtype}; int8 is required`);
    data = direct.data as Int8Array;
    dims = direct.dims;
    ctx.markConst(src);
  } else {
    // DQ(Q(float weight)): quantize here, exactly as QuantizeLinear would.
    const q = ctx.producerOf(src);
    const fsrc = q?.opType === 'QuantizeLinear' ? ctx.passThrough(q.input?.[0] ?? '') : '';
    const fw = fsrc ? ctx.g.getConst(fsrc) : undefined;
    if (!q || !fw) throw nodeError(conv, `weight '${n}' does not come from a constant`);
    if (fw.dtype !== 'float') throw nodeError(q, `weight '${fsrc}' has type ${fw.dtype}; float is required`);
    dims = fw.dims;
    const wq = weightParams(ctx.g, q, dims, `weight '${fsrc}'`, 'int8');
    if (!q.input?.[2]) throw nodeError(q, `weight '${fsrc}' quantizes to uint8 (no int8 zero point); int8 is required`);
    data = new Int8Array(fw.data.length);
    const per = wq.scales.length === 1 ? fw.data.length : fw.data.length / dims[0];
    for (let i = 0; i < data.length; i++) {
      const s = wq.scales.length === 1 ? wq.scales[0] : wq.scales[Math.floor(i / per)];
      const v = roundHalfEven(f32(f32(Number(fw.data[i])) / s));
      data[i] = v < -128 ? -128 : v > 127 ? 127 : v;
    }
    const dqw = weightParams(ctx.g, dq, dims, `weight '${n}'`, 'int8');
    if (dqw.scales.length !== wq.scales.length || dqw.scales.some((s, i) => s !== wq.scales[i])) {
      throw nodeError(dq, `weight '${n}' is dequantized with scales different from its QuantizeLinear`);
    }
    ctx.covered.add(q);
    ctx.markConst(fsrc);
  }
  if (dims.length !== 4) throw nodeError(conv, `weight '${src}' has rank ${dims.length}; only 2-D convolution (rank 4) is supported`);
  const wq = weightParams(ctx.g, dq, dims, `weight '${src}'`, 'int8');
  ctx.covered.add(dq);
  return { data: Int8Array.from(data), dims, scales: wq.scales };
}

function convBias(ctx: FuseContext, name: string, conv: Node, sIn: number, w: Weights): Int32Array {
  const outC = w.dims[0];
  const n = ctx.passThrough(name);
  const accScale = (o: number): number => f32(sIn * (w.scales.length === 1 ? w.scales[0] : w.scales[o]));
  const quantize = (vals: ArrayLike<number>, bad: Node): Int32Array => {
    if (vals.length !== outC) throw nodeError(bad, `bias '${n}' has ${vals.length} values for ${outC} output channels`);
    const out = new Int32Array(outC);
    for (let o = 0; o < outC; o++) {
      const v = roundHalfEven(Number(vals[o]) / accScale(o));
      if (!Number.isFinite(v)) throw nodeError(bad, `bias '${n}' is not finite`);
      out[o] = Math.max(-2147483648, Math.min(2147483647, v));
    }
    return out;
  };
  const direct = ctx.g.getConst(n);
  if (direct) {
    if (direct.dtype !== 'float') throw nodeError(conv, `bias '${n}' has type ${direct.dtype}; float or DequantizeLinear(int32) is required`);
    ctx.markConst(n);
    return quantize(direct.data as Float32Array, conv);
  }
  const dq = ctx.producerOf(n);
  if (dq?.opType !== 'DequantizeLinear') throw nodeError(conv, `bias '${n}' is neither a constant nor a DequantizeLinear of one`);
  const src = ctx.passThrough(dq.input?.[0] ?? '');
  const b = ctx.g.getConst(src);
  if (!b) throw nodeError(dq, `bias '${src}' is not a constant`);
  if (b.dtype !== 'int32') throw nodeError(dq, `bias '${src}' has type ${b.dtype}; int32 is required`);
  if (b.dims.length !== 1) throw nodeError(dq, `bias '${src}' must be 1-D`);
  const bq = weightParams(ctx.g, dq, b.dims, `bias '${src}'`, 'int32');
  ctx.covered.add(dq);
  ctx.markConst(src);
  const bs = (o: number): number => (bq.scales.length === 1 ? bq.scales[0] : bq.scales[o]);
  if (b.data.length === outC && Array.from({ length: outC }, (_, o) => o).every((o) => Math.abs(bs(o) - accScale(o)) <= 1e-6 * accScale(o))) {
    return Int32Array.from(b.data as Int32Array);
  }
  return quantize(Array.from(b.data as Int32Array, (v, o) => v * bs(o)), dq);
}

export function fuseConv(ctx: FuseContext, node: Node): Emitted {
  const inputs = node.input ?? [];
  if (inputs.length < 2) throw nodeError(node, 'Conv needs an input and weights');
  const padded = ctx.actWithPad(inputs[0], node);
  const x = padded.x;
  const w = convWeights(ctx, inputs[1], node);
  const [outC, inPerGroup, kh, kw] = w.dims;
  const groups = attrInt(node, 'group', 1);
  const inC = ctx.tensors[x].channels;
  if (groups < 1 || outC % groups !== 0 || inPerGroup * groups !== inC) {
    throw nodeError(node, `weights [${w.dims.join(', ')}] with group ${groups} do not fit an input of ${inC} channels`);
  }
  const { maxChannels, maxPad } = modelLimits();
  if (outC < 1 || outC > maxChannels) throw nodeError(node, `${outC} output channels is outside 1..${maxChannels}`);
  const geo = windowGeometry(node, [kh, kw], convWindowLimits());
  // A zero Pad in front folds into the conv padding (the engine pads with the input zero point).
  geo.pads = geo.pads.map((p, i) => p + padded.pads[i]) as typeof geo.pads;
  if (geo.pads.some((p) => p > maxPad)) throw nodeError(node, `pads [${geo.pads.join(', ')}] exceed ${maxPad}`);
  const bias = inputs[2] ? convBias(ctx, inputs[2], node, ctx.tensors[x].q.scale, w) : new Int32Array(0);
  const keepsGlobal = ctx.spatial[x] === 'global' && kh === 1 && kw === 1 && geo.pads.every((p) => p === 0);
  return {
    op: {
      kind: 'Conv',
      inputs: [x],
      conv: { ...geo, groups, weights: w.data, bias, weightScales: w.scales },
    },
    channels: outC,
    spatial: keepsGlobal ? 'global' : 'full',
  };
}
