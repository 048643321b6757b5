// Nearest label upsampling and colorizing (reference).
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// label = labels[ys[oy] * lw + xs[ox]]; colour = palette[3 * (label % palette_size)].
void label_map(const LabelMapArgs& a, int row_begin, int row_end) {
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[oy]) * a.lw;
    for (int ox = 0; ox < a.out_w; ++ox) {
      const uint8_t label = lrow[a.xs[ox]];
      const size_t o = static_cast<size_t>(oy) * a.out_w + ox;
      if (a.label_out) a.label_out[o] = label;
      if (a.colorized_out) {
        const uint8_t* col = a.palette + 3 * (label % a.palette_size);
        a.colorized_out[o * 3] = col[0];
        a.colorized_out[o * 3 + 1] = col[1];
        a.colorized_out[o * 3 + 2] = col[2];
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
