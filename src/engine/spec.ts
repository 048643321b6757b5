// The model description handed to the native engine, field for field native/include/attendseg/model.h.
// The ONNX importer produces it; the native validator (check_model) is the only one that decides
// whether a model is acceptable. Names and limits come from the addon (modelContract): the name
// lists below exist for the types, and test/model/contract.test.ts checks them against it.
import { loadAddon } from './native';

export interface QuantParams {
  scale: number;
  zeroPoint: number; // 0..255
}

export interface TensorSpec {
  name: string;
  channels: number;
  q: QuantParams;
}

/** In the order of the C++ enums: dump_spec.ts writes them as indices into these lists. */
export const OP_KINDS = ['Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'Resize', 'Add', 'Mul', 'Concat', 'Lut'] as const;
export const RESIZE_MODES = ['nearest', 'linear'] as const;
export const COORD_MODES = ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric'] as const;
export const NEAREST_MODES = ['round_prefer_floor', 'round_prefer_ceil', 'floor', 'ceil'] as const;

export type OpKind = (typeof OP_KINDS)[number];

export interface ConvSpec {
  kernel: [number, number]; // [h, w]
  stride: [number, number];
  pads: [number, number, number, number]; // [top, left, bottom, right]
  dilation: [number, number];
  groups: number;
  weights: Int8Array; // [out_c][in_c / groups][kh][kw]
  bias: Int32Array; // at in.scale * weightScales[o]; length 0 or out_c
  weightScales: Float32Array; // length 1 or out_c
}

export interface PoolSpec {
  kernel: [number, number];
  stride: [number, number];
  pads: [number, number, number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
}

export type ResizeMode = (typeof RESIZE_MODES)[number];
export type CoordMode = (typeof COORD_MODES)[number];
export type NearestMode = (typeof NEAREST_MODES)[number];

export interface ResizeSpec {
  mode: ResizeMode;
  coord: CoordMode;
  nearest: NearestMode;
  /** Exactly one target: scales, a fixed size, or the spatial size of tensor `sizeOf`. */
  scales?: [number, number]; // [h, w]
  size?: [number, number]; // [h, w]
  sizeOf?: number;
}

export interface OpSpec {
  kind: OpKind;
  name: string;
  inputs: number[];
  output: number;
  actMin?: number; // fused Relu/Clip as a clamp in the output's quantized domain
  actMax?: number;
  conv?: ConvSpec;
  pool?: PoolSpec;
  resize?: ResizeSpec;
  lut?: Uint8Array; // 256 or 256 * channels entries
}

export interface Normalization {
  mean: [number, number, number];
  std: [number, number, number];
}

export interface ModelSpec {
  tensors: TensorSpec[];
  ops: OpSpec[];
  input: number;
  output: number;
  norm: Normalization;
}

/** The limits of attendseg/model.h, as the native validator enforces them. */
export interface ModelLimits {
  maxChannels: number;
  maxClasses: number;
  maxConvKernel: number;
  maxConvStride: number;
  maxConvDilation: number;
  maxPoolKernel: number;
  maxPoolStride: number;
  maxPad: number;
  /** Quantization scales and normalization std, as float32: minScale <= s <= maxScale. */
  minScale: number;
  maxScale: number;
  /** Resize scales lie within 1 / maxResizeScale .. maxResizeScale. */
  maxResizeScale: number;
  maxResizeSide: number;
  /** Frames and network input sizes, each side. */
  maxImageSide: number;
  maxOps: number;
  maxWeightElements: number;
}

export interface ModelContract {
  opKinds: readonly string[];
  resizeModes: readonly string[];
  coordModes: readonly string[];
  nearestModes: readonly string[];
  limits: Readonly<ModelLimits>;
}

/** The native side's limits, which the importer checks early to name the ONNX node at fault. */
export function modelLimits(): Readonly<ModelLimits> {
  return loadAddon().modelContract.limits;
}

/** Whether the native side takes `s` as a quantization scale or std (it stores float32). */
export function isValidScale(s: number): boolean {
  const f = Math.fround(s);
  const { minScale, maxScale } = modelLimits();
  return f >= minScale && f <= maxScale;
}

/** The rule isValidScale applies, for error messages. */
export function scaleRule(): string {
  const { minScale, maxScale } = modelLimits();
  return `within ${minScale.toPrecision(1)}..${maxScale.toPrecision(1)}`;
}

/** What the model file says about itself (ONNX metadata_props), with defaults where absent. */
export interface ModelMetadata {
  classNames: string[];
  palette: Uint8Array; // rgb triplets, one per class
  inputWidth: number;
  inputHeight: number;
  voidIndex: number | null;
  norm: Normalization;
  raw: Record<string, string>;
}
