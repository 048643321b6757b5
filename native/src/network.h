// The network side of the engine: a model prepared once for one kernel table (packed weights,
// folded biases, requantization tables), plans built once per input size (shapes, arena
// layout, resize tables), and the executor that runs a plan.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "aligned_buffer.h"
#include "attendseg/model.h"
#include "kernels/kernels.h"
#include "thread_pool.h"

namespace attendseg {

// How a convolution is computed. Depthwise and Direct follow from the shape; the others are
// candidates for the same conv, all bit-identical, and the plan picks among them by timing them
// at its input size (choose_conv_paths), so the choice follows the CPU, the table and the layer.
enum class ConvPath : uint8_t {
  Depthwise,  // groups == in == out channels: the depthwise kernel
  Direct,     // 1x1, stride 1, no pads, groups 1: GEMM straight on the input
  Im2col,     // im2col tiles + GEMM (any conv)
  Small,      // groups 1, K <= kSmallConvMaxK: the small-channel kernel
  Winograd2,  // 3x3, stride 1, dilation 1, groups 1, exact for the weights: F(2x2)
  Winograd4,  // the same with F(4x4)
};
const char* conv_path_name(ConvPath p);
inline int winograd_tile_of(ConvPath p) { return p == ConvPath::Winograd4 ? 4 : p == ConvPath::Winograd2 ? 2 : 0; }
// Whether Winograd with tile x tile outputs leads im2col in a conv's static path order on table k:
// from 16 input channels, where its multiplies cost the table fewer instructions than the GEMM's
// (KernelTable::gemm_macs_per_insn, winograd_macs_per_insn).
bool winograd_leads(const kernels::KernelTable& k, int tile, int in_c);

struct ConvCandidate {
  ConvPath path = ConvPath::Im2col;
  std::vector<AlignedBuffer> packed;  // Im2col: one per group; the others: one
};

struct PreparedConv {
  // The paths this conv can take on its table, the one expected fastest first (taken when the
  // plan does not measure: ATTENDSEG_CONV_PATHS=static, and in plans no engine has timed).
  std::vector<ConvCandidate> paths;
  int groups = 1, in_c = 0, out_c = 0, in_c_group = 0, out_c_group = 0, K = 0;
  std::vector<int32_t> bias;          // per out channel, -in_zp * sum(w) folded in
  std::vector<float> scale;           // per out channel: in_scale * w_scale / out_scale
  bool requant_bounded = true;        // kernels.h Requant::bounded, for every channel
};

struct PreparedOp {
  const OpSpec* spec = nullptr;
  PreparedConv conv;
  // Requantize tables (empty when input and output quantization are equal): MaxPool and
  // nearest Resize use luts[0]; Concat uses one per input.
  std::vector<std::vector<uint8_t>> luts;
  float ratio = 0;  // AveragePool / GlobalAveragePool: in_scale / out_scale
  // Add, Mul, linear Resize: how the kernel takes the quotient by the output scale (kernels.h
  // "Quotients by a reciprocal").
  kernels::Quotient quotient = kernels::Quotient::Division;
  // Add: its parameters in integers for operands in the op's order, where find_integer_add
  // found them (kernels.h "Add in integers").
  kernels::IntegerAdd integer;
};

// An Add's or Mul's zero points, scales and activation range with operands ia, ib in that order
// (either order: both ops commute); the tensors, channels, broadcast and quotient are the caller's.
kernels::BinaryArgs binary_quantization(const ModelSpec& s, const OpSpec& op, int ia, int ib);

struct PreparedModel {
  ModelSpec spec;
  const kernels::KernelTable* k = nullptr;
  std::vector<PreparedOp> ops;
  uint8_t input_lut[3 * 256];  // camera pixel (0..255) -> quantized network input, per RGB channel
  kernels::InputAffine input_affine;  // input_lut in integers, where find_input_affine found them
  uint32_t softmax[256];       // the confidence's softmax table of the output's scale (kernels.h ArgmaxArgs)
  PreparedModel(const ModelSpec& s, const kernels::KernelTable& table);
};

// The largest Winograd tile a conv may get, from the environment's ATTENDSEG_WINOGRAD (read
// once): "0" 0 (no conv is offered Winograd), "2x2" 2 (F(2x2) only), otherwise 4.
int winograd_max_tile();

// How a Winograd conv's tiles (tile x tile outputs) are split into run calls: each tile row into
// `per_row` blocks of at most `width` tiles, so a call's transformed input stays in L2 and rows
// give parallelism.
struct WinogradBlocks {
  int tiles_h = 0, tiles_w = 0, per_row = 0, width = 0;
  int count() const { return tiles_h * per_row; }
};
WinogradBlocks winograd_blocks(int out_h, int out_w, int tile);

struct Shape {
  int h = 0, w = 0, c = 0;
  size_t bytes() const { return size_t(h) * w * c; }
};

struct PlanOp {
  kernels::ResizeAxis ys, xs;  // Resize only
};

struct Plan {
  int net_h = 0, net_w = 0;
  std::vector<Shape> shapes;    // per tensor
  std::vector<size_t> offsets;  // per tensor, into arena
  std::vector<PlanOp> ops;
  AlignedBuffer arena;
  // im2col tiles and Winograd blocks: scratch_per_thread bytes per thread
  int tile_pixels = 0;
  size_t tile_stride = 0;
  size_t scratch_per_thread = 0;
  AlignedBuffer scratch;
  int64_t macs = 0;
  std::vector<uint8_t> conv_path;  // per op: index into its conv's paths (0: the first)

  uint8_t* tensor(int t) { return arena.data() + offsets[t]; }
};

// Throws attendseg::Error naming the op when the input is too small for the network, and naming
// the largest tensor when the plan's activations (arena and scratch) would exceed max_bytes
// (0: no limit) at this input size; nothing is allocated then.
std::unique_ptr<Plan> build_plan(const PreparedModel& m, int net_h, int net_w, int threads, size_t max_bytes = 0);
// Runs the network on plan's input tensor. With `labels` (output height * width bytes), also the
// per-pixel argmax of the output: fused into the last op where that op is a Resize (the usual
// final upsampling), so each block of output rows is reduced while it is still in cache, and a
// linear one computes only the values the labels need (the output tensor is then partly
// unwritten); after the network otherwise. With `confidence` (as many bytes, needs labels), the
// winning class's softmax probability x 255 in the same pass (kernels.h ArgmaxArgs).
void execute(const PreparedModel& m, Plan& plan, ThreadPool& pool, uint8_t* labels = nullptr,
             uint8_t* confidence = nullptr);
// Times every candidate path of each conv that has several, on this plan's shapes with this pool
// (best of a few runs, on whatever the arena holds), and keeps the fastest in plan.conv_path.
// Nothing is timed when ATTENDSEG_CONV_PATHS=static.
void choose_conv_paths(const PreparedModel& m, Plan& plan, ThreadPool& pool);

}  // namespace attendseg
