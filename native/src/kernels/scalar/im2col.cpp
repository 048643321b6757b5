// im2col for one group of a kxk convolution (kernels.h, Im2colArgs). One contiguous copy of
// group_channels bytes per kernel tap, or pad_value where the tap falls outside the image.
// Every ISA uses this implementation: the work is memory moves that memcpy already vectorizes.
#include <cstring>

#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  const size_t gc = static_cast<size_t>(a.group_channels);
  for (int p = p_begin; p < p_end; ++p) {
    const int oy = p / a.out_w, ox = p % a.out_w;
    uint8_t* row = A + static_cast<size_t>(p - p_begin) * lda;
    for (int ky = 0; ky < a.kernel_h; ++ky) {
      const int iy = oy * a.stride_h - a.pad_top + ky * a.dilation_h;
      for (int kx = 0; kx < a.kernel_w; ++kx, row += gc) {
        const int ix = ox * a.stride_w - a.pad_left + kx * a.dilation_w;
        if (iy < 0 || iy >= a.in_h || ix < 0 || ix >= a.in_w) {
          std::memset(row, a.pad_value, gc);
        } else {
          const size_t pixel = static_cast<size_t>(iy) * a.in_w + ix;
          std::memcpy(row, a.in + pixel * a.in_stride + a.c_offset, gc);
        }
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
