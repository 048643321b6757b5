// Symbolic evaluation of the small int64 subgraphs PyTorch emits for F.interpolate(size=t.shape[2:]):
// Shape -> Slice/Gather -> (Unsqueeze) -> Concat -> (Cast). Each element is a constant or a
// dimension of some tensor.
import { attrInt, attrInts } from './attrs';
import type { FuseContext } from './context';
import { nodeError, tensorError } from './errors';
import type { Node } from './graph';

export type SymDim = { c: number } | { tensor: string; axis: number };

export interface SymValue {
  dims: SymDim[];
  scalar: boolean;
}

const MAX_LEN = 16;
const MAX_DEPTH = 64;
const ACT_RANK = 4;

function constInts(ctx: FuseContext, name: string, user: Node): number[] {
  const c = ctx.g.getConst(ctx.passThrough(name));
  if (!c) throw nodeError(user, `input '${name}' must be a constant`);
  if (c.data.length > MAX_LEN) throw nodeError(user, `input '${name}' is too long`);
  ctx.markConst(ctx.passThrough(name));
  return Array.from(c.data as ArrayLike<number>, Number);
}

export function evalSymbolic(ctx: FuseContext, name: string, depth = 0): SymValue {
  if (depth > MAX_DEPTH) throw tensorError(name, 'shape subgraph is too deep');
  const c = ctx.g.getConst(name);
  if (c) {
    if (c.data.length > MAX_LEN) throw tensorError(name, 'shape constant is too long');
    ctx.markConst(name);
    return { dims: Array.from(c.data as ArrayLike<number>, (v) => ({ c: Number(v) })), scalar: c.dims.length === 0 };
  }
  const node = ctx.producerOf(name);
  if (!node) throw tensorError(name, 'shape input is neither constant nor computed');
  const ins = node.input ?? [];
  const sub = (i: number): SymValue => {
    if (!ins[i]) throw nodeError(node, `missing input ${i}`);
    return evalSymbolic(ctx, ins[i], depth + 1);
  };
  let out: SymValue;
  switch (node.opType) {
    case 'Shape': {
      const t = ins[0];
      if (!t) throw nodeError(node, 'missing input');
      let start = attrInt(node, 'start', 0);
      let end = attrInt(node, 'end', ACT_RANK);
      if (start < 0) start += ACT_RANK;
      if (end < 0) end += ACT_RANK;
      start = Math.max(0, Math.min(ACT_RANK, start));
      end = Math.max(start, Math.min(ACT_RANK, end));
      const dims: SymDim[] = [];
      for (let a = start; a < end; a++) dims.push({ tensor: t, axis: a });
      out = { dims, scalar: false };
      break;
    }
    case 'Identity':
    case 'Cast':
      out = sub(0);
      break;
    case 'Gather': {
      const data = sub(0);
      if (attrInt(node, 'axis', 0) !== 0) throw nodeError(node, 'Gather on a shape must use axis 0');
      const idxT = ctx.g.getConst(ctx.passThrough(ins[1] ?? ''));
      if (!idxT) throw nodeError(node, 'Gather indices must be constant');
      const idx = constInts(ctx, ins[1], node).map((i) => (i < 0 ? i + data.dims.length : i));
      for (const i of idx) if (!(i >= 0 && i < data.dims.length)) throw nodeError(node, `Gather index out of range`);
      out = { dims: idx.map((i) => data.dims[i]), scalar: idxT.dims.length === 0 };
      break;
    }
    case 'Slice': {
      const data = sub(0);
      const len = data.dims.length;
      const starts = constInts(ctx, ins[1] ?? '', node);
      const ends = constInts(ctx, ins[2] ?? '', node);
      const axes = ins[3] ? constInts(ctx, ins[3], node) : [0];
      const steps = ins[4] ? constInts(ctx, ins[4], node) : [1];
      if (starts.length !== 1 || ends.length !== 1 || axes.length !== 1 || steps.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) {
        throw nodeError(node, 'only a 1-D slice of a shape is supported');
      }
      const step = steps[0];
      if (step !== 1) throw nodeError(node, 'only step 1 is supported');
      const norm = (v: number): number => Math.max(0, Math.min(len, v < 0 ? v + len : v));
      out = { dims: data.dims.slice(norm(starts[0]), norm(ends[0])), scalar: false };
      break;
    }
    case 'Concat': {
      if (attrInt(node, 'axis', 0) !== 0 && attrInt(node, 'axis', 0) !== -1) throw nodeError(node, 'Concat of shapes must use axis 0');
      const dims: SymDim[] = [];
      for (let i = 0; i < ins.length; i++) {
        const v = sub(i);
        if (v.scalar) throw nodeError(node, 'cannot concatenate a scalar');
        dims.push(...v.dims);
        if (dims.length > MAX_LEN) throw nodeError(node, 'shape is too long');
      }
      out = { dims, scalar: false };
      break;
    }
    case 'Unsqueeze': {
      const v = sub(0);
      const axes = ins[1] ? constInts(ctx, ins[1], node) : attrInts(node, 'axes') ?? [];
      if (!v.scalar || axes.length !== 1 || (axes[0] !== 0 && axes[0] !== -1)) throw nodeError(node, 'only scalar -> [1] Unsqueeze is supported on shapes');
      out = { dims: v.dims, scalar: false };
      break;
    }
    case 'Squeeze': {
      const v = sub(0);
      if (v.scalar || v.dims.length !== 1) throw nodeError(node, 'only [1] -> scalar Squeeze is supported on shapes');
      out = { dims: v.dims, scalar: true };
      break;
    }
    case 'Constant':
      throw nodeError(node, 'Constant without a usable value');
    default:
      throw nodeError(node, `cannot evaluate ${node.opType} in a shape computation (supported: Shape, Gather, Slice, Concat, Cast, Unsqueeze, Squeeze, Constant, Identity)`);
  }
  ctx.covered.add(node);
  return out;
}

/** Engine tensor whose spatial size a float or quantized tensor name carries. */
export function shapeSource(ctx: FuseContext, name: string, user: Node): number {
  const n = ctx.passThrough(name);
  const direct = ctx.engineTensor(n);
  if (direct !== undefined) return direct;
  if (n === ctx.g.inputName && ctx.input >= 0) return ctx.input;
  const p = ctx.producerOf(n);
  if (p?.opType === 'DequantizeLinear') {
    const idx = ctx.engineTensor(p.input?.[0] ?? '');
    if (idx !== undefined) return idx;
  }
  for (const c of ctx.g.consumersOf(n)) {
    if (c.opType === 'QuantizeLinear') {
      const idx = ctx.engineTensor(c.output?.[0] ?? '');
      if (idx !== undefined) return idx;
    }
  }
  throw nodeError(user, `takes the shape of '${name}', which does not map to a quantized activation`);
}
