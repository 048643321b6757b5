// State shared by the fusion passes: the engine tensors and ops built so far and the map from ONNX
// tensor names to engine tensors.
import type { OpSpec, QuantParams, TensorSpec } from '../spec';
import { nodeError, tensorError } from './errors';
import type { Graph, Node } from './graph';
import { modelLimits } from '../spec';
import { activationParams } from './quant';
import type { ConstTensor } from './tensors';

/** 'global': spatially 1x1 (after GlobalAveragePool); used to recognise channel broadcasts. */
export type Spatial = 'full' | 'global';

export type Operand = { kind: 'act'; tensor: number } | { kind: 'const'; value: ConstTensor; node?: Node };

/** A fused float activation after the core op: clamp bounds in the float domain. */
export interface ActInfo {
  node: Node;
  lo: number;
  hi: number;
}

/** What an op module hands back; the driver adds name and output tensor. */
export interface Emitted {
  op: Omit<OpSpec, 'name' | 'output'>;
  channels: number;
  spatial: Spatial;
  /** True when the module folded the activation itself (LUTs); otherwise the driver clamps. */
  actFolded?: boolean;
}

export const PASS_THROUGH = new Set(['Identity', 'Dropout']);

export class FuseContext {
  readonly tensors: TensorSpec[] = [];
  readonly spatial: Spatial[] = [];
  readonly ops: OpSpec[] = [];
  readonly engineOf = new Map<string, number>();
  readonly covered = new Set<Node>();
  input = -1;
  /** Set by the driver so that shape evaluation can process a quantize node out of order. */
  processQ: (q: Node) => void = () => undefined;

  constructor(readonly g: Graph) {}

  addTensor(name: string, channels: number, q: QuantParams, spatial: Spatial, by?: Node): number {
    const { maxChannels } = modelLimits();
    if (!Number.isInteger(channels) || channels < 1 || channels > maxChannels) {
      if (by) throw nodeError(by, `${channels} channels is outside 1..${maxChannels}`);
      throw tensorError(name, `${channels} channels is outside 1..${maxChannels}`);
    }
    const idx = this.tensors.length;
    this.tensors.push({ name, channels, q });
    this.spatial.push(spatial);
    this.engineOf.set(name, idx);
    return idx;
  }

  /** Follows Identity/Dropout producers back to the real tensor, marking them used. */
  passThrough(name: string): string {
    for (let guard = 0; guard < 100_000; guard++) {
      const p = this.g.producer.get(name);
      if (!p || !PASS_THROUGH.has(p.opType!)) return name;
      if (p.opType === 'Dropout' && p.output?.[1] && this.g.consumersOf(p.output[1]).length > 0) {
        throw nodeError(p, 'the Dropout mask output is used');
      }
      this.covered.add(p);
      name = p.input?.[0] ?? '';
      if (!name) throw nodeError(p, 'missing input');
    }
    return name;
  }

  producerOf(name: string): Node | undefined {
    return this.g.producer.get(name);
  }

  /** The float tensor `name` (after pass-through) must be read by `user` only: it is fused away. */
  requireSingleUse(name: string, user: Node, producer: Node): void {
    const users = this.g.consumersOf(name);
    if (name === this.g.outputName || users.length !== 1 || users[0] !== user) {
      throw nodeError(producer, `its float output '${name}' is used outside the DequantizeLinear -> op -> QuantizeLinear pattern`);
    }
  }

  /** Engine tensor behind a quantized name (a QuantizeLinear output, possibly through Identity). */
  engineTensor(qname: string): number | undefined {
    const n = this.passThrough(qname);
    const found = this.engineOf.get(n);
    if (found !== undefined) return found;
    const p = this.producerOf(n);
    if (p?.opType === 'QuantizeLinear' && !this.g.isConst(this.passThrough(p.input?.[0] ?? ''))) {
      this.processQ(p);
      return this.engineOf.get(n);
    }
    return undefined;
  }

  /** The activation operand `name` of `user`: must be DequantizeLinear of an engine tensor. */
  act(name: string, user: Node): number {
    const n = this.passThrough(name);
    const dq = this.producerOf(n);
    if (!dq || dq.opType !== 'DequantizeLinear') {
      if (n === this.g.inputName) throw nodeError(user, `reads the float graph input '${n}' directly; it must be quantized first`);
      throw nodeError(user, `input '${name}' is not a DequantizeLinear output: float ops must be wrapped in DequantizeLinear/QuantizeLinear`);
    }
    const src = dq.input?.[0] ?? '';
    const idx = this.engineTensor(src);
    if (idx === undefined) {
      throw nodeError(user, `input '${name}' dequantizes '${src}', which is not a quantized activation`);
    }
    const p = activationParams(this.g, dq);
    const t = this.tensors[idx];
    if (p.zeroPoint !== t.q.zeroPoint || Math.fround(p.scale) !== Math.fround(t.q.scale)) {
      throw nodeError(dq, `dequantizes '${src}' with scale/zero point different from its QuantizeLinear`);
    }
    this.covered.add(dq);
    return idx;
  }

  /**
   * The activation input of a windowed op, with an optional zero Pad in front (PyTorch exports
   * AvgPool2d(count_include_pad=True, padding=p) as Pad -> AveragePool). Returns the extra
   * [top, left, bottom, right] padding.
   */
  actWithPad(name: string, user: Node): { x: number; pads: [number, number, number, number] } {
    const n = this.passThrough(name);
    const pad = this.producerOf(n);
    if (pad?.opType !== 'Pad') return { x: this.act(name, user), pads: [0, 0, 0, 0] };
    const mode = (pad.attribute ?? []).find((a) => a.name === 'mode');
    if (mode?.s && Buffer.from(mode.s).toString() !== 'constant') throw nodeError(pad, 'only constant padding is supported');
    const p = this.g.getConst(this.passThrough(pad.input?.[1] ?? ''));
    if (!p || p.data.length !== 8) throw nodeError(pad, 'pads must be a constant of 8 values (NCHW)');
    const v = Array.from(p.data as ArrayLike<number>, Number);
    if (v[0] !== 0 || v[1] !== 0 || v[4] !== 0 || v[5] !== 0 || v.some((x) => x < 0 || x > modelLimits().maxPad)) {
      throw nodeError(pad, `pads [${v.join(', ')}] must be non-negative and spatial only`);
    }
    if (pad.input?.[2]) {
      const c = this.constOperand(pad.input[2], pad);
      if (!c || c.data.length !== 1 || c.data[0] !== 0) throw nodeError(pad, 'only zero padding can be folded');
    }
    this.requireSingleUse(n, user, pad);
    this.markConst(this.passThrough(pad.input?.[1] ?? ''));
    this.covered.add(pad);
    return { x: this.act(pad.input?.[0] ?? '', pad), pads: [v[2], v[3], v[6], v[7]] };
  }

  /** A constant operand: float initializer/Constant, or DQ of an int8/uint8 constant (dequantized here). */
  constOperand(name: string, user: Node): ConstTensor | undefined {
    const n = this.passThrough(name);
    const direct = this.g.getConst(n);
    if (direct) {
      if (direct.dtype !== 'float') throw nodeError(user, `constant operand '${n}' has type ${direct.dtype}, expected float`);
      this.markConst(n);
      return direct;
    }
    const dq = this.producerOf(n);
    if (dq?.opType !== 'DequantizeLinear') return undefined;
    const src = this.passThrough(dq.input?.[0] ?? '');
    const c = this.g.getConst(src);
    if (!c) return undefined;
    if (c.dtype !== 'int8' && c.dtype !== 'uint8' && c.dtype !== 'int32') {
      throw nodeError(dq, `dequantizes a constant of type ${c.dtype}`);
    }
    const scaleT = this.g.getConst(dq.input?.[1] ?? '');
    const zpT = dq.input?.[2] ? this.g.getConst(dq.input[2]) : undefined;
    if (!scaleT || scaleT.dtype !== 'float' || scaleT.data.length !== 1 || (dq.input?.[2] && (!zpT || zpT.data.length !== 1))) {
      throw nodeError(dq, 'a constant operand must be dequantized per-tensor with constant scale and zero point');
    }
    const s = Number(scaleT.data[0]);
    const zp = zpT ? Number(zpT.data[0]) : 0;
    const out = new Float32Array(c.data.length);
    for (let i = 0; i < out.length; i++) out[i] = Math.fround((Number(c.data[i]) - zp) * s);
    this.covered.add(dq);
    this.markConst(src);
    return { name: n, dtype: 'float', dims: c.dims, data: out };
  }

  operand(name: string, user: Node): Operand {
    const c = this.constOperand(name, user);
    if (c) return { kind: 'const', value: c };
    return { kind: 'act', tensor: this.act(name, user) };
  }

  markConst(name: string): void {
    const p = this.producerOf(name);
    if (p?.opType === 'Constant') this.covered.add(p);
  }
}
