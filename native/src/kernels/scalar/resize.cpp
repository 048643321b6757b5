// Nearest and bilinear resize, NHWC uint8 (reference). See kernels.h "Resize".
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int iy = a.ys->i0[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const uint8_t* in = a.in + (static_cast<size_t>(iy) * a.in_w + a.xs->i0[ox]) * C;
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) out[c] = a.lut ? a.lut[in[c]] : in[c];
    }
  }
}

// ONNX Runtime's float path (kernels.h "Resize"): dequantize the four neighbours, weight them
// with the products of the axis weights, sum left to right, divide by the output scale.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const float s = a.in_scale, os = a.out_scale;
  const int32_t zp = a.in_zp;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
      const float w11 = wx0 * wy0, w21 = wx1 * wy0, w12 = wx0 * wy1, w22 = wx1 * wy1;
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        const float X11 = static_cast<float>(r0[x0 + c] - zp) * s;
        const float X21 = static_cast<float>(r0[x1 + c] - zp) * s;
        const float X12 = static_cast<float>(r1[x0 + c] - zp) * s;
        const float X22 = static_cast<float>(r1[x1 + c] - zp) * s;
        float v = w11 * X11;
        v = v + w21 * X21;
        v = v + w12 * X12;
        v = v + w22 * X22;
        out[c] = clamp_u8(round_clamped(v / os) + a.out_zp);
      }
    }
  }
}

// The reference: the whole Resize, then the argmax (and confidence) of each of its output rows.
void resize_linear_argmax(const ResizeArgmaxArgs& a, int row_begin, int row_end) {
  resize_linear(a.resize, row_begin, row_end);
  const size_t w = static_cast<size_t>(a.resize.out_w);
  const ArgmaxArgs aa{a.resize.out, a.resize.channels, a.labels, a.confidence, a.softmax};
  argmax(aa, static_cast<size_t>(row_begin) * w, static_cast<size_t>(row_end) * w);
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
