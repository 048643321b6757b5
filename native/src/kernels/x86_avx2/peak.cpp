#include <immintrin.h>

#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// vpmaddwd + vpaddd, the exact int16 pair product the AVX2 GEMM accumulates with: 16 MACs per
// vpmaddwd. Seven chains with distinct weights; the activation is made opaque every round so no
// product can be hoisted or shared.
int64_t peak_loop(int64_t iterations) {
  __m256i a = _mm256_set1_epi16(3);
  __m256i w0 = _mm256_set1_epi16(5), w1 = _mm256_set1_epi16(7), w2 = _mm256_set1_epi16(9), w3 = _mm256_set1_epi16(11),
          w4 = _mm256_set1_epi16(13), w5 = _mm256_set1_epi16(15), w6 = _mm256_set1_epi16(17);
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+x"(a));
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(a, w0));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(a, w1));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(a, w2));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(a, w3));
    c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(a, w4));
    c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(a, w5));
    c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(a, w6));
  }
  __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                               _mm256_add_epi32(_mm256_add_epi32(c4, c5), c6));
  volatile int32_t sink = _mm256_extract_epi32(s, 0);
  (void)sink;
  return iterations * 7 * 16;
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
