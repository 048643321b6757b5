#include <immintrin.h>

#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// vpmaddwd + vpaddd, the exact int16 pair product the AVX2 GEMM accumulates with: 16 MACs each,
// ten independent accumulators to cover the latency.
int64_t peak_loop(int64_t iterations) {
  __m256i a = _mm256_set1_epi16(3), w = _mm256_set1_epi16(5);
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(a, w));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(a, w));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(a, w));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(a, w));
    c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(a, w));
    c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(a, w));
    c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(a, w));
    c7 = _mm256_add_epi32(c7, _mm256_madd_epi16(a, w));
    c8 = _mm256_add_epi32(c8, _mm256_madd_epi16(a, w));
    c9 = _mm256_add_epi32(c9, _mm256_madd_epi16(a, w));
    asm volatile("" : "+x"(a), "+x"(w));  // operands are unknown each round: no hoisting
  }
  __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                               _mm256_add_epi32(_mm256_add_epi32(c4, c5), _mm256_add_epi32(c6, c7)));
  s = _mm256_add_epi32(s, _mm256_add_epi32(c8, c9));
  volatile int32_t sink = _mm256_extract_epi32(s, 0);
  (void)sink;
  return iterations * 10 * 16;
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
