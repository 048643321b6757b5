#include <immintrin.h>

#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// The AVX2 GEMM's fastest exact step (gemm_maddubs.cpp): two k-quads whose int16 pair sums
// add without leaving int16, vpmaddubsw each, one vpaddw, one vpmaddwd by ones and a vpaddd:
// 64 MACs per three multiplies. It is the table's ceiling for every model: single quads (two
// multiplies per 32) and the madd16 path (vpmaddwd + vpaddd, 16 MACs per instruction) run
// slower on the same cores. Five chains, each with its own two weights; both activations are made
// opaque every round so no product can be hoisted or shared. The chains carry only the vpaddd,
// so five keep the multipliers busy (15 of the 16 ymm registers, with two temporaries).
int64_t peak_loop(int64_t iterations) {
  __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(4);
  const __m256i ones = _mm256_set1_epi16(1);
  const __m256i w0 = _mm256_set1_epi8(5), w1 = _mm256_set1_epi8(7), w2 = _mm256_set1_epi8(9),
                w3 = _mm256_set1_epi8(11), w4 = _mm256_set1_epi8(13);
  __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
  const auto step = [&](__m256i c, __m256i wa, __m256i wb) {
    return _mm256_add_epi32(c, _mm256_madd_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(a, wa), _mm256_maddubs_epi16(b, wb)), ones));
  };
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+x"(a), "+x"(b));
    c0 = step(c0, w0, w1);
    c1 = step(c1, w1, w2);
    c2 = step(c2, w2, w3);
    c3 = step(c3, w3, w4);
    c4 = step(c4, w4, w0);
  }
  __m256i s = _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(c0, c1), _mm256_add_epi32(c2, c3)), c4);
  volatile int32_t sink = _mm256_extract_epi32(s, 0);
  (void)sink;
  return iterations * 5 * 64;
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
