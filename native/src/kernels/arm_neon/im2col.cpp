// im2col for one group of a kxk convolution (kernels.h, Im2colArgs), NEON: the scalar
// algorithm (one copy per kernel row when its taps are adjacent whole pixels, else one per tap)
// with every copy and padding fill done by 8/16/32-byte vector moves instead of library calls:
// the runs are short (a 3-channel stem tap is 3 bytes, a 3x3 row of 24 channels 72 bytes).
// Pixels whose whole window is inside the image take a tight loop of row copies; the others
// (the image border) go through the general per-tap path, kept out of line so that the hot
// loop keeps its values in registers.
#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/neon_util.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// One output pixel (oy, ox), any window: rows and taps outside the image are filled with the
// padding value.
__attribute__((noinline)) void border_pixel(const Im2colArgs& a, int oy, int ox, uint8_t* row) {
  const size_t gc = static_cast<size_t>(a.group_channels);
  const size_t in_stride = static_cast<size_t>(a.in_stride);
  const size_t run = gc * a.kernel_w;
  const bool dense = static_cast<size_t>(a.dilation_w) * in_stride == gc;
  const int ix0 = ox * a.stride_w - a.pad_left;
  const bool cols_inside = ix0 >= 0 && ix0 + (a.kernel_w - 1) * a.dilation_w < a.in_w;
  for (int ky = 0; ky < a.kernel_h; ++ky, row += run) {
    const int iy = oy * a.stride_h - a.pad_top + ky * a.dilation_h;
    if (iy < 0 || iy >= a.in_h) {
      fill_small(row, a.pad_value, run);
      continue;
    }
    const uint8_t* src = a.in + a.c_offset + static_cast<size_t>(iy) * a.in_w * in_stride;
    if (dense && cols_inside) {
      copy_small(row, src + static_cast<size_t>(ix0) * in_stride, run);
      continue;
    }
    for (int kx = 0; kx < a.kernel_w; ++kx) {
      const int ix = ix0 + kx * a.dilation_w;
      if (ix < 0 || ix >= a.in_w)
        fill_small(row + kx * gc, a.pad_value, gc);
      else
        copy_small(row + kx * gc, src + static_cast<size_t>(ix) * in_stride, gc);
    }
  }
}

}  // namespace

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  const int out_w = a.out_w, kh = a.kernel_h, sh = a.stride_h, sw = a.stride_w;
  const size_t in_stride = static_cast<size_t>(a.in_stride);
  const size_t gc = static_cast<size_t>(a.group_channels);
  const size_t run = gc * a.kernel_w;
  const size_t tap_row = static_cast<size_t>(a.dilation_h) * a.in_w * in_stride;  // input bytes between kernel rows
  const bool dense = static_cast<size_t>(a.dilation_w) * in_stride == gc;
  // Output columns [ox_lo, ox_hi) and rows [oy_lo, oy_hi) whose windows are inside the image.
  const int span_w = (a.kernel_w - 1) * a.dilation_w, span_h = (kh - 1) * a.dilation_h;
  const int ox_lo = (a.pad_left + sw - 1) / sw, oy_lo = (a.pad_top + sh - 1) / sh;
  const int ox_hi = a.in_w - 1 - span_w + a.pad_left < 0 ? 0 : (a.in_w - 1 - span_w + a.pad_left) / sw + 1;
  const int oy_hi = a.in_h - 1 - span_h + a.pad_top < 0 ? 0 : (a.in_h - 1 - span_h + a.pad_top) / sh + 1;
  const uint8_t* const in = a.in + a.c_offset;
  int oy = p_begin / out_w, ox = p_begin % out_w;
  uint8_t* row = A;
  for (int p = p_begin; p < p_end; ++p, ++ox, row += lda) {
    if (ox == out_w) {
      ox = 0;
      ++oy;
    }
    if (!(dense && oy >= oy_lo && oy < oy_hi && ox >= ox_lo && ox < ox_hi)) {
      border_pixel(a, oy, ox, row);
      continue;
    }
    const uint8_t* src =
        in + (static_cast<size_t>(oy * sh - a.pad_top) * a.in_w + static_cast<size_t>(ox * sw - a.pad_left)) * in_stride;
    uint8_t* dst = row;
    for (int ky = 0; ky < kh; ++ky, dst += run, src += tap_row) copy_small(dst, src, run);
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
