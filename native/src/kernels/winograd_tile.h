// Where the input of a Winograd tile comes from, for the SIMD input transforms: with T x T output
// tiles (T = 2 or 4) and windows of N = T + 2 pixels a side, tile (ty, tx) reads input rows
// T*ty - pad_top + 0..N-1 and columns T*tx - pad_left + 0..N-1, and a null pointer marks a row or
// pixel in the padding (read as the input zero point).
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
// Internal linkage: translation units of different ISAs include this, and the linker must never
// hand one of them another's copy.
namespace {

// rows[r], r < T + 2.
template <int T = 2>
inline void winograd_tile_rows(const WinogradArgs& a, int ty, const uint8_t* rows[T + 2]) {
  const size_t row_bytes = static_cast<size_t>(a.in_w) * a.in_c;
  for (int r = 0; r < T + 2; ++r) {
    const int y = T * ty - a.pad_top + r;
    rows[r] = y >= 0 && y < a.in_h ? a.in + y * row_bytes : nullptr;
  }
}

// px[N * r + s]: the pixel at row r, column s of tile tx, whose rows come from winograd_tile_rows.
template <int T = 2>
inline void winograd_tile_pixels(const WinogradArgs& a, const uint8_t* const rows[T + 2], int tx,
                                 const uint8_t* px[(T + 2) * (T + 2)]) {
  constexpr int N = T + 2;
  const int x0 = T * tx - a.pad_left;
  for (int r = 0; r < N; ++r)
    for (int s = 0; s < N; ++s) {
      const int xs = x0 + s;
      px[N * r + s] = rows[r] && xs >= 0 && xs < a.in_w ? rows[r] + static_cast<size_t>(xs) * a.in_c : nullptr;
    }
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
