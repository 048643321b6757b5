// Nearest and bilinear resize, NHWC uint8, AVX2. Bit-identical to scalar/resize.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// Rows: an output row whose source row equals the previous one (upscaling) is a copy of that
// finished row. Otherwise each pixel is a vector copy of C bytes, and the requantization
// table, if any, is applied to the whole row with the vpshufb lookup.
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t row_bytes = static_cast<size_t>(a.out_w) * C;
  Lut256 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    uint8_t* orow = a.out + static_cast<size_t>(oy) * row_bytes;
    if (oy > row_begin && a.ys->i0[oy] == a.ys->i0[oy - 1]) {
      std::memcpy(orow, orow - row_bytes, row_bytes);
      continue;
    }
    const uint8_t* irow = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const int32_t* xs = a.xs->i0.data();
    for (int ox = 0; ox < a.out_w; ++ox) copy_small(orow + ox * C, irow + xs[ox] * C, C);
    if (a.lut) lut_apply(L, orow, orow, row_bytes);
  }
}

// 8 channels at a time, the scalar float operations lane by lane (kernels.h "Resize"): the
// four neighbours are widened to int32, dequantized with cvtepi32_ps and one multiply, weighted
// by the four weight products (computed once per output pixel, as scalar), summed in the same
// order, divided by the output scale and rounded half to even. Fewer than 8 channels run the
// scalar formula; a channel count that is not a multiple of 8 ends with an overlapping block.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const float s = a.in_scale, os = a.out_scale;
  const int32_t zp = a.in_zp;
  const __m256i vzp = _mm256_set1_epi32(zp), out_zp = _mm256_set1_epi32(a.out_zp);
  const __m256i zero = _mm256_setzero_si256(), v255 = _mm256_set1_epi32(255);
  const __m256 vs = _mm256_set1_ps(s), vos = _mm256_set1_ps(os);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
      const float w11 = wx0 * wy0, w21 = wx1 * wy0, w12 = wx0 * wy1, w22 = wx1 * wy1;
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      if (C < 8) {
        for (int c = 0; c < C; ++c) {
          const float X11 = static_cast<float>(r0[x0 + c] - zp) * s;
          const float X21 = static_cast<float>(r0[x1 + c] - zp) * s;
          const float X12 = static_cast<float>(r1[x0 + c] - zp) * s;
          const float X22 = static_cast<float>(r1[x1 + c] - zp) * s;
          float v = w11 * X11;
          v = v + w21 * X21;
          v = v + w12 * X12;
          v = v + w22 * X22;
          out[c] = clamp1(round1(v / os) + a.out_zp);
        }
        continue;
      }
      const __m256 v11 = _mm256_set1_ps(w11), v21 = _mm256_set1_ps(w21);
      const __m256 v12 = _mm256_set1_ps(w12), v22 = _mm256_set1_ps(w22);
      auto deq = [&](const uint8_t* p) {
        return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(load8_u8_epi32(p), vzp)), vs);
      };
      auto block8 = [&](int c) {
        __m256 v = _mm256_mul_ps(v11, deq(r0 + x0 + c));
        v = _mm256_add_ps(v, _mm256_mul_ps(v21, deq(r0 + x1 + c)));
        v = _mm256_add_ps(v, _mm256_mul_ps(v12, deq(r1 + x0 + c)));
        v = _mm256_add_ps(v, _mm256_mul_ps(v22, deq(r1 + x1 + c)));
        const __m256i r = _mm256_add_epi32(round_clamped8(_mm256_div_ps(v, vos)), out_zp);
        store8_epi32(out + c, _mm256_min_epi32(_mm256_max_epi32(r, zero), v255));
      };
      int c = 0;
      for (; c + 8 <= C; c += 8) block8(c);
      if (c < C) block8(C - 8);  // overlapping tail, identical values
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
