// Per-pixel argmax over channels, NEON. Bit-identical to scalar/argmax.cpp.
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
