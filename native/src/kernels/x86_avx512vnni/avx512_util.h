// AVX-512BW building blocks of this folder's element-wise, pooling and resize kernels, over
// x86_avx2's where 256 bits or less do. Internal linkage throughout, so no AVX-512-compiled copy
// can be picked for another ISA's code.
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/byte_moves.h"
#include "kernels/kernels.h"
#include "kernels/x86_avx2/avx2_util.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
namespace {

// Mask of the first n lanes of 64 (n >= 64: all).
inline __mmask64 first_bytes(size_t n) { return n >= 64 ? ~__mmask64{0} : (__mmask64{1} << n) - 1; }

inline __m512i load64(const uint8_t* p) { return _mm512_loadu_si512(p); }
inline __m512i load64(const uint8_t* p, __mmask64 m) { return _mm512_maskz_loadu_epi8(m, p); }
inline void store64(uint8_t* p, __m512i v) { _mm512_storeu_si512(p, v); }
inline void store64(uint8_t* p, __m512i v, __mmask64 m) { _mm512_mask_storeu_epi8(p, m, v); }

// Copies n bytes between non-overlapping buffers with overlapping moves: for the short runs of a
// pixel's channels these measured faster than masked stores. Under 64 bytes, AVX2's moves.
inline void copy_small(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n < 64) {
    avx2::copy_small(dst, src, n);
    return;
  }
  size_t i = 0;
  for (; i + 64 <= n; i += 64) store64(dst + i, load64(src + i));
  if (i < n) store64(dst + n - 64, load64(src + n - 64));
}

// Four vectors of 16 int32 values -> 64 bytes: signed packs to int16, + zp16 saturating,
// unsigned packs to bytes, clamped to [lo8, hi8]. The packs work per 128-bit lane: lane k holds
// r0's, r1's, r2's and r3's elements 4k..4k+3, in that order. kClamp false leaves the clamp out,
// for bounds of [0, 255] that the unsigned packs already are (kernels.h requant_clamps).
template <bool kClamp = true>
inline __m512i pack64_lanes(__m512i r0, __m512i r1, __m512i r2, __m512i r3, __m512i zp16, __m512i lo8, __m512i hi8) {
  const __m512i w0 = _mm512_adds_epi16(_mm512_packs_epi32(r0, r1), zp16);
  const __m512i w1 = _mm512_adds_epi16(_mm512_packs_epi32(r2, r3), zp16);
  const __m512i b = _mm512_packus_epi16(w0, w1);
  return kClamp ? _mm512_min_epu8(_mm512_max_epu8(b, lo8), hi8) : b;
}
// pack64_lanes with the bytes in order (r0's 16 values, then r1's, r2's, r3's): dword j of the
// result is dword j / 4 of lane j % 4.
template <bool kClamp = true>
inline __m512i pack64_ordered(__m512i r0, __m512i r1, __m512i r2, __m512i r3, __m512i zp16, __m512i lo8, __m512i hi8) {
  const __m512i idx = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
  return _mm512_permutexvar_epi32(idx, pack64_lanes<kClamp>(r0, r1, r2, r3, zp16, lo8, hi8));
}

// The 16-lane form of x86_avx2's Quantize8, clamp(round(v / s) + zp, lo, hi) for
// 0 <= lo <= hi <= 255: the true division or, as kQuotient says, v * (1 / s) or kernels.h
// corrected_quotient, min with 65536 (left out with kBounded, as Quantize8's), conversion
// rounding half to even (INT_MIN under -2^31, which saturates like the scalar -65536 clamp); then signed packs to int16, + zp saturating, unsigned packs to bytes, and
// the [lo, hi] clamp on bytes. The packs work per 128-bit lane as AVX2's do, so pack64's lane
// order is pack32's, four lanes wide.
// kClamp false leaves out the byte clamp, as Quantize8's.
template <Quotient kQuotient, bool kBounded = false, bool kClamp = true>
struct Quantize16 {
  __m512 s, r, hi_f;
  __m512i zp16, lo8, hi8;
  Quantize16(float scale, int32_t zero_point, int32_t lo, int32_t hi)
      : s(_mm512_set1_ps(scale)), r(_mm512_set1_ps(1.0f / scale)), hi_f(_mm512_set1_ps(65536.0f)),
        zp16(_mm512_set1_epi16(static_cast<int16_t>(zero_point))), lo8(_mm512_set1_epi8(static_cast<char>(lo))),
        hi8(_mm512_set1_epi8(static_cast<char>(hi))) {}
  inline __m512 quotient(__m512 v) const {
    if constexpr (kQuotient == Quotient::Reciprocal) {
      return _mm512_mul_ps(v, r);
    } else if constexpr (kQuotient == Quotient::Corrected) {
      const __m512 q0 = _mm512_mul_ps(v, r);
      return _mm512_fmadd_ps(_mm512_fnmadd_ps(q0, s, v), r, q0);  // q0 + (v - q0 * s) * r, fused
    } else {
      return _mm512_div_ps(v, s);
    }
  }
  inline __m512i round16(__m512 v) const {
    if constexpr (kBounded) return _mm512_cvtps_epi32(quotient(v));
    return _mm512_cvtps_epi32(_mm512_min_ps(quotient(v), hi_f));
  }
  // Four round16 results -> 64 bytes, packed per 128-bit lane: r0 | r1 | r2 | r3 hold, in lane k,
  // elements 16k + {0-3}, {4-7}, {8-11}, {12-15}.
  inline __m512i pack64(__m512i r0, __m512i r1, __m512i r2, __m512i r3) const {
    return pack64_lanes<kClamp>(r0, r1, r2, r3, zp16, lo8, hi8);
  }
  // pack64 for a zero point of 0 (Quantize8::pack32_zero_zp's).
  inline __m512i pack64_zero_zp(__m512i r0, __m512i r1, __m512i r2, __m512i r3) const {
    return clamp(_mm512_packus_epi16(_mm512_packs_epi32(r0, r1), _mm512_packs_epi32(r2, r3)));
  }
  inline __m512i clamp(__m512i u) const { return kClamp ? _mm512_min_epu8(_mm512_max_epu8(u, lo8), hi8) : u; }
};

// Exact 256-entry byte table lookup with vpshufb, x86_avx2's Lut256 four lanes wide: the table's
// halves (by bit 7) in 8 rows of 16 bytes stored XOR-differenced, D[0] = T[0], D[k] = T[k] ^ T[k-1];
// vpshufb(D[k], i - 16k) is D[k][i & 15] for k <= i >> 4 and 0 above (bit 7 set), so the XOR over
// k telescopes to T[i >> 4][i & 15]. Bit 7 of the input then picks the half.
struct Lut512 {
  __m512i lo[8], hi[8];
};
inline void lut_prepare(const uint8_t* t, Lut512* L) {
  __m128i prev_lo = _mm_setzero_si128(), prev_hi = _mm_setzero_si128();
  for (int k = 0; k < 8; ++k) {
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16 * k));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 128 + 16 * k));
    L->lo[k] = _mm512_broadcast_i32x4(_mm_xor_si128(lo, prev_lo));
    L->hi[k] = _mm512_broadcast_i32x4(_mm_xor_si128(hi, prev_hi));
    prev_lo = lo;
    prev_hi = hi;
  }
}
inline __m512i lut_lookup(const Lut512& L, __m512i x) {
  const __m512i s16 = _mm512_set1_epi8(16);
  __m512i idx = _mm512_and_si512(x, _mm512_set1_epi8(0x7F));
  __m512i rl = _mm512_shuffle_epi8(L.lo[0], idx);
  __m512i rh = _mm512_shuffle_epi8(L.hi[0], idx);
  for (int k = 1; k < 8; ++k) {
    idx = _mm512_sub_epi8(idx, s16);
    rl = _mm512_xor_si512(rl, _mm512_shuffle_epi8(L.lo[k], idx));
    rh = _mm512_xor_si512(rh, _mm512_shuffle_epi8(L.hi[k], idx));
  }
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(x), rl, rh);
}
// out[i] = table[in[i]] for i < n; in and out may be the same buffer.
inline void lut_apply(const Lut512& L, const uint8_t* in, uint8_t* out, size_t n) {
  size_t i = 0;
  for (; i + 64 <= n; i += 64) store64(out + i, lut_lookup(L, load64(in + i)));
  if (i < n) {
    const __mmask64 m = first_bytes(n - i);
    store64(out + i, lut_lookup(L, load64(in + i, m)), m);
  }
}

// This ISA's moves for the byte-moving kernels of byte_moves.h.
using Moves = ByteMoves<Lut512, copy_small, lut_prepare, lut_apply>;

}  // namespace
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
