// Requantization shared by the NEON convolution kernels: the vector form of kernels.h's
//   y = clamp(round((float)acc * scale) + out_zp, qmin, qmax)
// with exactly the scalar float operations (SCVTF, one FMUL, FCVTNS: round half to even; see
// round_add4 for the +-65536 clamp); no fused multiply-add anywhere (-ffp-contract=off).
#pragma once
#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/kernels.h"
#include "kernels/requant_mode.h"

namespace attendseg {
namespace kernels {
namespace neon {
// Internal linkage, as neon_util.h.
namespace {

// kClamp false where [qmin, qmax] is [0, 255] (kernels.h requant_clamps): the unsigned narrow
// already is the whole clamp, so the byte min and max are left out (requant_mode.h; FCVTNS
// saturates by itself, so the NEON epilogue has no clamp at 65536 to leave out).
template <bool kClamp = true>
struct RequantConsts {
  int32x4_t zp;
  int16x8_t zp16;  // for round_narrow16
  uint8x16_t qmin, qmax;
  explicit RequantConsts(const Requant& rq)
      : zp(vdupq_n_s32(rq.out_zp)),
        zp16(vdupq_n_s16(static_cast<int16_t>(rq.out_zp))),
        qmin(vdupq_n_u8(static_cast<uint8_t>(rq.qmin))),
        qmax(vdupq_n_u8(static_cast<uint8_t>(rq.qmax))) {}
  inline uint8x16_t clamp(uint8x16_t v) const { return kClamp ? vmaxq_u8(vminq_u8(v, qmax), qmin) : v; }
  inline uint8x8_t clamp(uint8x8_t v) const {
    return kClamp ? vmax_u8(vmin_u8(v, vget_low_u8(qmax)), vget_low_u8(qmin)) : v;
  }
};

// Calls f(RequantConsts<kClamp>(rq)) with the form rq allows, so a kernel instantiates its body
// once per form and picks one per call.
template <class F>
inline __attribute__((always_inline)) void with_requant_consts(const Requant& rq, F&& f) {
  with_requant_mode(true, requant_clamps(rq), [&](auto mode) { f(RequantConsts<decltype(mode)::kClamp>(rq)); });
}

// round((float)acc * scale) + out_zp for 4 lanes, before the narrow and clamp.
template <class RK>
inline int32x4_t requant4(int32x4_t acc, float32x4_t scale, const RK& k) {
  return round_add4(vmulq_f32(vcvtq_f32_s32(acc), scale), k.zp);
}

// 16 accumulators of consecutive channels -> 16 clamped bytes in channel order.
template <class RK>
inline uint8x16_t requant16(const int32x4_t (&acc)[4], const float32x4_t (&scale)[4], const RK& k) {
  auto scaled = [&](int j) { return vmulq_f32(vcvtq_f32_s32(acc[j]), scale[j]); };
  const uint8x16_t v = round_narrow16(scaled(0), scaled(1), scaled(2), scaled(3), k.zp16);
  return k.clamp(v);
}

// Stores the first n (1..16) bytes of v.
inline void store_bytes(uint8_t* dst, uint8x16_t v, int n) {
  if (n == 16) {
    vst1q_u8(dst, v);
  } else {
    uint8_t tmp[16];
    vst1q_u8(tmp, v);
    std::memcpy(dst, tmp, static_cast<size_t>(n));
  }
}

// Bias and scale vectors of one 16-channel panel with nw valid channels. A partial panel (or a
// missing bias) is read through zero-padded copies so no lane reads past N.
inline void panel_q(const int32_t* bias, const float* scale, int nw, int32x4_t (&b)[4], float32x4_t (&s)[4]) {
  if (nw == 16 && bias) {
    for (int j = 0; j < 4; ++j) {
      b[j] = vld1q_s32(bias + 4 * j);
      s[j] = vld1q_f32(scale + 4 * j);
    }
    return;
  }
  int32_t bp[16];
  float sp[16];
  for (int i = 0; i < 16; ++i) {
    bp[i] = (bias && i < nw) ? bias[i] : 0;
    sp[i] = i < nw ? scale[i] : 0.0f;
  }
  for (int j = 0; j < 4; ++j) {
    b[j] = vld1q_s32(bp + 4 * j);
    s[j] = vld1q_f32(sp + 4 * j);
  }
}

}  // namespace
}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
