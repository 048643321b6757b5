// AVX-512 requantization shared by the AVX-512 convolution kernels: the vector form of kernels.h's
//   y = clamp(round((float)acc * scale) + out_zp, qmin, qmax)
// with exactly the scalar float operations (convert, one multiply, clamp to +-65536, round half
// to even through cvtps_epi32 under the default MXCSR mode); no FMA anywhere. The clamp to
// [qmin, qmax] is done in int32, so narrowing to bytes afterwards is a plain truncation.
#pragma once
#include <immintrin.h>

#include <cstdint>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
// Internal linkage: no AVX-512-compiled copy of these may be picked for another ISA's code.
namespace {

struct RequantConsts {
  __m512 lo, hi;          // -65536, 65536
  __m512i zp, qmin, qmax; // int32 lanes
  explicit RequantConsts(const Requant& rq)
      : lo(_mm512_set1_ps(-65536.0f)),
        hi(_mm512_set1_ps(65536.0f)),
        zp(_mm512_set1_epi32(rq.out_zp)),
        qmin(_mm512_set1_epi32(rq.qmin)),
        qmax(_mm512_set1_epi32(rq.qmax)) {}
};

// clamp(round((float)acc * scale) + out_zp, qmin, qmax) for 16 lanes, as int32 in [qmin, qmax].
inline __m512i requant_i32(__m512i acc, __m512 scale, const RequantConsts& k) {
  __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale);
  f = _mm512_min_ps(_mm512_max_ps(f, k.lo), k.hi);
  const __m512i y = _mm512_add_epi32(_mm512_cvtps_epi32(f), k.zp);
  return _mm512_min_epi32(_mm512_max_epi32(y, k.qmin), k.qmax);
}

// Mask of the first n (0..16) lanes.
inline __mmask16 first_lanes16(int n) { return static_cast<__mmask16>((1u << n) - 1u); }
// Mask of the first n (0..32) lanes.
inline __mmask32 first_lanes32(int n) {
  return n >= 32 ? static_cast<__mmask32>(0xFFFFFFFFu) : static_cast<__mmask32>((1u << n) - 1u);
}

}  // namespace
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
