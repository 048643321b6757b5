// The fusion driver: every activation QuantizeLinear closes one pattern
//   DQ... -> core op -> (Relu | Clip) -> Q
// which becomes one engine op writing one engine tensor. Every live node must end up covered.
import type { ModelSpec, Normalization } from '../spec';
import { ACT_OPS, actInfo, clampRange, fusePointwise, fuseRequantize, LUT_OPS } from './lut';
import type { ActInfo, Emitted } from './context';
import { FuseContext, PASS_THROUGH } from './context';
import { fuseConcat } from './concat';
import { fuseConv } from './conv';
import { fuseEltwise } from './eltwise';
import { ModelImportError, nodeError, tensorError } from './errors';
import type { Graph, Node } from './graph';
import { fusePool } from './pool';
import { activationParams, sameParams } from './quant';
import { fuseResize } from './resize';
import { toNum } from './attrs';
import { onnx } from 'onnx-proto';

const AUX_OPS = new Set(['Pad', 'Shape', 'Gather', 'Slice', 'Cast', 'Unsqueeze', 'Squeeze', 'Constant']);
const CORE_OPS = new Set(['Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Resize', 'Add', 'Mul', 'Concat']);
const KNOWN = new Set([
  'QuantizeLinear', 'DequantizeLinear', ...CORE_OPS, ...ACT_OPS, ...LUT_OPS, ...PASS_THROUGH, ...AUX_OPS,
]);
const FUSES_CLAMP = new Set(['Conv', 'Add', 'Mul']);

function checkInput(g: Graph): void {
  const info = g.inputInfo;
  const tt = info.type?.tensorType;
  if (!tt) throw tensorError(g.inputName, 'the graph input must be a tensor');
  if (tt.elemType !== onnx.TensorProto.DataType.FLOAT) throw tensorError(g.inputName, 'the graph input must be float');
  const dims = tt.shape?.dim;
  if (dims) {
    if (dims.length !== 4) throw tensorError(g.inputName, `the graph input must be NCHW (rank 4), has rank ${dims.length}`);
    const fixed = (i: number): number | undefined => (dims[i].dimValue !== undefined && dims[i].dimValue !== null && !dims[i].dimParam ? toNum(dims[i].dimValue) : undefined);
    const c = fixed(1);
    if (c !== undefined && c !== 0 && c !== 3) throw tensorError(g.inputName, `the graph input must have 3 channels, has ${c}`);
    const n = fixed(0);
    if (n !== undefined && n !== 0 && n !== 1) throw tensorError(g.inputName, `the graph input batch must be 1, is ${n}`);
  }
}

export function fuseGraph(g: Graph, norm: Normalization): ModelSpec {
  checkInput(g);
  for (const n of g.nodes) {
    if (!KNOWN.has(n.opType!)) throw nodeError(n, `op type ${n.opType} is not supported`);
  }
  const ctx = new FuseContext(g);
  const processed = new Set<Node>();

  const handleQ = (q: Node): void => {
    if (processed.has(q)) return;
    processed.add(q);
    const outName = q.output?.[0] ?? '';
    const xName = q.input?.[0] ?? '';
    if (!xName || !outName) throw nodeError(q, 'missing input or output');
    const cur = ctx.passThrough(xName);
    if (g.isConst(cur)) return; // a weight quantizer, handled by the op that uses it
    const outQ = activationParams(g, q);
    ctx.covered.add(q);
    if (cur === g.inputName) {
      if (ctx.input >= 0) throw nodeError(q, 'the graph input is quantized more than once');
      ctx.input = ctx.addTensor(outName, 3, outQ, 'full', q);
      return;
    }
    let core = ctx.producerOf(cur);
    if (!core) throw nodeError(q, `input '${cur}' has no producer`);
    let act: ActInfo | undefined;
    if (ACT_OPS.has(core.opType!)) {
      // One or more chained Relu/Clip (ReLU6 exports as Relu -> Clip): intersect their ranges.
      let user: Node = q;
      let out = cur;
      let inner = cur;
      let p: Node | undefined = core;
      while (p && ACT_OPS.has(p.opType!)) {
        ctx.requireSingleUse(out, user, p);
        const a = actInfo(ctx, p);
        act = act ? { node: act.node, lo: Math.max(act.lo, a.lo), hi: Math.min(act.hi, a.hi) } : a;
        if (act.lo > act.hi) throw nodeError(p, 'chained Relu/Clip ranges do not overlap');
        ctx.covered.add(p);
        user = p;
        inner = ctx.passThrough(p.input?.[0] ?? '');
        out = inner;
        p = ctx.producerOf(inner);
      }
      if (!p || p.opType === 'DequantizeLinear') {
        const x = ctx.act(inner, user);
        emit(q, act!.node, fuseRequantize(ctx, x, act, outQ), undefined, outQ);
        return;
      }
      if (!FUSES_CLAMP.has(p.opType!) && !LUT_OPS.has(p.opType!)) {
        throw nodeError(user, `cannot be fused after ${p.name} (${p.opType}); put a QuantizeLinear/DequantizeLinear pair between them`);
      }
      ctx.requireSingleUse(inner, user, p);
      core = p;
    } else if (core.opType !== 'DequantizeLinear') {
      ctx.requireSingleUse(cur, q, core);
    }
    ctx.covered.add(core);
    let out: Emitted;
    switch (core.opType) {
      case 'DequantizeLinear': {
        const src = core.input?.[0] ?? '';
        const x = ctx.act(cur, q);
        if (sameParams(ctx.tensors[x].q, outQ)) {
          ctx.engineOf.set(outName, x); // DQ -> Q with identical parameters: an alias
          return;
        }
        void src;
        out = fuseRequantize(ctx, x, undefined, outQ);
        break;
      }
      case 'Conv':
        out = fuseConv(ctx, core);
        break;
      case 'MaxPool':
      case 'AveragePool':
      case 'GlobalAveragePool':
        out = fusePool(ctx, core);
        break;
      case 'Resize':
        out = fuseResize(ctx, core);
        break;
      case 'Add':
      case 'Mul':
        out = fuseEltwise(ctx, core, act, outQ);
        break;
      case 'Concat':
        out = fuseConcat(ctx, core);
        break;
      default:
        if (LUT_OPS.has(core.opType!)) {
          out = fusePointwise(ctx, core, act, outQ);
          break;
        }
        throw nodeError(core, `cannot be quantized here (its output feeds ${q.name}); supported: Conv, pools, Resize, Add, Mul, Concat, Relu, Clip, Sigmoid, Tanh, HardSigmoid, HardSwish, LeakyRelu`);
    }
    emit(q, core, out, act, outQ);
  };

  const emit = (q: Node, core: Node, out: Emitted, act: ActInfo | undefined, outQ: { scale: number; zeroPoint: number }): void => {
    const idx = ctx.addTensor(q.output![0], out.channels, outQ, out.spatial, core);
    const op = { ...out.op, name: core.name!, output: idx };
    if (act && !out.actFolded) {
      const [lo, hi] = clampRange(act, outQ);
      op.actMin = lo;
      op.actMax = hi;
    }
    ctx.ops.push(op);
  };

  ctx.processQ = handleQ;
  for (const n of g.nodes) if (n.opType === 'QuantizeLinear') handleQ(n);

  if (ctx.input < 0) throw tensorError(g.inputName, 'the graph input is not quantized by a QuantizeLinear');
  // The output: Q -> DQ -> output, or Q -> output.
  const outName = ctx.passThrough(g.outputName);
  let output = ctx.engineOf.get(outName);
  if (output === undefined) {
    const p = ctx.producerOf(outName);
    if (p?.opType === 'DequantizeLinear') {
      output = ctx.engineTensor(p.input?.[0] ?? '');
      if (output !== undefined) ctx.covered.add(p);
    }
  }
  if (output === undefined) {
    throw tensorError(g.outputName, 'the graph output must be QuantizeLinear or QuantizeLinear -> DequantizeLinear of a quantized activation');
  }
  if (output === ctx.input) throw tensorError(g.outputName, 'the graph output is the network input (no ops)');
  for (const n of g.nodes) {
    if (ctx.covered.has(n)) continue;
    if (n.opType === 'Constant') continue;
    if (n.opType === 'DequantizeLinear' || n.opType === 'QuantizeLinear') {
      throw nodeError(n, 'is not part of any supported DequantizeLinear -> op -> QuantizeLinear pattern');
    }
    throw nodeError(n, `is not wrapped in DequantizeLinear/QuantizeLinear (float ops are not supported) or its pattern is not supported`);
  }
  if (ctx.ops.length === 0) throw new ModelImportError('model: no operations after fusion');
  return { tensors: ctx.tensors, ops: ctx.ops, input: ctx.input, output, norm };
}
