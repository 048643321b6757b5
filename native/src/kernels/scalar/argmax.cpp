// Per-pixel argmax over channels (reference): the first index of the maximum.
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  for (size_t p = p_begin; p < p_end; ++p) {
    const uint8_t* in = a.in + p * C;
    int best = 0;
    for (int c = 1; c < C; ++c)
      if (in[c] > in[best]) best = c;
    a.labels[p] = static_cast<uint8_t>(best);
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
