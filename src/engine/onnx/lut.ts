// Pointwise ops as 256-entry tables (per tensor or per channel): Sigmoid and friends, standalone
// Relu/Clip, requantization, and activation clamps fused into other ops.
import type { QuantParams } from '../spec';
import { attrFloat, hasAttr } from './attrs';
import type { ActInfo, Emitted, FuseContext } from './context';
import { nodeError } from './errors';
import type { Node } from './graph';
import { dequantizeU8, quantizeU8 } from './quant';

const f32 = Math.fround;
export type Fn = (x: number) => number;

export const LUT_OPS = new Set(['Sigmoid', 'Tanh', 'HardSigmoid', 'HardSwish', 'LeakyRelu']);
export const ACT_OPS = new Set(['Relu', 'Clip']);

/** Float bounds of a Relu or Clip node (Clip min/max from constant inputs or attributes). */
export function actInfo(ctx: FuseContext, node: Node): ActInfo {
  if (node.opType === 'Relu') return { node, lo: 0, hi: Infinity };
  let lo = -Infinity;
  let hi = Infinity;
  if (hasAttr(node, 'min')) lo = attrFloat(node, 'min', lo);
  if (hasAttr(node, 'max')) hi = attrFloat(node, 'max', hi);
  const bound = (i: number): number | undefined => {
    const name = node.input?.[i];
    if (!name) return undefined;
    const c = ctx.constOperand(name, node);
    if (!c || c.data.length !== 1) throw nodeError(node, `Clip ${i === 1 ? 'min' : 'max'} must be a scalar constant`);
    return Number(c.data[0]);
  };
  lo = bound(1) ?? lo;
  hi = bound(2) ?? hi;
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw nodeError(node, `invalid Clip range [${lo}, ${hi}]`);
  return { node, lo, hi };
}

export function actFn(act: ActInfo | undefined): Fn {
  if (!act) return (x) => x;
  const { lo, hi } = act;
  return (x) => (x < lo ? lo : x > hi ? hi : x);
}

/** Fused activation as a clamp in the output's quantized domain. */
export function clampRange(act: ActInfo, out: QuantParams): [number, number] {
  const lo = act.lo === -Infinity ? 0 : quantizeU8(act.lo, out);
  const hi = act.hi === Infinity ? 255 : quantizeU8(act.hi, out);
  return [lo, hi];
}

/** One table per function (per channel when several): entry q = Q(f(DQ(q))). */
export function buildLut(inQ: QuantParams, outQ: QuantParams, fns: Fn[]): Uint8Array {
  const table = new Uint8Array(256 * fns.length);
  fns.forEach((f, c) => {
    for (let q = 0; q < 256; q++) table[c * 256 + q] = quantizeU8(f32(f(dequantizeU8(q, inQ))), outQ);
  });
  return table;
}

export function pointwiseFn(node: Node): Fn {
  switch (node.opType) {
    case 'Sigmoid':
      return (x) => f32(1 / (1 + Math.exp(-x)));
    case 'Tanh':
      return (x) => f32(Math.tanh(x));
    case 'HardSigmoid': {
      const alpha = f32(attrFloat(node, 'alpha', 0.2));
      const beta = f32(attrFloat(node, 'beta', 0.5));
      return (x) => Math.max(0, Math.min(1, f32(f32(alpha * x) + beta)));
    }
    case 'HardSwish':
      return (x) => f32(x * Math.max(0, Math.min(1, f32(f32(x / 6) + 0.5))));
    case 'LeakyRelu': {
      const alpha = f32(attrFloat(node, 'alpha', 0.01));
      return (x) => (x >= 0 ? x : f32(alpha * x));
    }
    default:
      throw nodeError(node, 'not a pointwise op');
  }
}

function compose(f: Fn, act: ActInfo | undefined): Fn {
  const a = actFn(act);
  return (x) => a(f32(f(x)));
}

/** Sigmoid & co: DQ -> op -> (Relu/Clip) -> Q. */
export function fusePointwise(ctx: FuseContext, core: Node, act: ActInfo | undefined, outQ: QuantParams): Emitted {
  const x = ctx.act(core.input?.[0] ?? '', core);
  const fn = compose(pointwiseFn(core), act);
  return {
    op: { kind: 'Lut', inputs: [x], lut: buildLut(ctx.tensors[x].q, outQ, [fn]) },
    channels: ctx.tensors[x].channels,
    spatial: ctx.spatial[x],
    actFolded: true,
  };
}

/** Relu/Clip read directly from a DequantizeLinear, or a bare DQ -> Q requantization. */
export function fuseRequantize(ctx: FuseContext, input: number, act: ActInfo | undefined, outQ: QuantParams): Emitted {
  return {
    op: { kind: 'Lut', inputs: [input], lut: buildLut(ctx.tensors[input].q, outQ, [actFn(act)]) },
    channels: ctx.tensors[input].channels,
    spatial: ctx.spatial[input],
    actFolded: true,
  };
}
