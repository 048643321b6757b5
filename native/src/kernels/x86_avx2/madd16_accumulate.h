// The int16 pair product loop shared by the im2col GEMM's vpmaddwd path (gemm_madd16.cpp) and
// the Winograd position GEMMs (winograd.cpp): int16 rows times panels of interleaved int16 weight
// pairs, summed exactly into int32 by _mm256_madd_epi16 and an add; compiled with AVX-512 VNNI
// (the avx512vnni table's copy of the Winograd kernels) or AVX-VNNI (the avxvnni table's), by one
// vpdpwssd, the same exact sum (no saturation: it is VPDPWSSD, not VPDPWSSDS) at 1.5x the rate on
// Zen 5. The AVX-VNNI form is written with {vex}: the assembler encodes a bare vpdpwssd as EVEX
// (x86_avxvnni/dpbusd.h).
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace attendseg {
namespace kernels {
namespace avx2 {
// Internal linkage, as requant.h.
namespace {

inline int kpairs_of(int K) { return (K + 1) / 2; }

inline int32_t load_i32(const int16_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// acc += a pair x w pair per int32 lane, exactly.
inline __attribute__((always_inline)) void madd_acc(__m256i& acc, __m256i a, __m256i w) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
  asm("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(w));
#elif defined(__AVXVNNI__)
  asm("%{vex%} vpdpwssd %2, %1, %0" : "+x"(acc) : "x"(a), "x"(w));
#else
  acc = _mm256_add_epi32(acc, _mm256_madd_epi16(a, w));
#endif
}

// The same on 4 lanes (the depthwise kernel's 8-channel blocks).
inline __attribute__((always_inline)) void madd_acc(__m128i& acc, __m128i a, __m128i w) {
#if defined(__AVX512VNNI__) && defined(__AVX512VL__)
  asm("vpdpwssd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(w));
#elif defined(__AVXVNNI__)
  asm("%{vex%} vpdpwssd %2, %1, %0" : "+x"(acc) : "x"(a), "x"(w));
#else
  acc = _mm_add_epi32(acc, _mm_madd_epi16(a, w));
#endif
}

// acc[r][j] += sum over kpairs of a[r] pair x w pair, for NR ymm (8 channels each) per row.
template <int MR, int NR>
inline __attribute__((always_inline)) void accumulate(const int16_t* a, int stride, int kpairs,
                                                      const int16_t* w, __m256i (&acc)[MR][NR]) {
  for (int kp = 0; kp < kpairs; ++kp, w += 16 * NR) {
    __m256i wv[NR];
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 16 * j));
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256i av = _mm256_set1_epi32(load_i32(a + static_cast<size_t>(r) * stride + 2 * kp));
#pragma GCC unroll 2
      for (int j = 0; j < NR; ++j) madd_acc(acc[r][j], av, wv[j]);
    }
  }
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
