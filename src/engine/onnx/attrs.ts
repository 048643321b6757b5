// Attribute access and protobuf int64 conversion (protobufjs may hand out Long objects).
import type { onnx } from 'onnx-proto';
import { nodeError } from './errors';

interface LongLike {
  toNumber(): number;
}

/** int64 (number or Long) to a JS number; values beyond 2^53 lose precision but stay huge. */
export function toNum(v: number | LongLike | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && typeof (v as LongLike).toNumber === 'function') return (v as LongLike).toNumber();
  return Number.NaN;
}

function find(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

export function hasAttr(node: onnx.INodeProto, name: string): boolean {
  return find(node, name) !== undefined;
}

export function attrInt(node: onnx.INodeProto, name: string, def: number): number {
  const a = find(node, name);
  if (!a) return def;
  const v = toNum(a.i);
  if (!Number.isSafeInteger(v)) throw nodeError(node, `attribute '${name}' is not a valid integer`);
  return v;
}

export function attrFloat(node: onnx.INodeProto, name: string, def: number): number {
  const a = find(node, name);
  if (!a) return def;
  const v = a.f ?? 0;
  if (!Number.isFinite(v)) throw nodeError(node, `attribute '${name}' is not finite`);
  return v;
}

export function attrInts(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  if (!a) return undefined;
  const list = a.ints ?? [];
  if (list.length > 64) throw nodeError(node, `attribute '${name}' has ${list.length} values`);
  return list.map((x) => {
    const v = toNum(x);
    if (!Number.isSafeInteger(v)) throw nodeError(node, `attribute '${name}' holds an invalid integer`);
    return v;
  });
}

export function attrString(node: onnx.INodeProto, name: string, def: string): string {
  const a = find(node, name);
  if (!a || !a.s) return def;
  if (a.s.length > 256) throw nodeError(node, `attribute '${name}' is too long`);
  return Buffer.from(a.s).toString('utf8');
}

export function attrTensor(node: onnx.INodeProto, name: string): onnx.ITensorProto | undefined {
  return find(node, name)?.t ?? undefined;
}

export function attrFloats(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = find(node, name);
  if (!a) return undefined;
  return (a.floats ?? []).slice(0, 4096);
}
