// Per-pixel argmax over channels (reference): the first index of the maximum, and with
// confidence the integer softmax of kernels.h ArgmaxArgs.
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
    if (a.confidence) {
      uint32_t sum = 0;
      for (int c = 0; c < C; ++c) sum += a.softmax[in[best] - in[c]];
      a.confidence[p] = confidence_of_sum(sum);
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
