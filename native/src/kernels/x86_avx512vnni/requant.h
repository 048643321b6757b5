// AVX-512 requantization shared by the AVX-512 convolution kernels: the vector form of kernels.h's
//   y = clamp(round((float)acc * scale) + out_zp, qmin, qmax)
// with exactly the scalar float operations (convert, one multiply, clamp to +-65536, round half
// to even through cvtps_epi32 under the default MXCSR mode); no FMA anywhere. The clamp to
// [qmin, qmax] is done in int32, so narrowing to bytes afterwards is a plain truncation.
#pragma once
#include <immintrin.h>

#include <cstdint>

#include "kernels/kernels.h"
#include "kernels/requant_mode.h"
#include "kernels/x86_avx512vnni/avx512_util.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
// Internal linkage: no AVX-512-compiled copy of these may be picked for another ISA's code.
namespace {

struct RequantConsts {
  __m512 lo, hi;          // -65536, 65536
  __m512i zp, qmin, qmax; // int32 lanes
  __m512i zp16, qmin8, qmax8;  // for narrow64: int16 and byte lanes
  bool bounded;                // Requant::bounded
  bool clamp;                  // kernels.h requant_clamps
  explicit RequantConsts(const Requant& rq)
      : lo(_mm512_set1_ps(-65536.0f)),
        hi(_mm512_set1_ps(65536.0f)),
        zp(_mm512_set1_epi32(rq.out_zp)),
        qmin(_mm512_set1_epi32(rq.qmin)),
        qmax(_mm512_set1_epi32(rq.qmax)),
        zp16(_mm512_set1_epi16(static_cast<int16_t>(rq.out_zp))),
        qmin8(_mm512_set1_epi8(static_cast<char>(rq.qmin))),
        qmax8(_mm512_set1_epi8(static_cast<char>(rq.qmax))),
        bounded(rq.bounded),
        clamp(requant_clamps(rq)) {}
};

// clamp(round((float)acc * scale) + out_zp, qmin, qmax) for 16 lanes, as int32 in [qmin, qmax].
inline __m512i requant_i32(__m512i acc, __m512 scale, const RequantConsts& k) {
  __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale);
  f = _mm512_min_ps(_mm512_max_ps(f, k.lo), k.hi);
  const __m512i y = _mm512_add_epi32(_mm512_cvtps_epi32(f), k.zp);
  return _mm512_min_epi32(_mm512_max_epi32(y, k.qmin), k.qmax);
}

// round((float)acc * scale) for 16 lanes, as int32, without the zero point and the bounds, which
// narrow64 applies. Only the upper clamp: a value below -2^31 converts to INT_MIN, which
// saturates in narrow64's packs exactly as the scalar -65536 clamp would end. With kBounded
// (Requant::bounded) not even that, as x86_avx2's requant_i32.
template <bool kBounded = false>
inline __m512i round_i32(__m512i acc, __m512 scale, const RequantConsts& k) {
  const __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), scale);
  return _mm512_cvtps_epi32(kBounded ? f : _mm512_min_ps(f, k.hi));
}

// Four round_i32 results (channels 0-15, 16-31, 32-47, 48-63) -> 64 bytes in channel order with
// the zero point and the [qmin, qmax] clamp: signed packs to int16, + zp saturating, unsigned
// packs to bytes, one dword permute (the packs interleave per 128-bit lane), the clamp on bytes.
// Equal to requant_i32 narrowed: a value outside int16 stays outside 0..255 on the same side after
// adding a zero point of 0..255, and with 0 <= qmin <= qmax <= 255 saturating to [0, 255] first and
// clamping after equals clamping directly. One store per 64 channels instead of four vpmovdb.
// kClamp false leaves the [qmin, qmax] clamp to the packs (RequantConsts::clamp).
template <bool kClamp>
inline __m512i narrow64(__m512i r0, __m512i r1, __m512i r2, __m512i r3, const RequantConsts& k) {
  return pack64_ordered<kClamp>(r0, r1, r2, r3, k.zp16, k.qmin8, k.qmax8);
}

// Calls f(RequantMode<...>{}) with rk's form (requant_mode.h).
template <class F>
inline __attribute__((always_inline)) void with_requant_mode(const RequantConsts& rk, F&& f) {
  kernels::with_requant_mode(rk.bounded, rk.clamp, static_cast<F&&>(f));
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
