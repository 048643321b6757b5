// Average pooling, NHWC uint8, AVX2: vectorized across channels. Bit-identical to
// scalar/pool.cpp (same windows, same empty-window results). Max pooling is in maxpool.cpp.
#include <immintrin.h>

#include <algorithm>

#include "kernels/pool_window.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// Per output pixel: int32 sums of 32 (4 accumulators) or 8 channels; s = sum - valid * in_zp
// equals the scalar sum of (x - in_zp). Then y = clamp(round((float)s * (ratio / n)) + out_zp).
void avgpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const size_t W = static_cast<size_t>(a.in_w);
  const __m256i out_zp = _mm256_set1_epi32(a.out_zp);
  const __m256i zero = _mm256_setzero_si256(), v255 = _mm256_set1_epi32(255);
  for (int oy = row_begin; oy < row_end; ++oy) {
    for (int ox = 0; ox < a.out_w; ++ox) {
      const PoolWindow w = pool_window(a, oy, ox);
      const int valid = w.valid();
      const float mf = average_multiplier(a, oy, ox, w);
      const __m256 m = _mm256_set1_ps(mf);
      const __m256i zsum = _mm256_set1_epi32(valid * a.in_zp);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      auto finish = [&](__m256i s) {
        const __m256i r = _mm256_add_epi32(
            round_clamped8(_mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(s, zsum)), m)), out_zp);
        return _mm256_min_epi32(_mm256_max_epi32(r, zero), v255);
      };
      auto block8 = [&](int c) {
        __m256i s = zero;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) s = _mm256_add_epi32(s, load8_u8_epi32(a.in + (iy * W + ix) * C + c));
        store8_epi32(out + c, finish(s));
      };
      int c = 0;
      for (; c + 32 <= C; c += 32) {
        __m256i s0 = zero, s1 = zero, s2 = zero, s3 = zero;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) {
            const uint8_t* p = a.in + (iy * W + ix) * C + c;
            const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
            s0 = _mm256_add_epi32(s0, _mm256_cvtepu8_epi32(lo));
            s1 = _mm256_add_epi32(s1, _mm256_cvtepu8_epi32(_mm_srli_si128(lo, 8)));
            s2 = _mm256_add_epi32(s2, _mm256_cvtepu8_epi32(hi));
            s3 = _mm256_add_epi32(s3, _mm256_cvtepu8_epi32(_mm_srli_si128(hi, 8)));
          }
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c), pack16_epi32(finish(s0), finish(s1)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c + 16), pack16_epi32(finish(s2), finish(s3)));
      }
      for (; c + 8 <= C; c += 8) block8(c);
      if (c < C) {
        if (C >= 8) {
          block8(C - 8);  // overlapping tail, identical values
        } else {
          for (; c < C; ++c) {
            int32_t s = 0;
            for (int iy = w.vy0; iy < w.vy1; ++iy)
              for (int ix = w.vx0; ix < w.vx1; ++ix) s += a.in[(iy * W + ix) * C + c] - a.in_zp;
            out[c] = clamp1(round1(static_cast<float>(s) * mf) + a.out_zp);
          }
        }
      }
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
