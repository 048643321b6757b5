// Per-pixel argmax over channels and its confidence, NEON. Bit-identical to scalar/argmax.cpp.
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// Channel c becomes the 16-bit key ((255 - x) << 8) | c: the smallest key is the largest
// value and, among equal values, the smallest channel, i.e. the first index of the maximum.
inline uint16x8_t keys(uint8x8_t x, uint16x8_t idx) {
  return vorrq_u16(vshll_n_u8(vmvn_u8(x), 8), idx);
}

// kernels.h ArgmaxArgs' confidence of pixels [p_begin, p_end), whose labels are set. NEON has no
// gather, so each pixel's softmax entries are looked up and summed per channel; the division
// runs for 4 pixels at once, in float, then corrected to the exact integer quotient: the float
// estimate is within 1 of it (N < 2^25, D <= 2^24, quotient <= 255).
void confidence(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  const uint32_t* table = a.softmax;
  auto sum_of = [&](size_t p) {
    const uint8_t* in = a.in + p * C;
    const int m = in[a.labels[p]];
    uint32_t s0 = 0, s1 = 0;  // two chains of loads
    int c = 0;
    for (; c + 2 <= C; c += 2) {
      s0 += table[m - in[c]];
      s1 += table[m - in[c + 1]];
    }
    if (c < C) s0 += table[m - in[c]];
    return s0 + s1;
  };
  auto divide4 = [](uint32x4_t d) {
    const uint32x4_t n = vaddq_u32(vdupq_n_u32(255u * 65536u), vshrq_n_u32(d, 1));
    uint32x4_t q = vcvtq_u32_f32(vdivq_f32(vcvtq_f32_u32(n), vcvtq_f32_u32(d)));
    const int32x4_t r = vreinterpretq_s32_u32(vsubq_u32(n, vmulq_u32(q, d)));
    q = vaddq_u32(q, vreinterpretq_u32_s32(vshrq_n_s32(r, 31)));                  // r < 0: q - 1
    q = vsubq_u32(q, vcgeq_s32(r, vreinterpretq_s32_u32(d)));                      // r >= d: q + 1
    return q;
  };
  size_t p = p_begin;
  uint32_t sums[4];
  for (; p + 4 <= p_end; p += 4) {
    for (int j = 0; j < 4; ++j) sums[j] = sum_of(p + j);
    const uint32x4_t q = divide4(vld1q_u32(sums));
    const uint16x4_t q16 = vmovn_u32(q);
    const uint8x8_t q8 = vmovn_u16(vcombine_u16(q16, q16));
    vst1_lane_u32(reinterpret_cast<uint32_t*>(a.confidence + p), vreinterpret_u32_u8(q8), 0);
  }
  if (p < p_end) {
    const int n = static_cast<int>(p_end - p);
    for (int j = 0; j < 4; ++j) sums[j] = j < n ? sum_of(p + j) : 65536u;
    uint32_t q[4];
    vst1q_u32(q, divide4(vld1q_u32(sums)));
    for (int j = 0; j < n; ++j) a.confidence[p + j] = static_cast<uint8_t>(q[j]);
  }
}

}  // namespace

// Keys of 8 channels at a time are reduced with UMIN, the last 8-block overlapping the
// previous one (identical keys, so nothing changes), then UMINV finds the pixel's minimum.
// Needs 4 <= C <= 256 (labels are bytes); other counts run the scalar reference.
void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  if (C < 4 || C > 256) {
    scalar::argmax(a, p_begin, p_end);
    return;
  }
  if (a.confidence) {  // the range's labels, then their confidence
    ArgmaxArgs labels_only = a;
    labels_only.confidence = nullptr;
    argmax(labels_only, p_begin, p_end);
    confidence(a, p_begin, p_end);
    return;
  }
  static const uint16_t kLane[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  const uint16x8_t lane = vld1q_u16(kLane);
  if (C >= 8) {
    const uint16x8_t tail_idx = vaddq_u16(lane, vdupq_n_u16(static_cast<uint16_t>(C - 8)));
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      uint16x8_t acc = keys(vld1_u8(in), lane);
      int c = 8;
      for (; c + 8 <= C; c += 8) acc = vminq_u16(acc, keys(vld1_u8(in + c), vaddq_u16(lane, vdupq_n_u16(c))));
      if (c < C) acc = vminq_u16(acc, keys(vld1_u8(in + C - 8), tail_idx));
      a.labels[p] = static_cast<uint8_t>(vminvq_u16(acc) & 0xFF);
    }
  } else {
    // 4..7 channels: lanes 0..3 channels 0..3, lanes 4..7 channels C-4..C-1.
    const uint16_t idx_init[8] = {0, 1, 2, 3, static_cast<uint16_t>(C - 4), static_cast<uint16_t>(C - 3),
                                  static_cast<uint16_t>(C - 2), static_cast<uint16_t>(C - 1)};
    const uint16x8_t idx = vld1q_u16(idx_init);
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      uint32_t lo, hi;
      std::memcpy(&lo, in, 4);
      std::memcpy(&hi, in + C - 4, 4);
      const uint8x8_t b = vreinterpret_u8_u32(vset_lane_u32(hi, vdup_n_u32(lo), 1));
      a.labels[p] = static_cast<uint8_t>(vminvq_u16(keys(b, idx)) & 0xFF);
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
