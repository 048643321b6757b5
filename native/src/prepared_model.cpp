// Chooses each convolution's path, packs weights for the selected kernel table and folds zero
// points into biases, once per model.
#include <cmath>

#include "attendseg/engine.h"
#include "env_settings.h"
#include "network.h"

namespace attendseg {

int winograd_max_tile() { return env_settings().winograd_max_tile; }

const char* conv_path_name(ConvPath p) {
  switch (p) {
    case ConvPath::Depthwise: return "dw";
    case ConvPath::Direct: return "1x1";
    case ConvPath::Im2col: return "im2col";
    case ConvPath::Small: return "small";
    case ConvPath::Winograd2: return "winograd";
    case ConvPath::Winograd4: return "winograd4x4";
  }
  return "?";
}

namespace {

// The order candidates are offered in, which is the path taken where nothing is timed. Winograd's
// transforms cost per channel what its multiplies save per channel pair, so it leads from 16
// input channels (on AVX2, Zen 3: 0.5-0.8x the im2col time from 16 channels, 1.0-1.5x at 8-12),
// F(4x4) before F(2x2) (0.6-0.75x its time on every 3x3 conv of the shipped model), and only
// where its multiplies cost the table fewer instructions than the GEMM's (winograd_leads); then
// the small-channel kernel (a 3x3 stem over RGB: about 1.4x faster than im2col on AVX2), then
// im2col, then the Winograd paths that do not lead.
constexpr int kWinogradLeadsFromInChannels = 16;


// The small-channel kernels are written (and tested) for up to 4 input channels (an RGB stem).
constexpr int kSmallConvMaxInChannels = 4;

void pack_candidate(ConvCandidate* cc, const kernels::KernelTable& k, const int8_t* rows, const PreparedConv& pc) {
  switch (cc->path) {
    case ConvPath::Small:
      cc->packed.emplace_back(k.small_conv.packed_bytes(pc.K, pc.out_c));
      k.small_conv.pack(rows, pc.K, pc.out_c, cc->packed.back().data());
      break;
    case ConvPath::Winograd2:
    case ConvPath::Winograd4: {
      const kernels::WinogradKernel& wk = kernels::winograd_kernel(k, winograd_tile_of(cc->path));
      cc->packed.emplace_back(wk.packed_bytes(pc.in_c, pc.out_c));
      wk.pack(rows, pc.in_c, pc.out_c, cc->packed.back().data());
      break;
    }
    default: break;
  }
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
  const bool depthwise = c.groups == pc->in_c && c.groups == pc->out_c && c.groups > 1;
  const bool direct = taps == 1 && c.stride_h == 1 && c.stride_w == 1 && c.pad_top == 0 && c.pad_left == 0 &&
                      c.pad_bottom == 0 && c.pad_right == 0 && c.groups == 1;

  pc->bias.resize(pc->out_c);
  pc->scale.resize(pc->out_c);
  for (int o = 0; o < pc->out_c; ++o) {
    const float ws = c.weight_scales.size() == 1 ? c.weight_scales[0] : c.weight_scales[o];
    // Same operation order as ONNX Runtime's requantization multiplier.
    pc->scale[o] = qi.scale * ws / qo.scale;
    int64_t sum = 0, positive = 0, negative = 0;
    const int8_t* w = c.weights.data() + size_t(o) * pc->K;
    for (int i = 0; i < pc->K; ++i) {
      sum += w[i];
      (w[i] > 0 ? positive : negative) += w[i];
    }
    const int64_t b = (c.bias.empty() ? 0 : c.bias[o]) - int64_t(qi.zero_point) * sum;
    if (b < INT32_MIN || b > INT32_MAX) throw Error("op '" + op.name + "': bias out of int32 range");
    // Every kernel accumulates bias + sum(a * w) over uint8 a in int32: refuse a channel whose
    // extremes do not fit (the reference's signed overflow would be undefined; SIMD would wrap).
    if (b + 255 * negative < INT32_MIN || b + 255 * positive > INT32_MAX)
      throw Error("op '" + op.name + "': bias " + std::to_string(c.bias.empty() ? 0 : c.bias[o]) + " of channel " +
                  std::to_string(o) + " with its weights can overflow the int32 accumulator");
    pc->bias[o] = static_cast<int32_t>(b);
    pc->requant_bounded = pc->requant_bounded && kernels::requant_bounded(b + 255 * negative, b + 255 * positive, pc->scale[o]);
  }

  if (depthwise) {
    ConvCandidate& cc = pc->paths.emplace_back();
    cc.path = ConvPath::Depthwise;
    cc.packed.emplace_back(k.dwconv.packed_bytes(c.kernel_h, c.kernel_w, pc->in_c));
    k.dwconv.pack(c.weights.data(), c.kernel_h, c.kernel_w, pc->in_c, cc.packed.back().data());
    return;
  }
  // GEMM rows follow im2col's order (ky, kx, c); ONNX stores [o][c][ky][kx].
  std::vector<int8_t> rows(size_t(pc->out_c) * pc->K);
  for (int o = 0; o < pc->out_c; ++o) {
    const int8_t* src = c.weights.data() + size_t(o) * pc->K;
    int8_t* dst = rows.data() + size_t(o) * pc->K;
    for (int ci = 0; ci < pc->in_c_group; ++ci)
      for (int t = 0; t < taps; ++t) dst[t * pc->in_c_group + ci] = src[ci * taps + t];
  }
  // The GEMM: one packing per group, shared by Direct and Im2col.
  ConvCandidate gemm;
  gemm.path = direct ? ConvPath::Direct : ConvPath::Im2col;
  for (int g = 0; g < c.groups; ++g) {
    gemm.packed.emplace_back(k.gemm.packed_bytes(pc->K, pc->out_c_group));
    k.gemm.pack(rows.data() + size_t(g) * pc->out_c_group * pc->K, pc->K, pc->out_c_group, gemm.packed.back().data());
  }
  if (direct) {
    pc->paths.push_back(std::move(gemm));
    return;
  }
  std::vector<ConvPath> winograd;
  const bool win_shape = c.kernel_h == 3 && c.kernel_w == 3 && c.stride_h == 1 && c.stride_w == 1 &&
                         c.dilation_h == 1 && c.dilation_w == 1 && c.groups == 1;
  if (win_shape && winograd_max_tile() >= 4 && k.winograd4x4.run && kernels::winograd4_fits(rows.data(), pc->in_c, pc->out_c))
    winograd.push_back(ConvPath::Winograd4);
  if (win_shape && winograd_max_tile() >= 2 && k.winograd.run && kernels::winograd_fits(rows.data(), pc->in_c, pc->out_c))
    winograd.push_back(ConvPath::Winograd2);
  const bool small = c.groups == 1 && pc->in_c <= kSmallConvMaxInChannels && pc->K <= kernels::kSmallConvMaxK &&
                     k.small_conv.run;
  std::vector<ConvPath> order, trailing;
  for (ConvPath path : winograd)
    (winograd_leads(k, winograd_tile_of(path), pc->in_c) ? order : trailing).push_back(path);
  if (small) order.push_back(ConvPath::Small);
  order.push_back(ConvPath::Im2col);
  order.insert(order.end(), trailing.begin(), trailing.end());
  for (ConvPath path : order) {
    if (path == ConvPath::Im2col) {
      pc->paths.push_back(std::move(gemm));
      continue;
    }
    ConvCandidate& cc = pc->paths.emplace_back();
    cc.path = path;
    pack_candidate(&cc, k, rows.data(), *pc);
  }
}

}  // namespace

// Winograd's (tile + 2)^2 multiplies per tile and channel pair against the direct 9 * tile^2, at
// the table's multiply-accumulates per instruction for each (unstated rates count as equal). The
// neon table's F(2x2) does 36 / 16 x 4 = 9 per SMLAL against its GEMM's 4; the dot-product GEMM's
// 16 per SDOT beats that, so there im2col leads.
bool winograd_leads(const kernels::KernelTable& k, int tile, int in_c) {
  if (in_c < kWinogradLeadsFromInChannels) return false;
  const int gemm = k.gemm_macs_per_insn ? k.gemm_macs_per_insn : 1;
  const int winograd = k.winograd_macs_per_insn ? k.winograd_macs_per_insn : 1;
  return 9 * tile * tile * winograd > (tile + 2) * (tile + 2) * gemm;
}

kernels::BinaryArgs binary_quantization(const ModelSpec& s, const OpSpec& op, int ia, int ib) {
  kernels::BinaryArgs b{};
  b.za = s.tensors[ia].q.zero_point;
  b.zb = s.tensors[ib].q.zero_point;
  b.zy = s.tensors[op.output].q.zero_point;
  b.sa = s.tensors[ia].q.scale;
  b.sb = s.tensors[ib].q.scale;
  b.sy = s.tensors[op.output].q.scale;
  b.qmin = op.act_min;
  b.qmax = op.act_max;
  return b;
}

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
        if (op.resize.mode == ResizeMode::Linear && table.corrected_quotient &&
            kernels::resize_corrected_quotient_exact(qa.scale, qo.scale))
          p.quotient = kernels::Quotient::Corrected;
        break;
      case OpKind::AveragePool:
      case OpKind::GlobalAveragePool: p.ratio = qa.scale / qo.scale; break;
      case OpKind::Add:
      case OpKind::Mul: {
        const kernels::BinaryArgs b = binary_quantization(spec, op, op.inputs[0], op.inputs[1]);
        const bool is_mul = op.kind == OpKind::Mul;
        if (kernels::binary_quotient_exact(b, is_mul, kernels::Quotient::Reciprocal))
          p.quotient = kernels::Quotient::Reciprocal;
        else if (table.corrected_quotient && kernels::binary_quotient_exact(b, is_mul, kernels::Quotient::Corrected))
          p.quotient = kernels::Quotient::Corrected;
        if (!is_mul) kernels::find_integer_add(b, &p.integer);
        break;
      }
      case OpKind::Concat:
        for (int in : op.inputs)
          p.luts.push_back(same_q(spec.tensors[in].q, qo) ? std::vector<uint8_t>() : requant_table(spec.tensors[in].q, qo));
        break;
      case OpKind::Lut: break;
    }
  }
  const QuantParams& qin = spec.tensors[spec.input].q;
  kernels::build_input_lut(spec.norm.mean, spec.norm.std, qin.scale, qin.zero_point, input_lut);
  kernels::find_input_affine(input_lut, &input_affine);
  kernels::build_softmax_table(spec.tensors[spec.output].q.scale, softmax);
}

}  // namespace attendseg
