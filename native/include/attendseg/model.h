// Model description handed to the engine: a topologically ordered list of fused int8 ops.
// Produced by the TypeScript ONNX importer (src/engine/onnx) or built directly in C++ tests.
// Tensors are NHWC uint8 with one (scale, zero_point) each; spatial sizes are derived per input size.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "attendseg/image.h"

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

// ---- The model contract -----------------------------------------------------------------------
// The one definition of the names and limits of a model: check_model (the only validator)
// enforces the limits, the addon exports names and limits (modelContract()), the TypeScript
// importer reads them from there, and the spec file stores enums as indices into these tables.
// Names are in enum order.
inline constexpr const char* kOpKindNames[] = {"Conv",   "MaxPool", "AveragePool", "GlobalAveragePool", "Resize",
                                               "Add",    "Mul",     "Concat",      "Lut"};
inline constexpr const char* kResizeModeNames[] = {"nearest", "linear"};
inline constexpr const char* kCoordModeNames[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"};
inline constexpr const char* kNearestModeNames[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
constexpr size_t kOpKindCount = sizeof(kOpKindNames) / sizeof(kOpKindNames[0]);
constexpr size_t kResizeModeCount = sizeof(kResizeModeNames) / sizeof(kResizeModeNames[0]);
constexpr size_t kCoordModeCount = sizeof(kCoordModeNames) / sizeof(kCoordModeNames[0]);
constexpr size_t kNearestModeCount = sizeof(kNearestModeNames) / sizeof(kNearestModeNames[0]);
static_assert(kOpKindCount == size_t(OpKind::Lut) + 1, "one name per op kind");
static_assert(kResizeModeCount == size_t(ResizeMode::Linear) + 1, "one name per resize mode");
static_assert(kCoordModeCount == size_t(CoordMode::Asymmetric) + 1, "one name per coordinate mode");
static_assert(kNearestModeCount == size_t(NearestMode::Ceil) + 1, "one name per nearest mode");

// Generous for the networks we run, small enough that a hostile spec cannot make us allocate
// without bound.
constexpr int32_t kMaxChannels = 4096;            // any tensor
constexpr int32_t kMaxClasses = 256;              // the output tensor: label maps are mono8
constexpr int32_t kMaxConvKernel = 7;
constexpr int32_t kMaxConvStride = 8;
constexpr int32_t kMaxConvDilation = 8;
constexpr int32_t kMaxPoolKernel = 64;
constexpr int32_t kMaxPoolStride = 64;
constexpr int32_t kMaxPad = 64;                   // each side, conv and pool
// Quantization scales and norm std lie within kMinScale..kMaxScale, so that every ratio the kernels
// form (in * w / out, in / out, 1 / std / in) stays finite: a subnormal output scale made
// in / out infinite and 0 * inf a NaN.
constexpr float kMinScale = 1e-12f;
constexpr float kMaxScale = 1e12f;
constexpr int32_t kMaxResizeScale = 64;           // scales within 1/kMaxResizeScale..kMaxResizeScale
constexpr int32_t kMaxResizeSide = kMaxImageSide; // a fixed Resize output size, each side
constexpr size_t kMaxOps = 100000;
constexpr size_t kMaxWeightElements = size_t(64) << 20;  // all conv weights together

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
