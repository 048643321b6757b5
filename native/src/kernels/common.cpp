// ISA-independent table builders shared by every kernel table (see kernels.h).
//
// These tables fix the sampling positions of Resize, the image preprocess and the label
// upsampling; every ISA reads the same tables, so only the arithmetic per pixel is ISA code.
// The TypeScript reference (src/engine) re-implements build_image_axis and label_index_table and
// must match them bit for bit: the formulas are written out in the comments below.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

namespace {

// ONNX coordinate_transformation_mode (attendseg::CoordMode order), computed in single precision
// in the same order as ONNX Runtime's get_original_coordinate (upsamplebase.h):
//   0 half_pixel:         x = (d + 0.5) / scale - 0.5
//   1 pytorch_half_pixel: x = out > 1 ? (d + 0.5) / scale - 0.5 : 0
//   2 align_corners:      x = out == 1 ? 0 : d * (in - 1) / (out - 1)
//   3 asymmetric:         x = d / scale
float original_coordinate(int d, float scale, int in_size, int out_size, int coord_mode) {
  const float xr = static_cast<float>(d);
  switch (coord_mode) {
    case 1:
      return out_size > 1 ? (xr + 0.5f) / scale - 0.5f : 0.0f;
    case 2:
      return out_size == 1 ? 0.0f
                           : xr * static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1);
    case 3:
      return xr / scale;
    case 0:
    default:
      return (xr + 0.5f) / scale - 0.5f;
  }
}

// ONNX nearest_mode (attendseg::NearestMode order), as ONNX Runtime's get_nearest_pixel:
//   0 round_prefer_floor: x == trunc(x) + 0.5 ? floor(x) : round(x)  (round = half away from 0)
//   1 round_prefer_ceil:  round(x)
//   2 floor:              floor(x)
//   3 ceil:               ceil(x)
// The caller clamps the result to [0, in - 1].
int64_t nearest_pixel(float x, int nearest_mode) {
  switch (nearest_mode) {
    case 1:
      return static_cast<int64_t>(std::round(x));
    case 2:
      return static_cast<int64_t>(std::floor(x));
    case 3:
      return static_cast<int64_t>(std::ceil(x));
    case 0:
    default:
      if (x == static_cast<float>(static_cast<int64_t>(x)) + 0.5f) return static_cast<int64_t>(std::floor(x));
      return static_cast<int64_t>(std::round(x));
  }
}

}  // namespace

// Resize tables per output index d (ONNX Resize, opset >= 13):
//   s = scale > 0 ? scale : (float)out / (float)in          (the ONNX scale, out / in)
//   x = original_coordinate(d) (above, single precision)
// Nearest: i0 = i1 = clamp(nearest_pixel(x), 0, in - 1); w0, w1 stay empty.
// Linear, as ONNX Runtime's bilinear setup (SetupUpsampleBilinear), in single precision:
//   x  = s == 1 ? d : x;  x = max(0, min(x, in - 1))
//   i0 = min((int)x, in - 1); i1 = min(i0 + 1, in - 1)
//   w1 = |x - (float)i0|  (ORT's dx1, weight of i1); w0 = |x - (float)i1|  (dx2, weight of i0)
//   i0 == i1: w0 = w1 = 0.5
void build_resize_axis(int in_size, int out_size, float scale, int coord_mode, int nearest_mode,
                       bool linear, ResizeAxis* axis) {
  const float s = scale > 0.0f ? scale : static_cast<float>(out_size) / static_cast<float>(in_size);
  const size_t n = out_size > 0 ? static_cast<size_t>(out_size) : 0;
  axis->i0.assign(n, 0);
  axis->i1.assign(n, 0);
  axis->w.clear();
  axis->w0.clear();
  axis->w1.clear();
  if (linear) {
    axis->w0.assign(n, 0.0f);
    axis->w1.assign(n, 0.0f);
  }
  const int last = in_size - 1;
  for (int d = 0; d < out_size; ++d) {
    if (linear) {
      float x = s == 1.0f ? static_cast<float>(d) : original_coordinate(d, s, in_size, out_size, coord_mode);
      x = std::max(0.0f, std::min(x, static_cast<float>(last)));
      const int32_t i0 = std::min(static_cast<int32_t>(x), last);
      const int32_t i1 = std::min(i0 + 1, last);
      axis->i0[d] = i0;
      axis->i1[d] = i1;
      if (i0 == i1) {
        axis->w0[d] = 0.5f;
        axis->w1[d] = 0.5f;
      } else {
        axis->w1[d] = std::fabs(x - static_cast<float>(i0));
        axis->w0[d] = std::fabs(x - static_cast<float>(i1));
      }
    } else {
      const float x = original_coordinate(d, s, in_size, out_size, coord_mode);
      int64_t i = nearest_pixel(x, nearest_mode);
      if (i > last) i = last;
      if (i < 0) i = 0;
      axis->i0[d] = static_cast<int32_t>(i);
      axis->i1[d] = static_cast<int32_t>(i);
    }
  }
}

// Image preprocess axis, EXACTLY (double precision; the TypeScript reference computes the same):
//   scale = in / out
//   src   = (d + 0.5) * scale - 0.5;  if (src < 0) src = 0
//   i0    = floor(src)
//   if (i0 >= in - 1): i0 = i1 = in - 1, w = 0
//   else:              i1 = i0 + 1,      w = floor((src - i0) * 2048 + 0.5)
void build_image_axis(int in_size, int out_size, ResizeAxis* axis) {
  const size_t n = out_size > 0 ? static_cast<size_t>(out_size) : 0;
  axis->i0.assign(n, 0);
  axis->i1.assign(n, 0);
  axis->w.assign(n, 0);
  const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
  for (int d = 0; d < out_size; ++d) {
    double src = (static_cast<double>(d) + 0.5) * scale - 0.5;
    if (src < 0.0) src = 0.0;
    const double fl = std::floor(src);
    int32_t i0 = static_cast<int32_t>(fl);
    if (i0 >= in_size - 1) {
      axis->i0[d] = in_size - 1;
      axis->i1[d] = in_size - 1;
      axis->w[d] = 0;
    } else {
      axis->i0[d] = i0;
      axis->i1[d] = i0 + 1;
      axis->w[d] = static_cast<int16_t>(std::floor((src - static_cast<double>(i0)) * 2048.0 + 0.5));
    }
  }
}

void build_softmax_table(float scale, uint32_t table[256]) {
  for (int k = 0; k < 256; ++k)
    table[k] = static_cast<uint32_t>(std::lround(65536.0 * std::exp(-static_cast<double>(scale) * k)));
}

bool requant_bounded(int64_t acc_min, int64_t acc_max, float scale) {
  const double m = std::max(std::fabs(static_cast<double>(acc_min)), std::fabs(static_cast<double>(acc_max)));
  // float(acc) and the product each round by at most 2^-24 relative: under 2^30 * (1 - 2^-20)
  // the result stays under 2^30.
  return std::isfinite(scale) && m * std::fabs(static_cast<double>(scale)) < std::ldexp(1.0 - std::ldexp(1.0, -20), 30);
}

bool requant_bounded(const int8_t* w, int K, int N, const Requant& rq) {
  for (int n = 0; n < N; ++n) {
    int64_t positive = 0, negative = 0;
    for (int k = 0; k < K; ++k) {
      const int8_t v = w[static_cast<size_t>(n) * K + k];
      (v > 0 ? positive : negative) += v;
    }
    const int64_t b = rq.bias ? rq.bias[n] : 0;
    if (!requant_bounded(b + 255 * negative, b + 255 * positive, rq.scale[n])) return false;
  }
  return true;
}

bool resize_quotient_bounded(const ResizeArgs& a) {
  const double in = std::fabs(static_cast<double>(a.in_scale)), out = std::fabs(static_cast<double>(a.out_scale));
  return std::isfinite(in) && std::isfinite(out) && out > 0 && in <= std::ldexp(out, 20);
}

bool resize_labels_may_skip(const ResizeArgs& a, int row_begin, int row_end) {
  if (a.in_scale != a.out_scale || a.in_zp != a.out_zp || a.channels >= kResizeLabelUnsure) return false;
  auto convex = [](float w0, float w1) { return w0 >= 0.0f && w1 >= 0.0f && std::fabs(w0 + w1 - 1.0f) <= 1e-6f; };
  for (int ox = 0; ox < a.out_w; ++ox)
    if (!convex(a.xs->w0[ox], a.xs->w1[ox])) return false;
  for (int oy = row_begin; oy < row_end; ++oy)
    if (!convex(a.ys->w0[oy], a.ys->w1[oy])) return false;
  return true;
}

// Label upsampling, integer only: src = ((2 * dst + 1) * in) / (2 * out)  (truncating division,
// every term non-negative; always < in).
void label_index_table(int in_size, int out_size, std::vector<int32_t>* table) {
  const size_t n = out_size > 0 ? static_cast<size_t>(out_size) : 0;
  table->assign(n, 0);
  for (int d = 0; d < out_size; ++d) {
    const int64_t src = ((2 * static_cast<int64_t>(d) + 1) * in_size) / (2 * static_cast<int64_t>(out_size));
    (*table)[d] = static_cast<int32_t>(src);
  }
}

KernelTable inherit(KernelTable t, const KernelTable& b) {
  auto fill = [](auto& mine, const auto& theirs) {
    if (!mine) mine = theirs;
  };
  fill(t.corrected_quotient, b.corrected_quotient);
  if (!t.gemm.run) t.gemm = b.gemm;
  fill(t.im2col, b.im2col);
  if (!t.dwconv.run) t.dwconv = b.dwconv;
  if (!t.winograd.run) t.winograd = b.winograd;
  if (!t.winograd4x4.run) t.winograd4x4 = b.winograd4x4;
  if (!t.small_conv.run) t.small_conv = b.small_conv;
  fill(t.gemm_macs_per_insn, b.gemm_macs_per_insn);
  fill(t.winograd_macs_per_insn, b.winograd_macs_per_insn);
  fill(t.maxpool, b.maxpool);
  fill(t.avgpool, b.avgpool);
  fill(t.resize_nearest, b.resize_nearest);
  fill(t.resize_linear, b.resize_linear);
  fill(t.resize_linear_argmax, b.resize_linear_argmax);
  fill(t.add, b.add);
  fill(t.mul, b.mul);
  fill(t.lut, b.lut);
  fill(t.copy_channels, b.copy_channels);
  fill(t.argmax, b.argmax);
  fill(t.preprocess, b.preprocess);
  fill(t.label_map, b.label_map);
  fill(t.overlay, b.overlay);
  fill(t.peak_loop, b.peak_loop);
  return t;
}

}  // namespace kernels
}  // namespace attendseg
