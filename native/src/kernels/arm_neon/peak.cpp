#include <arm_neon.h>

#include "kernels/arm_neon/peak.h"

namespace attendseg {
namespace kernels {
namespace neon {

// SMLAL by element, the instruction the widening GEMM accumulates with: 4 MACs each. Eight
// chains with distinct weights; the activation is made opaque every round so no product can
// be hoisted or shared.
int64_t peak_loop(int64_t iterations) {
  int16x8_t a = vdupq_n_s16(3);
  const int16x4_t w0 = vdup_n_s16(5), w1 = vdup_n_s16(7), w2 = vdup_n_s16(9), w3 = vdup_n_s16(11);
  int32x4_t c0 = vdupq_n_s32(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+w"(a));
    c0 = vmlal_laneq_s16(c0, w0, a, 0);
    c1 = vmlal_laneq_s16(c1, w1, a, 1);
    c2 = vmlal_laneq_s16(c2, w2, a, 2);
    c3 = vmlal_laneq_s16(c3, w3, a, 3);
    c4 = vmlal_laneq_s16(c4, w0, a, 4);
    c5 = vmlal_laneq_s16(c5, w1, a, 5);
    c6 = vmlal_laneq_s16(c6, w2, a, 6);
    c7 = vmlal_laneq_s16(c7, w3, a, 7);
  }
  const int32x4_t s = vaddq_s32(vaddq_s32(vaddq_s32(c0, c1), vaddq_s32(c2, c3)), vaddq_s32(vaddq_s32(c4, c5), vaddq_s32(c6, c7)));
  volatile int32_t sink = vgetq_lane_s32(s, 0);
  (void)sink;
  return iterations * 8 * 4;
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
