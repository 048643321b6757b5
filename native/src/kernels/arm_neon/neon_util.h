// NEON building blocks shared by this folder's kernels (private to arm_neon/).
// Everything has internal linkage: the dot-product files are compiled with armv8.2-a+dotprod,
// and an out-of-line copy of a shared inline function emitted there must never be the one the
// linker hands to code that runs on a CPU without those instructions (Xavier's Carmel).
#pragma once
#include <arm_neon.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/byte_moves.h"
#include "kernels/isa_scalar_helpers.h"
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace neon {
namespace {

// kernels.h round(x) + zp, as the kernels need it before narrowing to bytes: FCVTNS rounds to
// nearest with ties to even (nearbyintf under the default rounding mode) and saturates to the
// int32 range, and the zero point is added with saturation. The contract's clamp to +-65536
// is left out: it only changes values of magnitude above 65536, which stay above 255 in
// magnitude with the same sign either way, so every byte after the saturating narrow and the
// [qmin, qmax] clamp is the same.
inline int32x4_t round_add4(float32x4_t x, int32x4_t zp) { return vqaddq_s32(vcvtnq_s32_f32(x), zp); }

// v / s: the true division (FDIV, correctly rounded as the scalar one) or, as kQuotient says,
// v * r or kernels.h corrected_quotient with r = 1 / s (FMUL, FMLS, FMLA), each only where the
// plan's check showed it equal (kernels.h "Quotients by a reciprocal").
template <Quotient kQuotient>
inline float32x4_t quotient4(float32x4_t v, float32x4_t s, float32x4_t r) {
  if constexpr (kQuotient == Quotient::Reciprocal) {
    return vmulq_f32(v, r);
  } else if constexpr (kQuotient == Quotient::Corrected) {
    const float32x4_t q0 = vmulq_f32(v, r);
    return vfmaq_f32(q0, vfmsq_f32(v, q0, s), r);  // q0 + (v - q0 * s) * r, fused
  } else {
    return vdivq_f32(v, s);
  }
}

// Four int32 lanes (a, b, c, d: 16 values) -> 16 bytes, saturating to 0..255. Exact for
// values already in 0..255; for others, saturating first and clamping to [lo, hi] afterwards
// equals clamping directly when 0 <= lo <= hi <= 255.
inline uint8x16_t narrow16(int32x4_t a, int32x4_t b, int32x4_t c, int32x4_t d) {
  const int16x8_t lo = vcombine_s16(vqmovn_s32(a), vqmovn_s32(b));
  const int16x8_t hi = vcombine_s16(vqmovn_s32(c), vqmovn_s32(d));
  return vcombine_u8(vqmovun_s16(lo), vqmovun_s16(hi));
}
// round_add4 over 16 lanes (a, b, c, d) narrowed as narrow16, with the zero point added after the
// saturating narrow to int16: one SQADD per 8 lanes instead of per 4, and the same bytes. A rounded
// value within int16 gives sat16(v + zp) either way; one beyond it gives a sum beyond 0..255 on
// the same side either way, for any zero point of magnitude up to 255 (uint8 zero points).
inline uint8x16_t round_narrow16(float32x4_t a, float32x4_t b, float32x4_t c, float32x4_t d, int16x8_t zp) {
  const int16x8_t lo = vqaddq_s16(vcombine_s16(vqmovn_s32(vcvtnq_s32_f32(a)), vqmovn_s32(vcvtnq_s32_f32(b))), zp);
  const int16x8_t hi = vqaddq_s16(vcombine_s16(vqmovn_s32(vcvtnq_s32_f32(c)), vqmovn_s32(vcvtnq_s32_f32(d))), zp);
  return vcombine_u8(vqmovun_s16(lo), vqmovun_s16(hi));
}
inline uint8x8_t narrow8(int32x4_t a, int32x4_t b) {
  return vqmovun_s16(vcombine_s16(vqmovn_s32(a), vqmovn_s32(b)));
}

// 16 bytes -> four int32x4 (bytes 0-3, 4-7, 8-11, 12-15).
inline void widen16(uint8x16_t v, int32x4_t* a, int32x4_t* b, int32x4_t* c, int32x4_t* d) {
  const uint16x8_t lo = vmovl_u8(vget_low_u8(v)), hi = vmovl_u8(vget_high_u8(v));
  *a = vreinterpretq_s32_u32(vmovl_u16(vget_low_u16(lo)));
  *b = vreinterpretq_s32_u32(vmovl_u16(vget_high_u16(lo)));
  *c = vreinterpretq_s32_u32(vmovl_u16(vget_low_u16(hi)));
  *d = vreinterpretq_s32_u32(vmovl_u16(vget_high_u16(hi)));
}

// Copies n bytes between non-overlapping buffers with (overlapping) vector moves: no library
// call for the short runs im2col, resize and concat move per pixel.
inline void copy_small(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n >= 32) {
    size_t i = 0;
    for (; i + 64 <= n; i += 64) vst1q_u8_x4(dst + i, vld1q_u8_x4(src + i));
    if (i + 32 <= n) {
      vst1q_u8_x2(dst + i, vld1q_u8_x2(src + i));
      i += 32;
    }
    if (i + 16 <= n) {
      vst1q_u8(dst + i, vld1q_u8(src + i));
      i += 16;
    }
    if (i < n) vst1q_u8(dst + n - 16, vld1q_u8(src + n - 16));
  } else if (n >= 16) {
    const uint8x16_t a = vld1q_u8(src), b = vld1q_u8(src + n - 16);
    vst1q_u8(dst, a);
    vst1q_u8(dst + n - 16, b);
  } else if (n >= 8) {
    const uint8x8_t a = vld1_u8(src), b = vld1_u8(src + n - 8);
    vst1_u8(dst, a);
    vst1_u8(dst + n - 8, b);
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

// memset for short runs (im2col padding), same idea.
inline void fill_small(uint8_t* dst, uint8_t value, size_t n) {
  if (n >= 16) {
    const uint8x16_t v = vdupq_n_u8(value);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) vst1q_u8(dst + i, v);
    if (i < n) vst1q_u8(dst + n - 16, v);
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = value;
  }
}

// Exact 256-entry byte table lookup: TBL over the first 64 entries, TBX (out-of-range indices
// keep the previous result) over the other three quarters with the index moved down by 64 each.
struct Lut256 {
  uint8x16x4_t q[4];
};
inline void lut_prepare(const uint8_t* t, Lut256* L) {
  for (int k = 0; k < 4; ++k) {
    L->q[k].val[0] = vld1q_u8(t + 64 * k);
    L->q[k].val[1] = vld1q_u8(t + 64 * k + 16);
    L->q[k].val[2] = vld1q_u8(t + 64 * k + 32);
    L->q[k].val[3] = vld1q_u8(t + 64 * k + 48);
  }
}
inline uint8x16_t lut_lookup(const Lut256& L, uint8x16_t x) {
  const uint8x16_t s64 = vdupq_n_u8(64);
  uint8x16_t r = vqtbl4q_u8(L.q[0], x);
  x = vsubq_u8(x, s64);
  r = vqtbx4q_u8(r, L.q[1], x);
  x = vsubq_u8(x, s64);
  r = vqtbx4q_u8(r, L.q[2], x);
  x = vsubq_u8(x, s64);
  return vqtbx4q_u8(r, L.q[3], x);
}
// out[i] = table[in[i]] for i < n; in and out may be the same buffer.
inline void lut_apply(const Lut256& L, const uint8_t* in, uint8_t* out, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) vst1q_u8(out + i, lut_lookup(L, vld1q_u8(in + i)));
  if (i < n) {
    uint8_t buf[16] = {0};
    std::memcpy(buf, in + i, n - i);
    vst1q_u8(buf, lut_lookup(L, vld1q_u8(buf)));
    std::memcpy(out + i, buf, n - i);
  }
}

// This ISA's moves for the byte-moving kernels of byte_moves.h.
using Moves = ByteMoves<Lut256, copy_small, lut_prepare, lut_apply>;

// The three colour planes of a palette as 256-entry tables: R[l] = palette[3 * (l % size)], ...
struct PaletteLut {
  Lut256 r, g, b;
};
inline void palette_prepare(const uint8_t* palette, int palette_size, PaletteLut* P) {
  uint8_t t[3][256];
  for (int l = 0; l < 256; ++l)
    for (int c = 0; c < 3; ++c) t[c][l] = palette[3 * (l % palette_size) + c];
  lut_prepare(t[0], &P->r);
  lut_prepare(t[1], &P->g);
  lut_prepare(t[2], &P->b);
}
inline uint8x16x3_t palette_lookup(const PaletteLut& P, uint8x16_t labels) {
  uint8x16x3_t c;
  c.val[0] = lut_lookup(P.r, labels);
  c.val[1] = lut_lookup(P.g, labels);
  c.val[2] = lut_lookup(P.b, labels);
  return c;
}

}  // namespace
}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
