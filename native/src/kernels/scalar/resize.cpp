// Nearest and bilinear resize, NHWC uint8 (reference). See kernels.h "Resize".
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/pixel.h"

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

// y = clamp(round((float)(v - (in_zp << 22)) * mult) + out_zp, 0, 255)
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int32_t zp22 = a.in_zp * (1 << 22);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
    const int32_t wy = a.ys->w[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const int32_t wx = a.xs->w[ox];
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        const int32_t v = px::bilinear(r0[x0 + c], r0[x1 + c], r1[x0 + c], r1[x1 + c], wx, wy);
        out[c] = clamp_u8(round_clamped(static_cast<float>(v - zp22) * a.mult) + a.out_zp);
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
