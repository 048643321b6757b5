// Fused image preprocess (reference): any encoding -> RGB -> bilinear resize -> per-channel table.
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/pixel.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// For output (oy, ox): the neighbours (ys.i0/i1[oy], xs.i0/i1[ox]) are converted to RGB, then per
// channel c: v = bilinear(p00, p01, p10, p11, wx, wy); pix = (v + (1 << 21)) >> 22;
// out[(oy * net_w + ox) * 3 + c] = lut[c * 256 + pix].
void preprocess(const PreprocessArgs& a, int row_begin, int row_end) {
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = a.ys->i0[oy], y1 = a.ys->i1[oy];
    const int32_t wy = a.ys->w[oy];
    for (int ox = 0; ox < a.net_w; ++ox) {
      const int x0 = a.xs->i0[ox], x1 = a.xs->i1[ox];
      const int32_t wx = a.xs->w[ox];
      uint8_t p00[3], p01[3], p10[3], p11[3];
      px::pixel_rgb(a.image, x0, y0, p00);
      px::pixel_rgb(a.image, x1, y0, p01);
      px::pixel_rgb(a.image, x0, y1, p10);
      px::pixel_rgb(a.image, x1, y1, p11);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.net_w + ox) * 3;
      for (int c = 0; c < 3; ++c) {
        const int32_t v = px::bilinear(p00[c], p01[c], p10[c], p11[c], wx, wy);
        out[c] = a.lut[c * 256 + ((v + (1 << 21)) >> 22)];
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
