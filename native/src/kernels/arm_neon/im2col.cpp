// im2col for one group of a kxk convolution (kernels.h, Im2colArgs), NEON: the scalar
// algorithm (one copy per kernel row when its taps are adjacent whole pixels, else one per tap)
// with every copy and padding fill done by 8/16-byte vector moves instead of library calls:
// the runs are short (a 3-channel stem tap is 3 bytes, a 3x3 row of 24 channels 72 bytes).
#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/neon_util.h"

namespace attendseg {
namespace kernels {
namespace neon {

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  const size_t gc = static_cast<size_t>(a.group_channels);
  const size_t run = gc * a.kernel_w;  // bytes of one kernel row in A
  const bool dense = static_cast<size_t>(a.dilation_w) * a.in_stride == gc;
  for (int p = p_begin; p < p_end; ++p) {
    const int oy = p / a.out_w, ox = p % a.out_w;
    const int ix0 = ox * a.stride_w - a.pad_left;
    const bool cols_inside = ix0 >= 0 && ix0 + (a.kernel_w - 1) * a.dilation_w < a.in_w;
    uint8_t* row = A + static_cast<size_t>(p - p_begin) * lda;
    for (int ky = 0; ky < a.kernel_h; ++ky, row += run) {
      const int iy = oy * a.stride_h - a.pad_top + ky * a.dilation_h;
      if (iy < 0 || iy >= a.in_h) {
        fill_small(row, a.pad_value, run);
        continue;
      }
      const uint8_t* src = a.in + static_cast<size_t>(iy) * a.in_w * a.in_stride + a.c_offset;
      if (dense && cols_inside) {
        copy_small(row, src + static_cast<size_t>(ix0) * a.in_stride, run);
        continue;
      }
      for (int kx = 0; kx < a.kernel_w; ++kx) {
        const int ix = ix0 + kx * a.dilation_w;
        if (ix < 0 || ix >= a.in_w)
          fill_small(row + kx * gc, a.pad_value, gc);
        else
          copy_small(row + kx * gc, src + static_cast<size_t>(ix) * a.in_stride, gc);
      }
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
