// ONNX QDQ model import: decode, validate and fuse into the engine's ModelSpec.
import type { ModelMetadata, ModelSpec } from '../spec';
import { ModelImportError } from './errors';
import { fuseGraph } from './fuse';
import { Graph } from './graph';
import { loadModel } from './load';
import { parseMetadata, parseNorm, rawMetadata } from './metadata';

export { ModelImportError } from './errors';
export { stripQdq } from './strip-qdq';
export { defaultPalette } from './metadata';

export interface ImportedModel {
  spec: ModelSpec;
  metadata: ModelMetadata;
}

export function importOnnx(bytes: Uint8Array): ImportedModel {
  try {
    const model = loadModel(bytes);
    const raw = rawMetadata(model);
    const norm = parseNorm(raw);
    const graph = new Graph(model.graph);
    const spec = fuseGraph(graph, norm);
    const metadata = parseMetadata(raw, spec.tensors[spec.output].channels);
    return { spec, metadata };
  } catch (e) {
    if (e instanceof ModelImportError) throw e;
    // Anything else is a bug or a pathological input we did not foresee; still report it as an
    // import failure so that callers have one error type to handle.
    throw new ModelImportError(`model: import failed (${e instanceof Error ? e.message : String(e)})`);
  }
}
