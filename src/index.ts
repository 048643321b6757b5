export { Engine, kernelTables } from './engine/engine';
export type { EngineOptions, Frame, SegmentOptions, SegmentationResult } from './engine/engine';
export { importOnnx } from './engine/onnx';
export type { ModelSpec, ModelMetadata } from './engine/spec';
export { defaultModelPath, packageRoot, DEFAULT_MODEL_FILE } from './engine/default-model';
export * from './pipeline';
