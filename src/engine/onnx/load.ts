// Decode the protobuf and check the model-level envelope: opset, domains, sizes, external data.
import { onnx } from 'onnx-proto';
import { toNum } from './attrs';
import { ModelImportError, nodeError } from './errors';
import { prescanModel } from './prescan';

// The ONNX file's envelope; what the fused model may contain is the native contract's (modelLimits).
export const LIMITS = {
  maxFileBytes: 1 << 30,
  // protobuf entries and packed values the file may hold, checked before decoding (prescan.ts)
  maxProtobufEntries: 2_000_000,
  maxProtobufNumbers: 96 * 1024 * 1024,
  maxNodes: 100_000,
  maxInitializers: 100_000,
  maxInitializerElements: 64 * 1024 * 1024,
  maxTensorElements: 64 * 1024 * 1024,
  maxRank: 8,
  minOpset: 13,
};

function isDefaultDomain(d: string | null | undefined): boolean {
  return !d || d === 'ai.onnx';
}

export function decodeModel(bytes: Uint8Array): onnx.ModelProto {
  if (!(bytes instanceof Uint8Array)) throw new ModelImportError('model: expected a Uint8Array');
  if (bytes.length === 0) throw new ModelImportError('model: empty file');
  if (bytes.length > LIMITS.maxFileBytes) throw new ModelImportError(`model: file of ${bytes.length} bytes is too large`);
  prescanModel(bytes, LIMITS.maxProtobufEntries, LIMITS.maxProtobufNumbers);
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelImportError(`model: not a valid ONNX protobuf (${e instanceof Error ? e.message : String(e)})`);
  }
  return model;
}

/** Decodes and validates the envelope; returns the model with a graph present. */
export function loadModel(bytes: Uint8Array): onnx.ModelProto & { graph: onnx.IGraphProto } {
  const model = decodeModel(bytes);
  const graph = model.graph;
  if (!graph) throw new ModelImportError('model: no graph (not an ONNX model?)');

  let opset: number | undefined;
  for (const imp of model.opsetImport ?? []) {
    if (isDefaultDomain(imp.domain)) opset = toNum(imp.version);
  }
  if (opset === undefined) throw new ModelImportError('model: no opset import for the default ONNX domain');
  if (!(opset >= LIMITS.minOpset)) {
    throw new ModelImportError(`model: opset ${opset} is too old; opset >= ${LIMITS.minOpset} is required (re-export with opset_version=13)`);
  }

  const nodes = graph.node ?? [];
  if (nodes.length === 0) throw new ModelImportError('model: the graph has no nodes');
  if (nodes.length > LIMITS.maxNodes) throw new ModelImportError(`model: ${nodes.length} nodes exceed the limit of ${LIMITS.maxNodes}`);
  if ((graph.initializer ?? []).length > LIMITS.maxInitializers) {
    throw new ModelImportError(`model: ${(graph.initializer ?? []).length} initializers exceed the limit of ${LIMITS.maxInitializers}`);
  }
  if ((graph.sparseInitializer ?? []).length > 0) {
    throw new ModelImportError(`tensor '${graph.sparseInitializer![0].values?.name ?? '?'}': sparse initializers are not supported`);
  }
  for (const n of nodes) {
    if (!isDefaultDomain(n.domain)) throw nodeError(n, `domain '${n.domain}' is not supported (only the default ONNX domain)`);
  }
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData ?? []).length > 0) {
      throw new ModelImportError(`tensor '${t.name}': external data is not supported (save the model as a single file)`);
    }
  }
  return model as onnx.ModelProto & { graph: onnx.IGraphProto };
}
