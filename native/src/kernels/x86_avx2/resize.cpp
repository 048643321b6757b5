// Nearest and bilinear resize, NHWC uint8, AVX2. Bit-identical to scalar/resize.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/scalar/pixel.h"
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

// 8 channels at a time. Horizontal: vpmaddwd of (p0, p1) byte pairs widened to int16 with the
// weight pair (2048 - wx, wx) gives h = p0*(2048-wx) + p1*wx exactly. Vertical:
// v = (h0 << 11) + (h1 - h0) * wy, which is the same integer as h0*(2048-wy) + h1*wy (no
// intermediate leaves int32). Then the scalar float requantization, lane by lane.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int32_t zp22 = a.in_zp * (1 << 22);
  const __m256i vzp22 = _mm256_set1_epi32(zp22), out_zp = _mm256_set1_epi32(a.out_zp);
  const __m256i zero = _mm256_setzero_si256(), v255 = _mm256_set1_epi32(255);
  const __m256 mult = _mm256_set1_ps(a.mult);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
    const int32_t wy = a.ys->w[oy];
    const __m256i vwy = _mm256_set1_epi32(wy);
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const int32_t wx = a.xs->w[ox];
      const __m256i wpair = _mm256_set1_epi32(static_cast<int32_t>((static_cast<uint32_t>(wx) << 16) | static_cast<uint32_t>(2048 - wx)));
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      auto block8 = [&](int c) {
        const __m128i a00 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r0 + x0 + c));
        const __m128i a01 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r0 + x1 + c));
        const __m128i a10 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r1 + x0 + c));
        const __m128i a11 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(r1 + x1 + c));
        const __m256i h0 = _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpacklo_epi8(a00, a01)), wpair);
        const __m256i h1 = _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_unpacklo_epi8(a10, a11)), wpair);
        const __m256i v = _mm256_add_epi32(_mm256_slli_epi32(h0, 11), _mm256_mullo_epi32(_mm256_sub_epi32(h1, h0), vwy));
        const __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(v, vzp22)), mult);
        const __m256i r = _mm256_add_epi32(round_clamped8(f), out_zp);
        store8_epi32(out + c, _mm256_min_epi32(_mm256_max_epi32(r, zero), v255));
      };
      int c = 0;
      for (; c + 8 <= C; c += 8) block8(c);
      if (c < C) {
        if (C >= 8) {
          block8(C - 8);  // overlapping tail, identical values
        } else {
          for (; c < C; ++c) {
            const int32_t v = px::bilinear(r0[x0 + c], r0[x1 + c], r1[x0 + c], r1[x1 + c], wx, wy);
            out[c] = clamp1(round1(static_cast<float>(v - zp22) * a.mult) + a.out_zp);
          }
        }
      }
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
