// A tiny ONNX model builder for tests: QDQ helpers on top of onnx-proto's encoder.
import { onnx } from 'onnx-proto';

const DT = onnx.TensorProto.DataType;

export type Attr = number | number[] | string | { f: number } | { floats: number[] } | { t: onnx.ITensorProto };

export function tensor(name: string, dataType: number, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const n = values.length;
  let raw: Uint8Array;
  switch (dataType) {
    case DT.FLOAT:
      raw = new Uint8Array(Float32Array.from(values).buffer);
      break;
    case DT.INT8:
      raw = new Uint8Array(Int8Array.from(values).buffer);
      break;
    case DT.UINT8:
      raw = Uint8Array.from(values);
      break;
    case DT.INT32:
      raw = new Uint8Array(Int32Array.from(values).buffer);
      break;
    case DT.INT64: {
      const b = new BigInt64Array(n);
      for (let i = 0; i < n; i++) b[i] = BigInt(values[i]);
      raw = new Uint8Array(b.buffer);
      break;
    }
    default:
      throw new Error(`builder: unsupported dtype ${dataType}`);
  }
  return { name, dataType, dims, rawData: raw };
}

function attribute(name: string, v: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'number') return { name, type: T.INT, i: v };
  if (typeof v === 'string') return { name, type: T.STRING, s: Buffer.from(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.TENSOR, t: v.t };
}

export class OnnxBuilder {
  readonly nodes: onnx.INodeProto[] = [];
  readonly inits: onnx.ITensorProto[] = [];
  readonly inputs: onnx.IValueInfoProto[] = [];
  readonly outputs: onnx.IValueInfoProto[] = [];
  readonly meta: Record<string, string> = {};
  opset = 13;
  private counter = 0;

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  static valueInfo(name: string, dims: (number | string)[] | undefined, elemType = DT.FLOAT): onnx.IValueInfoProto {
    return {
      name,
      type: {
        tensorType: {
          elemType,
          shape: dims ? { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } : undefined,
        },
      },
    };
  }

  input(name = 'input', dims: (number | string)[] = [1, 3, 'H', 'W'], elemType = DT.FLOAT): string {
    this.inputs.push(OnnxBuilder.valueInfo(name, dims, elemType));
    return name;
  }

  output(name: string, dims?: (number | string)[], elemType = DT.FLOAT): string {
    this.outputs.push(OnnxBuilder.valueInfo(name, dims, elemType));
    return name;
  }

  init(name: string, dataType: number, dims: number[], values: ArrayLike<number>): string {
    this.inits.push(tensor(name, dataType, dims, values));
    return name;
  }
  float(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.init(name, DT.FLOAT, dims, values);
  }
  int8(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.init(name, DT.INT8, dims, values);
  }
  uint8(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.init(name, DT.UINT8, dims, values);
  }
  int32(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.init(name, DT.INT32, dims, values);
  }
  int64(name: string, dims: number[], values: ArrayLike<number>): string {
    return this.init(name, DT.INT64, dims, values);
  }

  node(opType: string, inputs: string[], outputs: string[] | number = 1, attrs: Record<string, Attr> = {}, name?: string): string[] {
    const nm = name ?? this.fresh(opType.toLowerCase());
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, i) => `${nm}_out${i}`) : outputs;
    this.nodes.push({
      name: nm,
      opType,
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string): string {
    return this.node(opType, inputs, 1, attrs, name)[0];
  }

  /** Activation QuantizeLinear (uint8). */
  q(x: string, scale: number, zp: number, name?: string): string {
    const s = this.float(this.fresh('s'), [], [scale]);
    const z = this.uint8(this.fresh('zp'), [], [zp]);
    return this.op('QuantizeLinear', [x, s, z], {}, name);
  }
  dq(x: string, scale: number, zp: number, name?: string): string {
    const s = this.float(this.fresh('s'), [], [scale]);
    const z = this.uint8(this.fresh('zp'), [], [zp]);
    return this.op('DequantizeLinear', [x, s, z], {}, name);
  }
  /** Q then DQ; returns [quantized name, dequantized name]. */
  qdq(x: string, scale: number, zp: number, name?: string): [string, string] {
    const qn = this.q(x, scale, zp, name);
    return [qn, this.dq(qn, scale, zp)];
  }

  /** DQ of an int8 weight initializer, per output channel (axis 0) or per tensor. */
  weightInt8(dims: number[], values: ArrayLike<number>, scales: number[]): string {
    const w = this.int8(this.fresh('w'), dims, values);
    const s = this.float(this.fresh('ws'), scales.length === 1 ? [] : [scales.length], scales);
    const z = this.int8(this.fresh('wzp'), scales.length === 1 ? [] : [scales.length], scales.map(() => 0));
    return this.op('DequantizeLinear', [w, s, z], scales.length === 1 ? {} : { axis: 0 });
  }
  /** Float weight through QuantizeLinear -> DequantizeLinear (fake quantization, as PyTorch exports). */
  weightFloat(dims: number[], values: ArrayLike<number>, scales: number[]): string {
    const w = this.float(this.fresh('wf'), dims, values);
    const sd = scales.length === 1 ? [] : [scales.length];
    const s = this.float(this.fresh('ws'), sd, scales);
    const z = this.int8(this.fresh('wzp'), sd, scales.map(() => 0));
    const axis: Record<string, Attr> = scales.length === 1 ? {} : { axis: 0 };
    const qn = this.op('QuantizeLinear', [w, s, z], axis);
    return this.op('DequantizeLinear', [qn, s, z], axis);
  }
  biasInt32(values: number[], scales: number[]): string {
    const b = this.int32(this.fresh('b'), [values.length], values);
    const s = this.float(this.fresh('bs'), scales.length === 1 ? [] : [scales.length], scales);
    const z = this.int32(this.fresh('bzp'), scales.length === 1 ? [] : [scales.length], scales.map(() => 0));
    return this.op('DequantizeLinear', [b, s, z], scales.length === 1 ? {} : { axis: 0 });
  }

  model(): onnx.IModelProto {
    return {
      irVersion: 8,
      producerName: 'onnx-builder',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: 'g', node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
      metadataProps: Object.entries(this.meta).map(([key, value]) => ({ key, value })),
    };
  }

  build(): Uint8Array {
    return onnx.ModelProto.encode(this.model()).finish();
  }
}

export function encodeModel(m: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(m).finish();
}

export function decodeModel(b: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(b);
}

export { DT };
