// AVX2 building blocks shared by this folder's kernels (private to x86_avx2/).
// Everything here has internal linkage so no AVX2-compiled copy can leak into other ISAs' code.
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/byte_moves.h"
#include "kernels/isa_scalar_helpers.h"
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
namespace {

// argmax's key of a value x (0..255, an int16 lane) of channel c: ((255 - x) << 8) | c, so that the
// smallest key is the largest value and, among equal values, the smallest channel.
inline __m256i argmax_keys(__m256i x, __m256i channel) {
  return _mm256_or_si256(_mm256_slli_epi16(_mm256_xor_si256(x, _mm256_set1_epi16(0xFF)), 8), channel);
}
// The channel of the smallest of 16 keys (unsigned 16-bit min of the halves, then phminposuw).
inline uint8_t smallest_key_channel(__m256i keys) {
  const __m128i m = _mm_min_epu16(_mm256_castsi256_si128(keys), _mm256_extracti128_si256(keys, 1));
  return static_cast<uint8_t>(_mm_cvtsi128_si32(_mm_minpos_epu16(m)) & 0xFF);
}

// kernels.h round(): clamp to +-65536, then convert with round-half-to-even (default MXCSR).
inline __m256i round_clamped8(__m256 x) {
  x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-65536.0f)), _mm256_set1_ps(65536.0f));
  return _mm256_cvtps_epi32(x);
}

// clamp(round(v / s) + zp, lo, hi) for integer bounds 0 <= lo <= hi <= 255, in two steps so that
// the zero point and the bounds apply to packed lanes:
//   round8(v): round(v / s) as int32, converted with round half to even. The quotient is the true
//     division (QuantizeLinear's, as the scalar code), or as kQuotient says v * (1 / s) or
//     kernels.h corrected_quotient (FMA), each only where the plan's check showed it equal
//     (kernels.h "Quotients by a reciprocal"; the plain product differs near half-integers,
//     which bilinear weights and related scales make common).
//     Quotients over 65536 are clamped there; under -2^31 the conversion gives INT_MIN, which
//     saturates like the scalar -65536 clamp. With kBounded (the caller has shown every quotient
//     it forms is inside int32, e.g. kernels.h resize_quotient_bounded) the clamp is left out:
//     the conversion is then exact and every quotient over 65536 ends at 255 either way.
//   pack32 / store8: signed packs to int16 (saturating), + zp saturating, unsigned packs to
//     bytes, then the [lo, hi] clamp on bytes.
// Equal to the scalar clamp_u8(round_clamped(v / s) + zp, lo, hi): a rounded quotient outside
// int16 saturates to a value whose sum with zp (0..255) is still outside 0..255 on the same side.
// kClamp false leaves out the byte clamp, for lo = 0 and hi = 255 (which the unsigned packs
// already are; a Resize's bounds).
template <Quotient kQuotient, bool kBounded = false, bool kClamp = true>
struct Quantize8 {
  __m256 s, r, hi_f;
  __m256i zp16, lo8, hi8;
  Quantize8(float scale, int32_t zero_point, int32_t lo, int32_t hi)
      : s(_mm256_set1_ps(scale)), r(_mm256_set1_ps(1.0f / scale)), hi_f(_mm256_set1_ps(65536.0f)),
        zp16(_mm256_set1_epi16(static_cast<int16_t>(zero_point))), lo8(_mm256_set1_epi8(static_cast<char>(lo))),
        hi8(_mm256_set1_epi8(static_cast<char>(hi))) {}
  inline __m256 quotient(__m256 v) const {
    if constexpr (kQuotient == Quotient::Reciprocal) {
      return _mm256_mul_ps(v, r);
    } else if constexpr (kQuotient == Quotient::Corrected) {
      const __m256 q0 = _mm256_mul_ps(v, r);
      return _mm256_fmadd_ps(_mm256_fnmadd_ps(q0, s, v), r, q0);  // q0 + (v - q0 * s) * r, fused
    } else {
      return _mm256_div_ps(v, s);
    }
  }
  inline __m256i round8(__m256 v) const {
    if constexpr (kBounded) return _mm256_cvtps_epi32(quotient(v));
    return _mm256_cvtps_epi32(_mm256_min_ps(quotient(v), hi_f));
  }
  // Four round8 results -> 32 bytes, packed in lane (r0 | r1 | r2 | r3 hold elements {0-3,16-19},
  // {4-7,20-23}, {8-11,24-27}, {12-15,28-31} for the bytes to come out in order).
  inline __m256i pack32(__m256i r0, __m256i r1, __m256i r2, __m256i r3) const {
    const __m256i w0 = _mm256_adds_epi16(_mm256_packs_epi32(r0, r1), zp16);
    const __m256i w1 = _mm256_adds_epi16(_mm256_packs_epi32(r2, r3), zp16);
    return clamp(_mm256_packus_epi16(w0, w1));
  }
  // pack32 for a zero point of 0 (the Add in integers folds its own into c): no additions.
  inline __m256i pack32_zero_zp(__m256i r0, __m256i r1, __m256i r2, __m256i r3) const {
    return clamp(_mm256_packus_epi16(_mm256_packs_epi32(r0, r1), _mm256_packs_epi32(r2, r3)));
  }
  inline __m256i clamp(__m256i u) const { return kClamp ? _mm256_min_epu8(_mm256_max_epu8(u, lo8), hi8) : u; }
  // Four round8 results of 8 consecutive elements each -> those 32 bytes in order.
  inline __m256i pack32_consecutive(__m256i r0, __m256i r1, __m256i r2, __m256i r3) const {
    return _mm256_permutevar8x32_epi32(pack32(r0, r1, r2, r3), _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  }
  // Two round8 results (8 values each) -> their 16 int16 values plus the zero point, with
  // store8's saturations, before its byte clamp: v0's 0-3, v1's 0-3, v0's 4-7, v1's 4-7.
  inline __m256i bytes16(__m256i v0, __m256i v1) const { return _mm256_adds_epi16(_mm256_packs_epi32(v0, v1), zp16); }
  // One round8 result -> 8 bytes at dst.
  inline void store8(uint8_t* dst, __m256i r) const {
    __m128i p = _mm_packs_epi32(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
    p = _mm_adds_epi16(p, _mm256_castsi256_si128(zp16));
    p = _mm_packus_epi16(p, p);
    if (kClamp) p = _mm_min_epu8(_mm_max_epu8(p, _mm256_castsi256_si128(lo8)), _mm256_castsi256_si128(hi8));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), p);
  }
};

inline __m256i load8_u8_epi32(const uint8_t* p) {
  return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
}

// 8 int32 lanes holding 0..255 -> 8 bytes.
inline void store8_epi32(uint8_t* dst, __m256i v) {
  __m128i p = _mm_packus_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  p = _mm_packus_epi16(p, p);
  _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), p);
}

// 16 int32 lanes (a then b) holding 0..255 -> 16 bytes in order.
inline __m128i pack16_epi32(__m256i a, __m256i b) {
  __m256i p = _mm256_packs_epi32(a, b);  // a0-3 b0-3 | a4-7 b4-7
  p = _mm256_permute4x64_epi64(p, 0xD8);  // a0-3 a4-7 | b0-3 b4-7
  return _mm_packus_epi16(_mm256_castsi256_si128(p), _mm256_extracti128_si256(p, 1));
}

// Copies n bytes between non-overlapping buffers with (overlapping) vector moves.
inline void copy_small(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n >= 32) {
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i)));
    if (i < n)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + n - 32),
                          _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + n - 32)));
  } else if (n >= 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + n - 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + n - 16), b);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

// Exact 256-entry byte table lookup with vpshufb.
// The table is split into halves by bit 7 and each half into 8 rows of 16 bytes, stored
// XOR-differenced: D[0] = T[0], D[k] = T[k] ^ T[k-1]. For a 7-bit index i (row h = i >> 4),
// vpshufb(D[k], i - 16k) yields D[k][i & 15] for k <= h (index in 0..127, bit 7 clear) and 0 for
// k > h (index in -112..-1: bit 7 set), so the XOR over k telescopes to T[h][i & 15].
// Bit 7 of the input then selects the half (vpblendvb).
struct Lut256 {
  __m256i lo[8], hi[8];
};
inline void lut_prepare(const uint8_t* t, Lut256* L) {
  for (int k = 0; k < 8; ++k) {
    const __m128i prev_lo = k ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16 * (k - 1))) : _mm_setzero_si128();
    const __m128i prev_hi =
        k ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 128 + 16 * (k - 1))) : _mm_setzero_si128();
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 16 * k));
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(t + 128 + 16 * k));
    L->lo[k] = _mm256_broadcastsi128_si256(_mm_xor_si128(lo, prev_lo));
    L->hi[k] = _mm256_broadcastsi128_si256(_mm_xor_si128(hi, prev_hi));
  }
}
inline __m256i lut_lookup(const Lut256& L, __m256i x) {
  const __m256i s16 = _mm256_set1_epi8(16);
  __m256i idx = _mm256_and_si256(x, _mm256_set1_epi8(0x7F));
  __m256i rl = _mm256_shuffle_epi8(L.lo[0], idx);
  __m256i rh = _mm256_shuffle_epi8(L.hi[0], idx);
  for (int k = 1; k < 8; ++k) {
    idx = _mm256_sub_epi8(idx, s16);
    rl = _mm256_xor_si256(rl, _mm256_shuffle_epi8(L.lo[k], idx));
    rh = _mm256_xor_si256(rh, _mm256_shuffle_epi8(L.hi[k], idx));
  }
  return _mm256_blendv_epi8(rl, rh, x);
}
// out[i] = table[in[i]] for i < n; in and out may be the same buffer.
inline void lut_apply(const Lut256& L, const uint8_t* in, uint8_t* out, size_t n) {
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + i));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), lut_lookup(L, x));
  }
  if (i < n) {
    alignas(32) uint8_t buf[32] = {0};
    std::memcpy(buf, in + i, n - i);
    _mm256_store_si256(reinterpret_cast<__m256i*>(buf),
                       lut_lookup(L, _mm256_load_si256(reinterpret_cast<const __m256i*>(buf))));
    std::memcpy(out + i, buf, n - i);
  }
}

// This ISA's moves for the byte-moving kernels of byte_moves.h.
using Moves = ByteMoves<Lut256, copy_small, lut_prepare, lut_apply>;

// Byte gather from a table of at least 4 bytes without reading past table[max(3, t)]: each lane loads
// the dword ending at its byte (or the first dword for t < 3) and shifts the byte down.
inline __m256i gather_u8(const uint8_t* table, __m256i t) {
  const __m256i j = _mm256_max_epi32(_mm256_sub_epi32(t, _mm256_set1_epi32(3)), _mm256_setzero_si256());
  const __m256i g = _mm256_i32gather_epi32(reinterpret_cast<const int*>(table), j, 1);
  const __m256i sh = _mm256_slli_epi32(_mm256_sub_epi32(t, j), 3);
  return _mm256_and_si256(_mm256_srlv_epi32(g, sh), _mm256_set1_epi32(0xFF));
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
