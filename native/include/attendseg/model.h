// Model description handed to the engine: a topologically ordered list of fused int8 ops.
// Produced by the TypeScript ONNX importer (src/engine/onnx) or built directly in C++ tests.
// Tensors are NHWC uint8 with one (scale, zero_point) each; spatial sizes are derived per input size.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace attendseg {

struct QuantParams {
  float scale = 1.0f;
  int32_t zero_point = 0;  // 0..255 for uint8 activations
};

struct TensorSpec {
  std::string name;
  int32_t channels = 0;
  QuantParams q;
};

enum class OpKind : uint8_t {
  Conv,               // any kernel, stride, pads, dilation, groups (depthwise and grouped included)
  MaxPool,
  AveragePool,
  GlobalAveragePool,
  Resize,             // nearest or bilinear, by scales, by a fixed size, or to another tensor's size
  Add,                // elementwise; inputs[1] may broadcast ([1,1,C] or [H,W,1])
  Mul,                // elementwise; same broadcasting as Add
  Concat,             // along channels
  Lut,                // pointwise table: Sigmoid, Mul/Add by constants, standalone Relu/Clip, requantize
};

enum class ResizeMode : uint8_t { Nearest, Linear };
// ONNX coordinate_transformation_mode values we accept.
enum class CoordMode : uint8_t { HalfPixel, PytorchHalfPixel, AlignCorners, Asymmetric };
// ONNX nearest_mode values.
enum class NearestMode : uint8_t { RoundPreferFloor, RoundPreferCeil, Floor, Ceil };

struct ConvSpec {
  int32_t kernel_h = 1, kernel_w = 1;
  int32_t stride_h = 1, stride_w = 1;
  int32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  int32_t dilation_h = 1, dilation_w = 1;
  int32_t groups = 1;
  // ONNX layout [out_c][in_c / groups][kernel_h][kernel_w], symmetric int8 (zero point 0).
  std::vector<int8_t> weights;
  // int32 at scale in.scale * weight_scales[o]; empty means zero bias.
  std::vector<int32_t> bias;
  // Per output channel, or a single value for per-tensor weights.
  std::vector<float> weight_scales;
};

struct PoolSpec {
  int32_t kernel_h = 1, kernel_w = 1;
  int32_t stride_h = 1, stride_w = 1;
  int32_t pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
  bool ceil_mode = false;
  bool count_include_pad = false;  // AveragePool only
};

struct ResizeSpec {
  ResizeMode mode = ResizeMode::Nearest;
  CoordMode coord = CoordMode::HalfPixel;
  NearestMode nearest = NearestMode::RoundPreferFloor;
  // Exactly one target: scales (> 0), a fixed size (> 0), or the spatial size of tensor size_of.
  float scale_h = 0.0f, scale_w = 0.0f;
  int32_t out_h = 0, out_w = 0;
  int32_t size_of = -1;
};

struct LutSpec {
  // 256 entries (same table for every channel) or 256 * channels entries (table c at [c * 256]).
  std::vector<uint8_t> table;
};

struct OpSpec {
  OpKind kind = OpKind::Lut;
  std::string name;              // ONNX node name, used in error messages
  std::vector<int32_t> inputs;   // tensor indices
  int32_t output = -1;           // tensor index
  // Fused activation as a clamp in the output's quantized domain (Relu, Relu6, Clip).
  uint8_t act_min = 0, act_max = 255;
  ConvSpec conv;
  PoolSpec pool;
  ResizeSpec resize;
  LutSpec lut;
};

// How camera pixels become the network input: real = (pixel / 255 - mean[c]) / std[c], RGB order.
struct Normalization {
  float mean[3] = {0.0f, 0.0f, 0.0f};
  float std[3] = {1.0f, 1.0f, 1.0f};
};

struct ModelSpec {
  std::vector<TensorSpec> tensors;
  std::vector<OpSpec> ops;  // topological order
  int32_t input = -1;       // 3-channel network input tensor
  int32_t output = -1;      // per-class scores; the engine takes the argmax over its channels
  Normalization norm;
};

}  // namespace attendseg
