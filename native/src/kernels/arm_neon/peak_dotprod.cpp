#include <arm_neon.h>

#include "kernels/arm_neon/peak.h"

namespace attendseg {
namespace kernels {
namespace neon_dotprod {

// SDOT by element, the instruction the dot-product GEMM accumulates with: 16 MACs each.
// Eight chains with distinct weights; the activation is made opaque every round so no product
// can be hoisted or shared.
int64_t peak_loop(int64_t iterations) {
  int8x16_t a = vdupq_n_s8(3);
  const int8x16_t w0 = vdupq_n_s8(5), w1 = vdupq_n_s8(7), w2 = vdupq_n_s8(9), w3 = vdupq_n_s8(11);
  int32x4_t c0 = vdupq_n_s32(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  for (int64_t it = 0; it < iterations; ++it) {
    asm volatile("" : "+w"(a));
    c0 = vdotq_laneq_s32(c0, w0, a, 0);
    c1 = vdotq_laneq_s32(c1, w1, a, 1);
    c2 = vdotq_laneq_s32(c2, w2, a, 2);
    c3 = vdotq_laneq_s32(c3, w3, a, 3);
    c4 = vdotq_laneq_s32(c4, w0, a, 1);
    c5 = vdotq_laneq_s32(c5, w1, a, 2);
    c6 = vdotq_laneq_s32(c6, w2, a, 3);
    c7 = vdotq_laneq_s32(c7, w3, a, 0);
  }
  const int32x4_t s = vaddq_s32(vaddq_s32(vaddq_s32(c0, c1), vaddq_s32(c2, c3)), vaddq_s32(vaddq_s32(c4, c5), vaddq_s32(c6, c7)));
  volatile int32_t sink = vgetq_lane_s32(s, 0);
  (void)sink;
  return iterations * 8 * 16;
}

}  // namespace neon_dotprod
}  // namespace kernels
}  // namespace attendseg
