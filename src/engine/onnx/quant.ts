// Quantization arithmetic (float32 like ONNX Runtime's reference) and Q/DQ parameter reading.
import { isValidScale, scaleRule } from '../spec';
import type { QuantParams } from '../spec';
import { nodeError } from './errors';
import type { Graph, Node } from './graph';
import type { ConstTensor } from './tensors';
import { dtypeName } from './tensors';

const f32 = Math.fround;

export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** ONNX QuantizeLinear to uint8: saturate(round_half_even(x / scale) + zp), in float32. */
export function quantizeU8(x: number, q: QuantParams): number {
  if (Number.isNaN(x)) return q.zeroPoint;
  const v = roundHalfEven(f32(f32(x) / f32(q.scale))) + q.zeroPoint;
  return clamp(v, 0, 255);
}

/** ONNX DequantizeLinear of a uint8: (q - zp) * scale, in float32. */
export function dequantizeU8(v: number, q: QuantParams): number {
  return f32((v - q.zeroPoint) * f32(q.scale));
}

function scalarValue(t: ConstTensor): number | undefined {
  return t.data.length === 1 ? Number(t.data[0]) : undefined;
}

/** Per-tensor uint8 parameters of an activation Q or DQ node. */
export function activationParams(g: Graph, node: Node): QuantParams {
  const scaleName = node.input?.[1];
  const scaleT = scaleName ? g.getConst(scaleName) : undefined;
  if (!scaleT) throw nodeError(node, 'the scale must be a constant initializer');
  if (scaleT.dtype !== 'float') throw nodeError(node, `the scale has type ${scaleT.dtype}, expected float`);
  const scale = scalarValue(scaleT);
  if (scale === undefined) throw nodeError(node, `activation quantization must be per-tensor (scale has ${scaleT.data.length} values)`);
  if (!isValidScale(scale)) throw nodeError(node, `invalid scale ${scale} (must be ${scaleRule()})`);
  let zeroPoint = 0;
  const zpName = node.input?.[2];
  if (zpName) {
    const zpT = g.getConst(zpName);
    if (!zpT) throw nodeError(node, 'the zero point must be a constant initializer');
    if (zpT.dtype === 'int8') throw nodeError(node, 'int8 activations are not supported (use uint8, quint8 observers)');
    if (zpT.dtype !== 'uint8') throw nodeError(node, `the zero point has type ${zpT.dtype}, expected uint8`);
    const zp = scalarValue(zpT);
    if (zp === undefined) throw nodeError(node, `activation zero point must be a single value (has ${zpT.data.length})`);
    zeroPoint = zp;
  }
  return { scale, zeroPoint };
}

export function sameParams(a: QuantParams, b: QuantParams): boolean {
  return a.zeroPoint === b.zeroPoint && f32(a.scale) === f32(b.scale);
}

export interface WeightQuant {
  scales: Float32Array; // length 1 or dims[axis]
  axis: number;
}

/**
 * Scale and zero point of a weight-side Q or DQ node (int8, symmetric): per-tensor or per-channel
 * along axis 0. Non-zero zero points are rejected.
 */
export function weightParams(g: Graph, node: Node, dims: number[], what: string, zpType: 'int8' | 'int32'): WeightQuant {
  const scaleName = node.input?.[1];
  const scaleT = scaleName ? g.getConst(scaleName) : undefined;
  if (!scaleT || scaleT.dtype !== 'float') throw nodeError(node, `${what} scale must be a float initializer`);
  const n = scaleT.data.length;
  const rank = dims.length;
  let axis = 0;
  if (n !== 1) {
    axis = (node.attribute ?? []).some((a) => a.name === 'axis') ? Number((node.attribute ?? []).find((a) => a.name === 'axis')!.i ?? 1) : 1;
    if (axis < 0) axis += rank;
    if (axis !== 0) throw nodeError(node, `${what} per-channel quantization must be along axis 0 (output channels), got axis ${axis}`);
    if (rank === 0 || n !== dims[0]) throw nodeError(node, `${what} has ${n} scales for ${dims[0] ?? 0} output channels`);
  }
  const scales = Float32Array.from(scaleT.data as Float32Array);
  for (const s of scales) if (!isValidScale(s)) throw nodeError(node, `${what} has an invalid scale ${s} (must be ${scaleRule()})`);
  const zpName = node.input?.[2];
  if (zpName) {
    const zpT = g.getConst(zpName);
    if (!zpT) throw nodeError(node, `${what} zero point must be a constant initializer`);
    if (zpT.dtype !== zpType) {
      throw nodeError(node, `${what} zero point has type ${zpT.dtype}; ${zpType} (symmetric) is required`);
    }
    if (zpT.data.length !== n) throw nodeError(node, `${what} has ${zpT.data.length} zero points for ${n} scales`);
    for (const z of zpT.data) if (z !== 0) throw nodeError(node, `${what} zero point must be 0 (symmetric weights), found ${z}`);
  }
  return { scales, axis };
}

export { dtypeName };
