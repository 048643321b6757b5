// Chooses each convolution's path, packs weights for the selected kernel table and folds zero
// points into biases, once per model.
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "attendseg/engine.h"
#include "network.h"

namespace attendseg {

int winograd_max_tile() {
  static const int tile = [] {
    const char* e = std::getenv("ATTENDSEG_WINOGRAD");
    if (e && std::strcmp(e, "0") == 0) return 0;
    if (e && std::strcmp(e, "2x2") == 0) return 2;
    return 4;
  }();
  return tile;
}

namespace {

// Winograd's transforms cost per channel what its multiplies save per channel pair, so few input
// channels favour im2col + GEMM. On AVX2 (Zen 3, 3x3 convs at 90x120 and 180x240, 16-64 output
// channels) Winograd takes 1.0-1.5x the time of im2col + GEMM at 8-12 input channels; from 16 up
// 0.5-0.6x against the vpmaddwd GEMM and 0.6-0.8x against the vpmaddubsw one.
constexpr int kWinogradMinInChannels = 16;

// Up to this many input channels im2col's byte rows and the GEMM's widening of them cost about
// as much as the multiplies; the small-channel kernel builds the widened rows directly (the 3x3
// stride-2 stem over RGB, K = 27: about 1.4x faster on AVX2).
constexpr int kSmallConvMaxInChannels = 4;

// The Winograd tile size for a conv (rows: weights [out_c][3][3][in_c]), 0 for none: F(4x4)
// where the table has it, the environment allows it and it is exact for these weights, else
// F(2x2) under the same conditions. F(4x4) does less of every part per output (GEMM, both
// transforms), and on AVX2 (Zen 3) it takes 0.6-0.75x the time of F(2x2) on each of the three
// 3x3 convs of the shipped model (24->32 at 180x240, 64->64 at 90x120), at 1 and 2 threads, so
// it is taken wherever it is exact.
int winograd_tile(const ConvSpec& c, int in_c, int out_c, const int8_t* rows, const kernels::KernelTable& k) {
  const bool shape = c.kernel_h == 3 && c.kernel_w == 3 && c.stride_h == 1 && c.stride_w == 1 && c.dilation_h == 1 &&
                     c.dilation_w == 1 && c.groups == 1 && in_c >= kWinogradMinInChannels;
  if (!shape) return 0;
  if (winograd_max_tile() >= 4 && k.winograd4x4.run && kernels::winograd4_fits(rows, in_c, out_c)) return 4;
  if (winograd_max_tile() >= 2 && k.winograd.run && kernels::winograd_fits(rows, in_c, out_c)) return 2;
  return 0;
}

// Moves a tensor between quantizations as ONNX Runtime's DequantizeLinear -> QuantizeLinear:
//   t[x] = clamp(round(((float)(x - zin) * sin) / sout) + zout, 0, 255)
std::vector<uint8_t> requant_table(const QuantParams& in, const QuantParams& out) {
  std::vector<uint8_t> t(256);
  for (int x = 0; x < 256; ++x) {
    const float v = static_cast<float>(x - in.zero_point) * in.scale;
    t[x] = kernels::clamp_u8(kernels::round_clamped(v / out.scale) + out.zero_point);
  }
  return t;
}

bool same_q(const QuantParams& a, const QuantParams& b) {
  return a.scale == b.scale && a.zero_point == b.zero_point;
}

void prepare_conv(const ModelSpec& spec, const OpSpec& op, const kernels::KernelTable& k, PreparedConv* pc) {
  const ConvSpec& c = op.conv;
  const QuantParams& qi = spec.tensors[op.inputs[0]].q;
  const QuantParams& qo = spec.tensors[op.output].q;
  pc->groups = c.groups;
  pc->in_c = spec.tensors[op.inputs[0]].channels;
  pc->out_c = spec.tensors[op.output].channels;
  pc->in_c_group = pc->in_c / c.groups;
  pc->out_c_group = pc->out_c / c.groups;
  const int taps = c.kernel_h * c.kernel_w;
  pc->K = taps * pc->in_c_group;
  pc->depthwise = c.groups == pc->in_c && c.groups == pc->out_c && c.groups > 1;
  pc->direct = taps == 1 && c.stride_h == 1 && c.stride_w == 1 && c.pad_top == 0 && c.pad_left == 0 &&
               c.pad_bottom == 0 && c.pad_right == 0 && c.groups == 1;

  pc->bias.resize(pc->out_c);
  pc->scale.resize(pc->out_c);
  for (int o = 0; o < pc->out_c; ++o) {
    const float ws = c.weight_scales.size() == 1 ? c.weight_scales[0] : c.weight_scales[o];
    // Same operation order as ONNX Runtime's requantization multiplier.
    pc->scale[o] = qi.scale * ws / qo.scale;
    int64_t sum = 0;
    const int8_t* w = c.weights.data() + size_t(o) * pc->K;
    for (int i = 0; i < pc->K; ++i) sum += w[i];
    const int64_t b = (c.bias.empty() ? 0 : c.bias[o]) - int64_t(qi.zero_point) * sum;
    if (b < INT32_MIN || b > INT32_MAX) throw Error("op '" + op.name + "': bias out of int32 range");
    pc->bias[o] = static_cast<int32_t>(b);
  }

  if (pc->depthwise) {
    pc->packed.emplace_back(k.dwconv.packed_bytes(c.kernel_h, c.kernel_w, pc->in_c));
    k.dwconv.pack(c.weights.data(), c.kernel_h, c.kernel_w, pc->in_c, pc->packed.back().data());
    return;
  }
  // GEMM rows follow im2col's order (ky, kx, c); ONNX stores [o][c][ky][kx].
  std::vector<int8_t> rows(size_t(pc->out_c_group) * pc->K);
  for (int g = 0; g < c.groups; ++g) {
    for (int o = 0; o < pc->out_c_group; ++o) {
      const int8_t* src = c.weights.data() + size_t(g * pc->out_c_group + o) * pc->K;
      int8_t* dst = rows.data() + size_t(o) * pc->K;
      for (int ci = 0; ci < pc->in_c_group; ++ci)
        for (int t = 0; t < taps; ++t) dst[t * pc->in_c_group + ci] = src[ci * taps + t];
    }
    pc->winograd = winograd_tile(c, pc->in_c, pc->out_c, rows.data(), k);
    if (pc->winograd) {
      const kernels::WinogradKernel& wk = kernels::winograd_kernel(k, pc->winograd);
      pc->packed.emplace_back(wk.packed_bytes(pc->in_c, pc->out_c));
      wk.pack(rows.data(), pc->in_c, pc->out_c, pc->packed.back().data());
      return;
    }
    pc->small = c.groups == 1 && !pc->direct && pc->in_c <= kSmallConvMaxInChannels &&
                pc->K <= kernels::kSmallConvMaxK && k.small_conv.run;
    if (pc->small) {
      pc->packed.emplace_back(k.small_conv.packed_bytes(pc->K, pc->out_c));
      k.small_conv.pack(rows.data(), pc->K, pc->out_c, pc->packed.back().data());
      return;
    }
    pc->packed.emplace_back(k.gemm.packed_bytes(pc->K, pc->out_c_group));
    k.gemm.pack(rows.data(), pc->K, pc->out_c_group, pc->packed.back().data());
  }
}

}  // namespace

PreparedModel::PreparedModel(const ModelSpec& s, const kernels::KernelTable& table) : spec(s), k(&table) {
  ops.resize(spec.ops.size());
  for (size_t i = 0; i < spec.ops.size(); ++i) {
    const OpSpec& op = spec.ops[i];
    PreparedOp& p = ops[i];
    p.spec = &op;
    const QuantParams& qo = spec.tensors[op.output].q;
    const QuantParams& qa = spec.tensors[op.inputs.empty() ? op.output : op.inputs[0]].q;
    switch (op.kind) {
      case OpKind::Conv: prepare_conv(spec, op, table, &p.conv); break;
      case OpKind::MaxPool:
        if (!same_q(qa, qo)) p.luts.push_back(requant_table(qa, qo));
        break;
      case OpKind::Resize:
        if (op.resize.mode == ResizeMode::Nearest && !same_q(qa, qo)) p.luts.push_back(requant_table(qa, qo));
        break;
      case OpKind::AveragePool:
      case OpKind::GlobalAveragePool: p.ratio = qa.scale / qo.scale; break;
      case OpKind::Add:
      case OpKind::Mul: break;  // the executor passes the three tensor scales
      case OpKind::Concat:
        for (int in : op.inputs)
          p.luts.push_back(same_q(spec.tensors[in].q, qo) ? std::vector<uint8_t>() : requant_table(spec.tensors[in].q, qo));
        break;
      case OpKind::Lut: break;
    }
  }
  const QuantParams& qin = spec.tensors[spec.input].q;
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 256; ++p) {
      const float real = (static_cast<float>(p) / 255.0f - spec.norm.mean[c]) / spec.norm.std[c];
      input_lut[c * 256 + p] = kernels::clamp_u8(kernels::round_clamped(real / qin.scale) + qin.zero_point);
    }
}

}  // namespace attendseg
