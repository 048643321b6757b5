// The one error type the importer throws: every message names the node (name and op_type) or the
// tensor concerned, and the reason.
import type { onnx } from 'onnx-proto';

export class ModelImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelImportError';
  }
}

export function describeNode(node: onnx.INodeProto): string {
  return `node '${node.name || '(unnamed)'}' (${node.opType || '?'})`;
}

export function nodeError(node: onnx.INodeProto, reason: string): ModelImportError {
  return new ModelImportError(`${describeNode(node)}: ${reason}`);
}

export function tensorError(name: string, reason: string): ModelImportError {
  return new ModelImportError(`tensor '${name}': ${reason}`);
}
