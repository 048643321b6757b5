// A bounded walk over the ONNX protobuf's wire format before it is decoded: decoding builds one
// JavaScript object per message and array entry, so a small file of many tiny entries (60 MB of
// 30 million empty nodes) exhausts V8's heap before any limit on the decoded model is checked.
// The walk counts the entries of the messages a model is made of (model, graph, node,
// attribute, tensor, value info) without allocating, and refuses the file past a budget.
import { Reader } from 'protobufjs/minimal';

import { ModelImportError } from './errors';

type Kind = 'model' | 'graph' | 'node' | 'attribute' | 'tensor' | 'leaf';

// Submessage fields (onnx.proto) that the walk descends into; other fields count as one entry.
const CHILDREN: Record<Exclude<Kind, 'leaf'>, Record<number, Kind>> = {
  model: { 7: 'graph', 8: 'leaf', 14: 'leaf', 20: 'leaf' },
  graph: { 1: 'node', 5: 'tensor', 11: 'leaf', 12: 'leaf', 13: 'leaf', 14: 'leaf', 15: 'leaf' },
  node: { 5: 'attribute' },
  attribute: { 5: 'tensor', 6: 'graph', 10: 'tensor', 11: 'graph' },
  tensor: { 13: 'leaf', 14: 'leaf' },
};

const MAX_DEPTH = 16;

/**
 * Throws ModelImportError when the file holds more than maxEntries protobuf entries (each field
 * occurrence: a node, an attribute, a name...) or more than maxNumbers packed numbers (tensor
 * and attribute values, which decode into arrays).
 */
export function prescanModel(bytes: Uint8Array, maxEntries: number, maxNumbers: number): void {
  let entries = 0;
  let numbers = 0;
  const walk = (start: number, end: number, kind: Exclude<Kind, 'leaf'>, depth: number): void => {
    if (depth > MAX_DEPTH) throw new ModelImportError(`model: subgraphs nested deeper than ${MAX_DEPTH}`);
    const r = Reader.create(bytes.subarray(start, end));
    while (r.pos < r.len) {
      if (++entries > maxEntries)
        throw new ModelImportError(`model: more than ${maxEntries} protobuf entries (nodes, attributes, tensor values...): refused before decoding`);
      const tag = r.uint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      const child = CHILDREN[kind][field];
      if (wire === 2) {
        const len = r.uint32();
        if (r.pos + len > r.len) throw new ModelImportError('model: not a valid ONNX protobuf (a field runs past the end of the file)');
        if (child && child !== 'leaf') walk(start + r.pos, start + r.pos + len, child, depth + 1);
        else if (kind === 'tensor' || kind === 'attribute') {
          numbers += packedCount(field, len, kind);
          if (numbers > maxNumbers)
            throw new ModelImportError(`model: more than ${maxNumbers} tensor or attribute values: refused before decoding`);
        }
        r.skip(len);
      } else {
        r.skipType(wire);
      }
    }
  };
  try {
    walk(0, bytes.length, 'model', 0);
  } catch (e) {
    if (e instanceof ModelImportError) throw e;
    throw new ModelImportError(`model: not a valid ONNX protobuf (${e instanceof Error ? e.message : String(e)})`);
  }
}

// Packed repeated numbers decode into one array entry each: counted from their byte length
// without reading them (4 or 8 bytes per fixed-width value; at least one per varint).
const FIXED4: Record<'tensor' | 'attribute', number[]> = { tensor: [4], attribute: [7] };
const FIXED8: Record<'tensor' | 'attribute', number[]> = { tensor: [10], attribute: [] };
const VARINT: Record<'tensor' | 'attribute', number[]> = { tensor: [1, 5, 7, 11], attribute: [8] };

function packedCount(field: number, len: number, kind: 'tensor' | 'attribute'): number {
  if (FIXED4[kind].includes(field)) return Math.ceil(len / 4);
  if (FIXED8[kind].includes(field)) return Math.ceil(len / 8);
  return VARINT[kind].includes(field) ? len : 0;
}
