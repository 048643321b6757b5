#include <immintrin.h>

#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// vpmaddubsw + vpmaddwd by ones + vpaddd, the AVX2 GEMM's faster exact path (gemm_maddubs.cpp):
// 32 MACs per vpmaddubsw. It is the table's ceiling for every model: its madd16 path
// (vpmaddwd + vpaddd, 16 MACs per instruction) runs slower on the same cores. Seven chains with
// distinct weights; the activation is made opaque every round so no product can be hoisted or
// shared.
int64_t peak_loop(int64_t iterations) {
  __m256i a = _mm256_set1_epi8(3);
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i w0 = _mm256_set1_epi8(5), w1 = _mm256_set1_epi8(7), w2 = _mm256_set1_epi8(9), w3 = _mm256_set1_epi8(11),
          w4 = _mm256_set1_epi8(13), w5 = _mm256_set1_epi8(15), w6 = _mm256_set1_epi8(17);
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+x"(a));
    c0 = _mm256_add_epi32(c0, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w0), ones));
    c1 = _mm256_add_epi32(c1, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w1), ones));
    c2 = _mm256_add_epi32(c2, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w2), ones));
    c3 = _mm256_add_epi32(c3, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w3), ones));
    c4 = _mm256_add_epi32(c4, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w4), ones));
    c5 = _mm256_add_epi32(c5, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w5), ones));
    c6 = _mm256_add_epi32(c6, _mm256_madd_epi16(_mm256_maddubs_epi16(a, w6), ones));
  }
  __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)),
                               _mm256_add_epi32(_mm256_add_epi32(c4, c5), c6));
  volatile int32_t sink = _mm256_extract_epi32(s, 0);
  (void)sink;
  return iterations * 7 * 32;
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
