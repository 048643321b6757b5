#include "kernels/scalar/peak.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// Eight independent int32 multiply-add chains; volatile seeds keep the compiler from folding them.
int64_t peak_loop(int64_t iterations) {
  volatile int32_t seed = 3;
  int32_t a[8], w[8];
  for (int i = 0; i < 8; ++i) a[i] = seed + i, w[i] = seed - i;
  int32_t acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 8
    for (int i = 0; i < 8; ++i) acc[i] += a[i] * w[i];
    asm volatile("" : "+r"(acc[0]), "+r"(acc[3]), "+r"(acc[6]));  // keep it scalar and unfolded
  }
  volatile int32_t sink = 0;
  for (int i = 0; i < 8; ++i) sink = sink + acc[i];
  return iterations * 8;
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
