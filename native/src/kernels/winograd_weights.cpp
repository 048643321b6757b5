// The Winograd weight transforms and their exactness bounds (kernels.h, WinogradKernel), shared
// by every ISA's pack: integer arithmetic with one exact result, so there is nothing to vectorize.
#include <cstdint>
#include <cstdlib>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

namespace {

// U = G g G^T for an N x 3 G, every (out, in) channel pair: u[(n * N * N + pos) * in_c + c].
template <int N>
void transform_weights(const int (&G)[N][3], const int8_t* w, int in_c, int out_c, int16_t* u) {
  const size_t cin = static_cast<size_t>(in_c);
  for (int n = 0; n < out_c; ++n) {
    const int8_t* wn = w + static_cast<size_t>(n) * 9 * cin;
    for (size_t c = 0; c < cin; ++c) {
      int gg[N][3];  // G g
      for (int i = 0; i < N; ++i)
        for (int kx = 0; kx < 3; ++kx) {
          int s = 0;
          for (int ky = 0; ky < 3; ++ky) s += G[i][ky] * wn[(ky * 3 + kx) * cin + c];
          gg[i][kx] = s;
        }
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
          int s = 0;
          for (int kx = 0; kx < 3; ++kx) s += gg[i][kx] * G[j][kx];
          u[(static_cast<size_t>(n) * N * N + N * i + j) * cin + c] = static_cast<int16_t>(s);
        }
    }
  }
}

// The largest 255 * sum|w[n]| over the output channels n.
int64_t max_abs_sum(const int8_t* w, int in_c, int out_c) {
  const size_t k = 9 * static_cast<size_t>(in_c);
  int64_t m = 0;
  for (int n = 0; n < out_c; ++n) {
    int64_t s = 0;
    for (size_t i = 0; i < k; ++i) s += std::abs(static_cast<int>(w[n * k + i]));
    m = s > m ? s : m;
  }
  return 255 * m;
}

}  // namespace

void winograd_weights(const int8_t* w, int in_c, int out_c, int16_t* u) {
  static const int G[4][3] = {{2, 0, 0}, {1, 1, 1}, {1, -1, 1}, {0, 0, 2}};
  transform_weights(G, w, in_c, out_c, u);
}

void winograd4_weights(const int8_t* w, int in_c, int out_c, int16_t* u) {
  static const int G[6][3] = {{1, 0, 0}, {-1, -1, -1}, {-1, 1, -1}, {1, 2, 4}, {1, -2, 4}, {0, 0, 1}};
  transform_weights(G, w, in_c, out_c, u);
}

bool winograd_fits(const int8_t* w, int in_c, int out_c) { return 4 * max_abs_sum(w, in_c, out_c) <= INT32_MAX; }

bool winograd4_fits(const int8_t* w, int in_c, int out_c) {
  return max_abs_sum(w, in_c, out_c) < (int64_t{1} << 25);
}

}  // namespace kernels
}  // namespace attendseg
