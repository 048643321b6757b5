// The Winograd weight transform and its exactness bound (kernels.h, WinogradKernel), shared by
// every ISA's pack: integer arithmetic with one exact result, so there is nothing to vectorize.
#include <cstdint>
#include <cstdlib>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

void winograd_weights(const int8_t* w, int in_c, int out_c, int16_t* u) {
  static const int G[4][3] = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
  const size_t cin = static_cast<size_t>(in_c);
  for (int n = 0; n < out_c; ++n) {
    const int8_t* wn = w + static_cast<size_t>(n) * 9 * cin;
    for (size_t c = 0; c < cin; ++c) {
      int gg[4][3];  // G g
      for (int i = 0; i < 4; ++i)
        for (int kx = 0; kx < 3; ++kx) {
          int s = 0;
          for (int ky = 0; ky < 3; ++ky) s += G[i][ky] * wn[(ky * 3 + kx) * cin + c];
          gg[i][kx] = s;
        }
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
          int s = 0;
          for (int kx = 0; kx < 3; ++kx) s += gg[i][kx] * G[j][kx];
          u[(static_cast<size_t>(n) * 16 + 4 * i + j) * cin + c] = static_cast<int16_t>(s);
        }
    }
  }
}

bool winograd_fits(const int8_t* w, int in_c, int out_c) {
  const size_t k = 9 * static_cast<size_t>(in_c);
  for (int n = 0; n < out_c; ++n) {
    int64_t s = 0;
    for (size_t i = 0; i < k; ++i) s += std::abs(static_cast<int>(w[n * k + i]));
    if (4 * 255 * s > INT32_MAX) return false;
  }
  return true;
}

}  // namespace kernels
}  // namespace attendseg
