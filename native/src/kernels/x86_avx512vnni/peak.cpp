#include <immintrin.h>

#include "kernels/x86_avx512vnni/peak.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

// vpdpbusd (u8 x s8, four products summed into each int32 lane): 64 MACs per instruction,
// ten independent accumulators.
int64_t peak_loop(int64_t iterations) {
  __m512i a = _mm512_set1_epi8(3), w = _mm512_set1_epi8(5);
  __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0, c9 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    c0 = _mm512_dpbusd_epi32(c0, a, w);
    c1 = _mm512_dpbusd_epi32(c1, a, w);
    c2 = _mm512_dpbusd_epi32(c2, a, w);
    c3 = _mm512_dpbusd_epi32(c3, a, w);
    c4 = _mm512_dpbusd_epi32(c4, a, w);
    c5 = _mm512_dpbusd_epi32(c5, a, w);
    c6 = _mm512_dpbusd_epi32(c6, a, w);
    c7 = _mm512_dpbusd_epi32(c7, a, w);
    c8 = _mm512_dpbusd_epi32(c8, a, w);
    c9 = _mm512_dpbusd_epi32(c9, a, w);
    asm volatile("" : "+v"(a), "+v"(w));
  }
  __m512i s = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
                               _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7)));
  s = _mm512_add_epi32(s, _mm512_add_epi32(c8, c9));
  volatile int32_t sink = _mm512_reduce_add_epi32(s);
  (void)sink;
  return iterations * 10 * 64;
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
