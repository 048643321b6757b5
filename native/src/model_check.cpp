#include "model_check.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "attendseg/engine.h"

namespace attendseg {

namespace {

const char* kind_name(OpKind k) {
  const size_t i = static_cast<size_t>(k);
  return i < kOpKindCount ? kOpKindNames[i] : "?";
}

[[noreturn]] void fail_op(const OpSpec& op, size_t index, const std::string& why) {
  throw Error("model op #" + std::to_string(index) + " '" + op.name + "' (" + kind_name(op.kind) + "): " + why);
}

bool in_range(int v, int lo, int hi) { return v >= lo && v <= hi; }
bool good_scale(float s) { return s >= kMinScale && s <= kMaxScale; }  // false for NaN
std::string scale_rule() {
  char rule[64];
  std::snprintf(rule, sizeof(rule), "must be within %g..%g", double(kMinScale), double(kMaxScale));
  return rule;
}

void check_pads(const OpSpec& op, size_t i, int t, int l, int b, int r) {
  if (!in_range(t, 0, kMaxPad) || !in_range(l, 0, kMaxPad) || !in_range(b, 0, kMaxPad) || !in_range(r, 0, kMaxPad))
    fail_op(op, i, "pads must be within 0.." + std::to_string(kMaxPad));
}

}  // namespace

void check_model(const ModelSpec& spec) {
  const int nt = static_cast<int>(spec.tensors.size());
  if (nt == 0) throw Error("model has no tensors");
  if (spec.ops.empty()) throw Error("model has no ops");
  if (spec.ops.size() > kMaxOps) throw Error("model has too many ops (" + std::to_string(spec.ops.size()) + ")");
  for (int t = 0; t < nt; ++t) {
    const auto& ts = spec.tensors[t];
    if (!in_range(ts.channels, 1, kMaxChannels))
      throw Error("tensor '" + ts.name + "': channels " + std::to_string(ts.channels) + " outside 1.." +
                  std::to_string(kMaxChannels));
    if (!good_scale(ts.q.scale)) throw Error("tensor '" + ts.name + "': scale " + scale_rule());
    if (!in_range(ts.q.zero_point, 0, 255)) throw Error("tensor '" + ts.name + "': zero point outside 0..255");
  }
  if (!in_range(spec.input, 0, nt - 1)) throw Error("model input tensor index out of range");
  if (!in_range(spec.output, 0, nt - 1)) throw Error("model output tensor index out of range");
  if (spec.tensors[spec.input].channels != 3)
    throw Error("model input '" + spec.tensors[spec.input].name + "' must have 3 channels (RGB), has " +
                std::to_string(spec.tensors[spec.input].channels));
  if (spec.tensors[spec.output].channels > kMaxClasses)
    throw Error("model output has " + std::to_string(spec.tensors[spec.output].channels) +
                " classes; label maps are mono8, at most " + std::to_string(kMaxClasses));
  for (int c = 0; c < 3; ++c)
    if (!std::isfinite(spec.norm.mean[c]) || !good_scale(spec.norm.std[c]))
      throw Error("normalization mean must be finite and std " + scale_rule());

  // Each tensor is produced once, before it is read (the input is produced by the frame).
  std::vector<char> produced(nt, 0);
  produced[spec.input] = 1;
  size_t weight_elements = 0;
  for (size_t i = 0; i < spec.ops.size(); ++i) {
    const OpSpec& op = spec.ops[i];
    if (!in_range(op.output, 0, nt - 1)) fail_op(op, i, "output tensor index out of range");
    if (produced[op.output]) fail_op(op, i, "tensor '" + spec.tensors[op.output].name + "' is produced twice");
    for (int in : op.inputs) {
      if (!in_range(in, 0, nt - 1)) fail_op(op, i, "input tensor index out of range");
      if (!produced[in]) fail_op(op, i, "reads tensor '" + spec.tensors[in].name + "' before it is produced");
    }
    if (op.act_min > op.act_max) fail_op(op, i, "activation clamp min > max");
    const int out_c = spec.tensors[op.output].channels;
    auto in_c = [&](size_t k) { return spec.tensors[op.inputs[k]].channels; };
    auto need_inputs = [&](size_t n) {
      if (op.inputs.size() != n) fail_op(op, i, "expects " + std::to_string(n) + " input(s)");
    };
    switch (op.kind) {
      case OpKind::Conv: {
        need_inputs(1);
        const ConvSpec& c = op.conv;
        if (!in_range(c.kernel_h, 1, kMaxConvKernel) || !in_range(c.kernel_w, 1, kMaxConvKernel))
          fail_op(op, i, "kernel must be 1.." + std::to_string(kMaxConvKernel));
        if (!in_range(c.stride_h, 1, kMaxConvStride) || !in_range(c.stride_w, 1, kMaxConvStride))
          fail_op(op, i, "stride must be 1.." + std::to_string(kMaxConvStride));
        if (!in_range(c.dilation_h, 1, kMaxConvDilation) || !in_range(c.dilation_w, 1, kMaxConvDilation))
          fail_op(op, i, "dilation must be 1.." + std::to_string(kMaxConvDilation));
        check_pads(op, i, c.pad_top, c.pad_left, c.pad_bottom, c.pad_right);
        if (c.groups < 1 || in_c(0) % c.groups || out_c % c.groups)
          fail_op(op, i, "groups " + std::to_string(c.groups) + " must divide input (" + std::to_string(in_c(0)) +
                             ") and output (" + std::to_string(out_c) + ") channels");
        const size_t expect = size_t(out_c) * (in_c(0) / c.groups) * c.kernel_h * c.kernel_w;
        if (c.weights.size() != expect)
          fail_op(op, i, "weights have " + std::to_string(c.weights.size()) + " elements, expected " + std::to_string(expect));
        weight_elements += expect;
        if (!c.bias.empty() && c.bias.size() != size_t(out_c)) fail_op(op, i, "bias size must be 0 or out channels");
        if (c.weight_scales.size() != 1 && c.weight_scales.size() != size_t(out_c))
          fail_op(op, i, "weight scales must have 1 or out-channel entries");
        for (float s : c.weight_scales)
          if (!good_scale(s)) fail_op(op, i, "weight scales " + scale_rule());
        break;
      }
      case OpKind::MaxPool:
      case OpKind::AveragePool: {
        need_inputs(1);
        const PoolSpec& p = op.pool;
        if (!in_range(p.kernel_h, 1, kMaxPoolKernel) || !in_range(p.kernel_w, 1, kMaxPoolKernel))
          fail_op(op, i, "kernel must be 1.." + std::to_string(kMaxPoolKernel));
        if (!in_range(p.stride_h, 1, kMaxPoolStride) || !in_range(p.stride_w, 1, kMaxPoolStride))
          fail_op(op, i, "stride must be 1.." + std::to_string(kMaxPoolStride));
        check_pads(op, i, p.pad_top, p.pad_left, p.pad_bottom, p.pad_right);
        if (p.pad_top >= p.kernel_h || p.pad_bottom >= p.kernel_h || p.pad_left >= p.kernel_w || p.pad_right >= p.kernel_w)
          fail_op(op, i, "pads must be smaller than the kernel");
        if (in_c(0) != out_c) fail_op(op, i, "input and output channels differ");
        break;
      }
      case OpKind::GlobalAveragePool:
        need_inputs(1);
        if (in_c(0) != out_c) fail_op(op, i, "input and output channels differ");
        break;
      case OpKind::Resize: {
        need_inputs(1);
        const ResizeSpec& r = op.resize;
        const int targets = (r.scale_h > 0 || r.scale_w > 0) + (r.out_h > 0 || r.out_w > 0) + (r.size_of >= 0);
        if (targets != 1) fail_op(op, i, "needs exactly one target: scales, a size, or another tensor's size");
        if ((r.scale_h > 0 || r.scale_w > 0) &&
            (!std::isfinite(r.scale_h) || !std::isfinite(r.scale_w) || r.scale_h < 1.0f / kMaxResizeScale ||
             r.scale_w < 1.0f / kMaxResizeScale || r.scale_h > kMaxResizeScale || r.scale_w > kMaxResizeScale))
          fail_op(op, i, "scales must be within 1/" + std::to_string(kMaxResizeScale) + ".." + std::to_string(kMaxResizeScale));
        if ((r.out_h > 0 || r.out_w > 0) && (!in_range(r.out_h, 1, kMaxResizeSide) || !in_range(r.out_w, 1, kMaxResizeSide)))
          fail_op(op, i, "output size must be 1.." + std::to_string(kMaxResizeSide));
        if (r.size_of >= 0 && (r.size_of >= nt || !produced[r.size_of]))
          fail_op(op, i, "size reference tensor is unknown or not yet produced");
        if (in_c(0) != out_c) fail_op(op, i, "input and output channels differ");
        break;
      }
      case OpKind::Add:
      case OpKind::Mul:
        need_inputs(2);
        // One operand has the output's channels; the other the same or 1 (broadcast).
        if (!((in_c(0) == out_c && (in_c(1) == out_c || in_c(1) == 1)) || (in_c(1) == out_c && in_c(0) == 1)))
          fail_op(op, i, "input channels " + std::to_string(in_c(0)) + " and " + std::to_string(in_c(1)) +
                             " do not broadcast to the output's " + std::to_string(out_c));
        break;
      case OpKind::Concat: {
        if (op.inputs.empty()) fail_op(op, i, "needs at least one input");
        int sum = 0;
        for (size_t k = 0; k < op.inputs.size(); ++k) sum += in_c(k);
        if (sum != out_c) fail_op(op, i, "input channels sum to " + std::to_string(sum) + ", output has " + std::to_string(out_c));
        break;
      }
      case OpKind::Lut:
        need_inputs(1);
        if (in_c(0) != out_c) fail_op(op, i, "input and output channels differ");
        if (op.lut.table.size() != 256 && op.lut.table.size() != size_t(256) * out_c)
          fail_op(op, i, "table must have 256 or 256 * channels entries");
        break;
      default:
        fail_op(op, i, "unknown op kind");
    }
    if (weight_elements > kMaxWeightElements) fail_op(op, i, "model weights exceed the size limit");
    produced[op.output] = 1;
  }
  if (!produced[spec.output]) throw Error("model output tensor is never produced");
}

}  // namespace attendseg
