// The float twin of a QDQ model, for ONNX Runtime fp32 comparisons: weights dequantized into float
// initializers, activation QuantizeLinear -> DequantizeLinear pairs removed.
import { onnx } from 'onnx-proto';
import { attrInt } from './attrs';
import { nodeError } from './errors';
import { decodeModel } from './load';
import { quantizeU8, roundHalfEven } from './quant';
import { ConstTensor, decodeTensor } from './tensors';

type Node = onnx.INodeProto;

function perAxis(node: Node, dims: number[], n: number): (i: number) => number {
  if (n === 1) return () => 0;
  let axis = attrInt(node, 'axis', 1);
  if (axis < 0) axis += dims.length;
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  return (i) => Math.floor(i / inner) % dims[axis];
}

function scaleZp(node: Node, consts: (name: string) => ConstTensor | undefined): { s: ConstTensor; zp?: ConstTensor } {
  const s = consts(node.input?.[1] ?? '');
  if (!s || s.dtype !== 'float') throw nodeError(node, 'scale must be a float constant');
  const zp = node.input?.[2] ? consts(node.input[2]) : undefined;
  if (node.input?.[2] && !zp) throw nodeError(node, 'zero point must be a constant');
  return { s, zp };
}

function dequantize(node: Node, q: ConstTensor, consts: (name: string) => ConstTensor | undefined): Float32Array {
  const { s, zp } = scaleZp(node, consts);
  const ch = perAxis(node, q.dims, s.data.length);
  const out = new Float32Array(q.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = ch(i);
    out[i] = Math.fround((Number(q.data[i]) - (zp ? Number(zp.data[c]) : 0)) * Number(s.data[c]));
  }
  return out;
}

/** QuantizeLinear of a float constant (int8 or uint8 by the zero point's type). */
function quantize(node: Node, f: ConstTensor, consts: (name: string) => ConstTensor | undefined): ConstTensor {
  const { s, zp } = scaleZp(node, consts);
  const ch = perAxis(node, f.dims, s.data.length);
  const signed = zp?.dtype === 'int8';
  const out = signed ? new Int8Array(f.data.length) : new Uint8Array(f.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = ch(i);
    const z = zp ? Number(zp.data[c]) : 0;
    if (signed) {
      const v = roundHalfEven(Math.fround(Number(f.data[i]) / Number(s.data[c]))) + z;
      out[i] = Math.max(-128, Math.min(127, v));
    } else out[i] = quantizeU8(Number(f.data[i]), { scale: Number(s.data[c]), zeroPoint: z });
  }
  return { name: f.name, dtype: signed ? 'int8' : 'uint8', dims: f.dims, data: out };
}

export function stripQdq(bytes: Uint8Array): Uint8Array {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw nodeError({ name: 'graph', opType: '-' }, 'no graph');
  const inits = new Map<string, onnx.ITensorProto>();
  for (const t of graph.initializer ?? []) inits.set(t.name ?? '', t);
  const nodes = graph.node ?? [];
  const producer = new Map<string, Node>();
  for (const n of nodes) for (const o of n.output ?? []) producer.set(o, n);
  const cache = new Map<string, ConstTensor>();
  const consts = (name: string): ConstTensor | undefined => {
    if (cache.has(name)) return cache.get(name);
    const t = inits.get(name);
    let c: ConstTensor | undefined;
    if (t) c = decodeTensor(t, name);
    else {
      const p = producer.get(name);
      const v = p?.opType === 'Constant' ? (p.attribute ?? []).find((a) => a.name === 'value')?.t : undefined;
      if (v) c = decodeTensor(v, name);
    }
    if (c) cache.set(name, c);
    return c;
  };

  const rename = new Map<string, string>();
  const removed = new Set<Node>();
  const newInits: onnx.ITensorProto[] = [];
  const floatInit = (name: string, dims: number[], data: Float32Array): void => {
    newInits.push({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  };
  for (const n of nodes) {
    if (n.opType !== 'DequantizeLinear') continue;
    const src = n.input?.[0] ?? '';
    const out = n.output?.[0] ?? '';
    const c = consts(src);
    if (c) {
      floatInit(out, c.dims, dequantize(n, c, consts));
      removed.add(n);
      continue;
    }
    const q = producer.get(src);
    if (q?.opType !== 'QuantizeLinear') continue;
    const fsrc = q.input?.[0] ?? '';
    const fc = consts(fsrc);
    if (fc) {
      floatInit(out, fc.dims, dequantize(n, quantize(q, fc, consts), consts));
    } else {
      rename.set(out, fsrc);
    }
    removed.add(n);
  }
  const resolve = (name: string): string => {
    for (let i = 0; i < 1000 && rename.has(name); i++) name = rename.get(name)!;
    return name;
  };
  const kept = nodes.filter((n) => !removed.has(n));
  for (const n of kept) n.input = (n.input ?? []).map((i) => (i ? resolve(i) : i));
  const extra: Node[] = [];
  for (const o of graph.output ?? []) {
    const name = o.name ?? '';
    if (rename.has(name)) extra.push({ name: `strip_qdq_out_${name}`, opType: 'Identity', input: [resolve(name)], output: [name] });
  }
  // Drop quantizers nobody reads any more; a quantizer writing a graph output becomes an Identity.
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  let all = [...kept, ...extra];
  for (;;) {
    const used = new Set<string>(outputs);
    for (const n of all) for (const i of n.input ?? []) if (i) used.add(i);
    const next = all.filter((n) => !(n.opType === 'QuantizeLinear' && !used.has(n.output?.[0] ?? '')));
    if (next.length === all.length) break;
    all = next;
  }
  for (const n of all) {
    if (n.opType === 'QuantizeLinear' && outputs.has(n.output?.[0] ?? '')) {
      n.opType = 'Identity';
      n.input = [n.input?.[0] ?? ''];
      n.attribute = [];
    }
  }
  for (const o of graph.output ?? []) {
    if (o.type?.tensorType) o.type.tensorType.elemType = onnx.TensorProto.DataType.FLOAT;
  }
  const used = new Set<string>();
  for (const n of all) for (const i of n.input ?? []) if (i) used.add(i);
  graph.node = all;
  graph.initializer = [...(graph.initializer ?? []), ...newInits].filter((t) => used.has(t.name ?? ''));
  graph.input = (graph.input ?? []).filter((i) => !inits.has(i.name ?? '') || used.has(i.name ?? ''));
  graph.valueInfo = [];
  return onnx.ModelProto.encode(model).finish();
}
