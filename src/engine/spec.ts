// The model description handed to the native engine; mirrors native/include/attendseg/model.h.
// The ONNX importer produces it; the addon validates it again before packing weights.

export interface QuantParams {
  scale: number;
  zeroPoint: number; // 0..255
}

export interface TensorSpec {
  name: string;
  channels: number;
  q: QuantParams;
}

export type OpKind =
  | 'Conv'
  | 'MaxPool'
  | 'AveragePool'
  | 'GlobalAveragePool'
  | 'Resize'
  | 'Add'
  | 'Mul'
  | 'Concat'
  | 'Lut';

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

export type ResizeMode = 'nearest' | 'linear';
export type CoordMode = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric';
export type NearestMode = 'round_prefer_floor' | 'round_prefer_ceil' | 'floor' | 'ceil';

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
