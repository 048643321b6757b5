// Label colours blended onto the camera frame at input resolution (reference).
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/pixel.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// out[(y * width + x) * 3 + c] = (src_rgb[c] * (256 - alpha) + colour[c] * alpha + 128) >> 8,
// colour = palette[3 * (labels[ys[y] * lw + xs[x]] % palette_size)].
void overlay(const OverlayArgs& a, int row_begin, int row_end) {
  const int W = a.image.width;
  for (int y = row_begin; y < row_end; ++y) {
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[y]) * a.lw;
    for (int x = 0; x < W; ++x) {
      const uint8_t* col = a.palette + 3 * (lrow[a.xs[x]] % a.palette_size);
      uint8_t src[3];
      px::pixel_rgb(a.image, x, y, src);
      uint8_t* out = a.out + (static_cast<size_t>(y) * W + x) * 3;
      for (int c = 0; c < 3; ++c) out[c] = px::blend(src[c], col[c], a.alpha);
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
