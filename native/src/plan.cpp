// Per input size: tensor shapes, one arena with lifetimes packed first-fit, resize tables.
#include <algorithm>
#include <cmath>
#include <string>

#include "attendseg/engine.h"
#include "network.h"

namespace attendseg {

namespace {

[[noreturn]] void too_small(const OpSpec& op, int net_h, int net_w, const std::string& why) {
  throw Error("network input " + std::to_string(net_w) + "x" + std::to_string(net_h) + " does not fit op '" +
              op.name + "': " + why);
}

int conv_out(int in, int pad_a, int pad_b, int k, int stride, int dil) {
  const int span = in + pad_a + pad_b - dil * (k - 1) - 1;
  return span < 0 ? 0 : span / stride + 1;
}

// ONNX/ONNX Runtime pooling output size; with ceil_mode the last window must start inside
// the input or its leading pad.
int pool_out(int in, int pad_a, int pad_b, int k, int stride, bool ceil_mode) {
  const int span = in + pad_a + pad_b - k;
  if (span < 0) return 0;
  int out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad_a) --out;
  return out;
}

constexpr size_t kAlign = 64;
size_t align_up(size_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

}  // namespace

WinogradBlocks winograd_blocks(int out_h, int out_w, int tile) {
  // 64 output columns: 32 F(2x2) tiles of 64 channels are 64 KiB of transformed input, 16 F(4x4)
  // tiles 72 KiB.
  const int kMaxWidth = 64 / tile;
  WinogradBlocks b;
  b.tiles_h = (out_h + tile - 1) / tile;
  b.tiles_w = (out_w + tile - 1) / tile;
  b.per_row = (b.tiles_w + kMaxWidth - 1) / kMaxWidth;
  b.width = b.per_row ? (b.tiles_w + b.per_row - 1) / b.per_row : 0;
  return b;
}

std::unique_ptr<Plan> build_plan(const PreparedModel& m, int net_h, int net_w, int threads, size_t max_bytes) {
  const ModelSpec& spec = m.spec;
  auto plan = std::make_unique<Plan>();
  plan->net_h = net_h;
  plan->net_w = net_w;
  const int nt = static_cast<int>(spec.tensors.size());
  plan->shapes.assign(nt, Shape{});
  plan->offsets.assign(nt, 0);
  plan->ops.resize(spec.ops.size());
  plan->conv_path.assign(spec.ops.size(), 0);
  plan->shapes[spec.input] = {net_h, net_w, 3};
  size_t max_k = 0, winograd_scratch = 0;

  for (size_t i = 0; i < spec.ops.size(); ++i) {
    const OpSpec& op = spec.ops[i];
    const Shape in = plan->shapes[op.inputs[0]];
    Shape out{0, 0, spec.tensors[op.output].channels};
    switch (op.kind) {
      case OpKind::Conv: {
        const ConvSpec& c = op.conv;
        out.h = conv_out(in.h, c.pad_top, c.pad_bottom, c.kernel_h, c.stride_h, c.dilation_h);
        out.w = conv_out(in.w, c.pad_left, c.pad_right, c.kernel_w, c.stride_w, c.dilation_w);
        const PreparedConv& pc = m.ops[i].conv;
        plan->macs += int64_t(out.h) * out.w * pc.out_c * pc.K;
        // Scratch for every candidate: the choice among them is made on this plan.
        for (const ConvCandidate& cc : pc.paths) {
          if (const int tile = winograd_tile_of(cc.path))
            winograd_scratch = std::max(winograd_scratch, kernels::winograd_kernel(*m.k, tile).scratch_bytes(
                                                              pc.in_c, winograd_blocks(out.h, out.w, tile).width));
          else if (cc.path == ConvPath::Im2col)
            max_k = std::max(max_k, size_t(pc.K));
        }
        break;
      }
      case OpKind::MaxPool:
      case OpKind::AveragePool: {
        const PoolSpec& p = op.pool;
        out.h = pool_out(in.h, p.pad_top, p.pad_bottom, p.kernel_h, p.stride_h, p.ceil_mode);
        out.w = pool_out(in.w, p.pad_left, p.pad_right, p.kernel_w, p.stride_w, p.ceil_mode);
        break;
      }
      case OpKind::GlobalAveragePool: out.h = out.w = 1; break;
      case OpKind::Resize: {
        const ResizeSpec& r = op.resize;
        if (r.size_of >= 0) {
          out.h = plan->shapes[r.size_of].h;
          out.w = plan->shapes[r.size_of].w;
        } else if (r.out_h > 0) {
          out.h = r.out_h;
          out.w = r.out_w;
        } else {
          out.h = static_cast<int>(std::floor(double(in.h) * r.scale_h));
          out.w = static_cast<int>(std::floor(double(in.w) * r.scale_w));
        }
        if (out.h > kMaxImageSide || out.w > kMaxImageSide) too_small(op, net_h, net_w, "output would exceed " + std::to_string(kMaxImageSide) + " pixels a side");
        const bool linear = r.mode == ResizeMode::Linear;
        kernels::build_resize_axis(in.h, out.h, r.size_of < 0 && r.out_h == 0 ? r.scale_h : 0.0f, int(r.coord),
                                   int(r.nearest), linear, &plan->ops[i].ys);
        kernels::build_resize_axis(in.w, out.w, r.size_of < 0 && r.out_w == 0 ? r.scale_w : 0.0f, int(r.coord),
                                   int(r.nearest), linear, &plan->ops[i].xs);
        break;
      }
      case OpKind::Add:
      case OpKind::Mul: {
        const Shape b = plan->shapes[op.inputs[1]];
        // The full operand decides the output; the other is equal, 1x1 (per channel) or C == 1.
        const Shape& full = (in.h * in.w >= b.h * b.w && in.c >= b.c) ? in : b;
        const Shape& other = &full == &in ? b : in;
        out.h = full.h;
        out.w = full.w;
        const bool ok = (other.h == full.h && other.w == full.w && (other.c == full.c || other.c == 1)) ||
                        (other.h == 1 && other.w == 1 && other.c == full.c);
        if (!ok)
          too_small(op, net_h, net_w,
                    "operand shapes " + std::to_string(in.h) + "x" + std::to_string(in.w) + "x" + std::to_string(in.c) +
                        " and " + std::to_string(b.h) + "x" + std::to_string(b.w) + "x" + std::to_string(b.c) +
                        " do not broadcast");
        break;
      }
      case OpKind::Concat:
        out.h = in.h;
        out.w = in.w;
        for (int t : op.inputs)
          if (plan->shapes[t].h != in.h || plan->shapes[t].w != in.w)
            too_small(op, net_h, net_w, "inputs have different spatial sizes");
        break;
      case OpKind::Lut:
        out.h = in.h;
        out.w = in.w;
        break;
    }
    if (out.h < 1 || out.w < 1) too_small(op, net_h, net_w, "its output would be empty");
    plan->shapes[op.output] = out;
  }

  // Lifetimes: a tensor lives from the op that writes it to the last op that reads it; the
  // network output lives to the end (argmax reads it).
  std::vector<int> last(nt, -1);
  for (size_t i = 0; i < spec.ops.size(); ++i) {
    last[spec.ops[i].output] = std::max(last[spec.ops[i].output], static_cast<int>(i));
    for (int t : spec.ops[i].inputs) last[t] = std::max(last[t], static_cast<int>(i));
  }
  last[spec.output] = static_cast<int>(spec.ops.size());
  struct Block {
    size_t off, size;
    int tensor;
  };
  std::vector<Block> live;
  size_t arena = 0;
  auto place = [&](int t, int now) {
    live.erase(std::remove_if(live.begin(), live.end(), [&](const Block& b) { return last[b.tensor] < now; }), live.end());
    std::sort(live.begin(), live.end(), [](const Block& a, const Block& b) { return a.off < b.off; });
    const size_t size = align_up(plan->shapes[t].bytes());
    size_t off = 0;
    for (const Block& b : live) {
      if (off + size <= b.off) break;
      off = std::max(off, b.off + b.size);
    }
    live.push_back({off, size, t});
    plan->offsets[t] = off;
    arena = std::max(arena, off + size);
  };
  // The budget, before anything is placed or allocated: one tensor alone can be past it (and its
  // size past what first-fit arithmetic should see).
  const auto mib = [](size_t b) { return std::to_string((b + (1 << 20) - 1) >> 20) + " MiB"; };
  int largest = spec.input;
  for (int t = 0; t < nt; ++t)
    if (plan->shapes[t].bytes() > plan->shapes[largest].bytes()) largest = t;
  const auto over_budget = [&](size_t need, const char* how) {
    const Shape& s = plan->shapes[largest];
    throw Error("network input " + std::to_string(net_w) + "x" + std::to_string(net_h) + " needs " + how + mib(need) +
                " of activations, over the limit of " + mib(max_bytes) + " (max_activation_mb); the largest tensor is '" +
                spec.tensors[largest].name + "', " + std::to_string(s.h) + "x" + std::to_string(s.w) + "x" +
                std::to_string(s.c) + " = " + std::to_string(s.bytes()) + " bytes");
  };
  if (max_bytes && plan->shapes[largest].bytes() > max_bytes) over_budget(plan->shapes[largest].bytes(), "at least ");

  place(spec.input, -1);
  for (size_t i = 0; i < spec.ops.size(); ++i) place(spec.ops[i].output, static_cast<int>(i));

  // im2col tiles: enough rows per tile to amortise the GEMM's weight panel loads.
  plan->tile_pixels = 64;
  plan->tile_stride = (max_k + 15) / 16 * 16;
  plan->scratch_per_thread = align_up(std::max(plan->tile_stride * plan->tile_pixels, winograd_scratch));
  const size_t scratch = plan->scratch_per_thread * std::max(threads, 1);
  if (max_bytes && arena + scratch > max_bytes) over_budget(arena + scratch, "");
  plan->arena.resize(arena);
  if (scratch) plan->scratch.resize(scratch);
  return plan;
}

}  // namespace attendseg
