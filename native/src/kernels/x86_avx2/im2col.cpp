// im2col, AVX2: the scalar implementation's byte moves (kernels.h Im2colArgs), with kernel rows
// of 16 bytes and more copied inline by (overlapping) vector moves instead of a memcpy call each
// (a 3x3 conv over 32 channels moves three 96-byte runs per output pixel), and the output pixel
// stepped instead of divided out per row. Everything else is scalar::im2col.
#include <immintrin.h>

#include <cstring>

#include "kernels/scalar/conv_ops.h"
#include "kernels/x86_avx2/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// n >= 16 bytes, non-overlapping buffers.
inline void copy_run(uint8_t* d, const uint8_t* s, size_t n) {
  if (n < 32) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), _mm_loadu_si128(reinterpret_cast<const __m128i*>(s)));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + n - 16),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16)));
    return;
  }
  size_t i = 0;
  for (; i + 32 <= n; i += 32)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + i), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + i)));
  if (i < n)
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + n - 32),
                        _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + n - 32)));
}

}  // namespace

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  const size_t gc = static_cast<size_t>(a.group_channels);
  const size_t run = gc * a.kernel_w;
  const bool dense = static_cast<size_t>(a.dilation_w) * a.in_stride == gc;
  if (!dense || run < 16) {
    scalar::im2col(a, p_begin, p_end, A, lda);
    return;
  }
  const size_t in_row = static_cast<size_t>(a.in_w) * a.in_stride;
  int oy = p_begin / a.out_w, ox = p_begin % a.out_w;
  for (int p = p_begin; p < p_end; ++p) {
    const int ix0 = ox * a.stride_w - a.pad_left;
    const int iy0 = oy * a.stride_h - a.pad_top;
    const bool cols_inside = ix0 >= 0 && ix0 + (a.kernel_w - 1) * a.dilation_w < a.in_w;
    const bool rows_inside = iy0 >= 0 && iy0 + (a.kernel_h - 1) * a.dilation_h < a.in_h;
    uint8_t* row = A + static_cast<size_t>(p - p_begin) * lda;
    if (cols_inside && rows_inside) {
      const uint8_t* src = a.in + static_cast<size_t>(iy0) * in_row + static_cast<size_t>(ix0) * a.in_stride + a.c_offset;
      for (int ky = 0; ky < a.kernel_h; ++ky, row += run, src += a.dilation_h * in_row) copy_run(row, src, run);
    } else {
      scalar::im2col(a, p, p + 1, row, lda);  // a border pixel: the padded taps
    }
    if (++ox == a.out_w) ox = 0, ++oy;
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
