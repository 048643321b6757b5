// im2col for one group of a kxk convolution (kernels.h, Im2colArgs). Every ISA uses this
// implementation: the work is byte moves, and what makes it fast is doing few of them, not
// wider registers. The tests check it against a direct convolution (through the GEMM).
#include <cstring>

#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

namespace {

// memcpy for the short runs im2col moves (often 3 bytes of an RGB pixel): two overlapping fixed
// size copies instead of a library call, for n up to 16.
inline void copy_bytes(uint8_t* d, const uint8_t* s, size_t n) {
  if (n >= 8 && n <= 16) {
    std::memcpy(d, s, 8);
    std::memcpy(d + n - 8, s + n - 8, 8);
  } else if (n >= 4 && n < 8) {
    std::memcpy(d, s, 4);
    std::memcpy(d + n - 4, s + n - 4, 4);
  } else if (n >= 2 && n < 4) {
    std::memcpy(d, s, 2);
    std::memcpy(d + n - 2, s + n - 2, 2);
  } else if (n == 1) {
    *d = *s;
  } else {
    std::memcpy(d, s, n);
  }
}

}  // namespace

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  const size_t gc = static_cast<size_t>(a.group_channels);
  const size_t run = gc * a.kernel_w;  // bytes of one kernel row in A
  // A kernel row is one contiguous run of the input when its taps are adjacent whole pixels.
  const bool dense = static_cast<size_t>(a.dilation_w) * a.in_stride == gc;
  for (int p = p_begin; p < p_end; ++p) {
    const int oy = p / a.out_w, ox = p % a.out_w;
    const int ix0 = ox * a.stride_w - a.pad_left;
    const bool cols_inside = ix0 >= 0 && ix0 + (a.kernel_w - 1) * a.dilation_w < a.in_w;
    uint8_t* row = A + static_cast<size_t>(p - p_begin) * lda;
    for (int ky = 0; ky < a.kernel_h; ++ky, row += run) {
      const int iy = oy * a.stride_h - a.pad_top + ky * a.dilation_h;
      if (iy < 0 || iy >= a.in_h) {
        std::memset(row, a.pad_value, run);
        continue;
      }
      const uint8_t* src = a.in + static_cast<size_t>(iy) * a.in_w * a.in_stride + a.c_offset;
      if (dense && cols_inside) {
        copy_bytes(row, src + static_cast<size_t>(ix0) * a.in_stride, run);
        continue;
      }
      for (int kx = 0; kx < a.kernel_w; ++kx) {
        const int ix = ix0 + kx * a.dilation_w;
        if (ix < 0 || ix >= a.in_w)
          std::memset(row + kx * gc, a.pad_value, gc);
        else
          copy_bytes(row + kx * gc, src + static_cast<size_t>(ix) * a.in_stride, gc);
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
