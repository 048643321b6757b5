// Initializer decoding: raw_data or typed fields, with dtype, dims and byte-length checks done
// before anything is allocated.
import { onnx } from 'onnx-proto';
import { toNum } from './attrs';
import { LIMITS } from './load';
import { tensorError } from './errors';

const DT = onnx.TensorProto.DataType;

export type ConstDType = 'float' | 'uint8' | 'int8' | 'int32' | 'int64';

export interface ConstTensor {
  name: string;
  dtype: ConstDType;
  dims: number[];
  /** int64 values are stored as float64 numbers (huge values such as INT64_MAX lose precision). */
  data: Float32Array | Uint8Array | Int8Array | Int32Array | Float64Array;
}

const DTYPES: Record<number, { dtype: ConstDType; bytes: number }> = {
  [DT.FLOAT]: { dtype: 'float', bytes: 4 },
  [DT.UINT8]: { dtype: 'uint8', bytes: 1 },
  [DT.INT8]: { dtype: 'int8', bytes: 1 },
  [DT.INT32]: { dtype: 'int32', bytes: 4 },
  [DT.INT64]: { dtype: 'int64', bytes: 8 },
};

export function dtypeName(dt: number | null | undefined): string {
  const names = DT as unknown as Record<number, string>;
  return names[dt ?? 0] ?? `type ${dt}`;
}

export function numElements(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

export function decodeDims(t: onnx.ITensorProto, name: string): number[] {
  const raw = t.dims ?? [];
  if (raw.length > LIMITS.maxRank) throw tensorError(name, `rank ${raw.length} is too large`);
  const dims = raw.map((d) => toNum(d));
  let count = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw tensorError(name, `invalid dimension ${d}`);
    count *= d;
    if (count > LIMITS.maxTensorElements) throw tensorError(name, `dims [${dims.join(', ')}] claim too many elements`);
  }
  return dims;
}

export function decodeTensor(t: onnx.ITensorProto, fallbackName = '?'): ConstTensor {
  const name = t.name || fallbackName;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData ?? []).length > 0) {
    throw tensorError(name, 'external data is not supported');
  }
  const info = DTYPES[t.dataType ?? 0];
  if (!info) throw tensorError(name, `data type ${dtypeName(t.dataType)} is not supported here`);
  const dims = decodeDims(t, name);
  const n = numElements(dims);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    if (raw.length !== n * info.bytes) {
      throw tensorError(name, `raw_data has ${raw.length} bytes, dims [${dims.join(', ')}] of ${info.dtype} need ${n * info.bytes}`);
    }
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    switch (info.dtype) {
      case 'float': {
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getFloat32(i * 4, true);
        return { name, dtype: 'float', dims, data: out };
      }
      case 'uint8':
        return { name, dtype: 'uint8', dims, data: Uint8Array.from(raw) };
      case 'int8':
        return { name, dtype: 'int8', dims, data: new Int8Array(Uint8Array.from(raw).buffer) };
      case 'int32': {
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = dv.getInt32(i * 4, true);
        return { name, dtype: 'int32', dims, data: out };
      }
      case 'int64': {
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
        return { name, dtype: 'int64', dims, data: out };
      }
    }
  }
  const field = (len: number, what: string): void => {
    if (len !== n) throw tensorError(name, `${what} has ${len} values, dims [${dims.join(', ')}] need ${n}`);
  };
  switch (info.dtype) {
    case 'float': {
      const src = t.floatData ?? [];
      field(src.length, 'float_data');
      return { name, dtype: 'float', dims, data: Float32Array.from(src) };
    }
    case 'uint8':
    case 'int8': {
      const src = t.int32Data ?? [];
      field(src.length, 'int32_data');
      const lo = info.dtype === 'uint8' ? 0 : -128;
      for (const v of src) {
        if (!Number.isInteger(v) || v < lo || v > lo + 255) throw tensorError(name, `value ${v} out of range for ${info.dtype}`);
      }
      return info.dtype === 'uint8'
        ? { name, dtype: 'uint8', dims, data: Uint8Array.from(src) }
        : { name, dtype: 'int8', dims, data: Int8Array.from(src) };
    }
    case 'int32': {
      const src = t.int32Data ?? [];
      field(src.length, 'int32_data');
      return { name, dtype: 'int32', dims, data: Int32Array.from(src) };
    }
    case 'int64': {
      const src = t.int64Data ?? [];
      field(src.length, 'int64_data');
      return { name, dtype: 'int64', dims, data: Float64Array.from(src.map((v) => toNum(v))) };
    }
  }
}

/** Values as float32 (for float tensors) or exact numbers. */
export function asNumbers(t: ConstTensor): number[] {
  return Array.from(t.data as ArrayLike<number>);
}
