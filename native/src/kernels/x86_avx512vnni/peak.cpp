// The multiply-accumulate ceiling loop of the avx512vnni table (KernelTable::peak_loop).
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include "kernels/x86_avx512vnni/dpbusd.h"
#include "kernels/x86_avx512vnni/peak.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

// vpdpbusd (u8 x s8, four products summed into each int32 lane): 64 MACs per instruction.
// Sixteen chains (enough to cover its latency) with distinct weights; the activation is made
// opaque every round. The in-place asm form keeps the chains apart: with the intrinsic and one
// shared weight, GCC proved ten chains equal, ran one and the loop reported ten times its work.
int64_t peak_loop(int64_t iterations) {
  __m512i a = _mm512_set1_epi8(3);
  __m512i w[4], c[16];
#pragma GCC unroll 4
  for (int j = 0; j < 4; ++j) w[j] = _mm512_set1_epi8(static_cast<char>(5 + 2 * j));
#pragma GCC unroll 16
  for (int j = 0; j < 16; ++j) c[j] = _mm512_setzero_si512();
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+v"(a));
    // The rotations spelled out: clang wants valignd's immediate constant before unrolling.
    const __m512i r[4] = {a, _mm512_alignr_epi32(a, a, 1), _mm512_alignr_epi32(a, a, 2), _mm512_alignr_epi32(a, a, 3)};
#pragma GCC unroll 16
    for (int j = 0; j < 16; ++j) dpbusd(c[j], r[j / 4], w[j % 4]);
  }
  __m512i s = c[0];
#pragma GCC unroll 16
  for (int j = 1; j < 16; ++j) s = _mm512_add_epi32(s, c[j]);
  volatile int32_t sink = _mm512_reduce_add_epi32(s);
  (void)sink;
  return iterations * 16 * 64;
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg

