// AVX2 requantization shared by the AVX2 convolution kernels: the vector form of kernels.h's
//   y = clamp(round((float)acc * scale) + out_zp, qmin, qmax)
// with exactly the scalar float operations (convert, one multiply, round half to even through
// cvtps_epi32 under the default MXCSR mode); no FMA anywhere. The +-65536 clamp, the zero point
// and the bounds become saturations and byte clamps after the packs (see below).
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"
#include "kernels/requant_mode.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
// Internal linkage: no AVX2-compiled copy of these may be picked for another ISA's code.
namespace {

struct RequantConsts {
  __m256 hi;           // 65536
  __m256i zp16;        // out_zp in every int16 lane
  __m128i qmin, qmax;  // as bytes
  bool bounded;        // Requant::bounded
  bool clamp;          // [qmin, qmax] narrower than the packs' [0, 255] (requant_clamps)
  explicit RequantConsts(const Requant& rq)
      : hi(_mm256_set1_ps(65536.0f)),
        zp16(_mm256_set1_epi16(static_cast<int16_t>(rq.out_zp))),
        qmin(_mm_set1_epi8(static_cast<char>(rq.qmin))),
        qmax(_mm_set1_epi8(static_cast<char>(rq.qmax))),
        bounded(rq.bounded),
        clamp(requant_clamps(rq)) {}
};

// Calls f(RequantMode<...>{}) with rk's form (requant_mode.h).
template <class F>
inline __attribute__((always_inline)) void with_requant_mode(const RequantConsts& rk, F&& f) {
  kernels::with_requant_mode(rk.bounded, rk.clamp, static_cast<F&&>(f));
}

// round((float)acc * scale) for 8 lanes, as int32, without the zero point, which the narrowing
// adds to int16 lanes (add_zp_16). Only the upper clamp is applied: a value below -2^31 converts
// to INT_MIN, which saturates in the packs exactly as the scalar -65536 clamp would end. With
// kBounded (Requant::bounded) not even that: every value converts exactly, and one over 65536
// saturates in the packs as its clamp would.
template <bool kBounded = false>
inline __m256i requant_i32(__m256i acc, __m256 scale, const RequantConsts& k) {
  const __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), scale);
  return _mm256_cvtps_epi32(kBounded ? f : _mm256_min_ps(f, k.hi));
}

// Two requant_i32 results packed to int16 (saturating) plus the zero point (saturating): equal to
// the scalar clamp(round + out_zp, qmin, qmax) once narrowed to bytes and clamped, since a value
// outside int16 stays outside 0..255 on the same side after adding a zero point of 0..255.
inline __m256i add_zp_16(__m256i a, __m256i b, const RequantConsts& k) {
  return _mm256_adds_epi16(_mm256_packs_epi32(a, b), k.zp16);
}

// Narrows 16 requant_i32 values (channels 0..7 in a, 8..15 in b) to bytes in channel order with
// the zero point and clamps them to [qmin, qmax]. The saturating packs are harmless: with
// 0 <= qmin <= qmax <= 255, saturating to [0, 255] first and clamping after equals clamping directly.
// With kClamp false (RequantConsts::clamp) that saturation is the whole clamp.
template <bool kClamp>
inline __m128i narrow_clamp_16(__m256i a, __m256i b, const RequantConsts& k) {
  const __m256i w = add_zp_16(a, b, k);              // a0-3 b0-3 | a4-7 b4-7 (int16)
  const __m256i u = _mm256_packus_epi16(w, w);       // bytes, same order, duplicated
  const __m256i o = _mm256_permutevar8x32_epi32(u, _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5));
  const __m128i r = _mm256_castsi256_si128(o);       // a0-3 a4-7 b0-3 b4-7
  return kClamp ? _mm_max_epu8(_mm_min_epu8(r, k.qmax), k.qmin) : r;
}

// Stores the first n (1..16) bytes of v. Partial widths (a panel over N % 16 channels, 11 for
// CamVid's classifier) take two overlapping fixed-size stores rather than a memcpy call per pixel.
inline void store_bytes(uint8_t* dst, __m128i v, int n) {
  if (n == 16) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v);
    return;
  }
  if (n == 8) {  // an 8-wide tail panel (N % 16 == 8)
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), v);
    return;
  }
  alignas(16) uint8_t tmp[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(tmp), v);
  if (n > 8) {
    std::memcpy(dst, tmp, 8);
    std::memcpy(dst + n - 8, tmp + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(dst, tmp, 4);
    std::memcpy(dst + n - 4, tmp + n - 4, 4);
  } else {
    for (int i = 0; i < n; ++i) dst[i] = tmp[i];
  }
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
