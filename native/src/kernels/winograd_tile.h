// Where the 4x4 input of a Winograd F(2x2, 3x3) tile comes from, for the SIMD input transforms:
// tile (ty, tx) reads input rows 2*ty - pad_top + 0..3 and columns 2*tx - pad_left + 0..3, and a
// null pointer marks a row or pixel in the padding (read as the input zero point).
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

inline void winograd_tile_rows(const WinogradArgs& a, int ty, const uint8_t* rows[4]) {
  const size_t row_bytes = static_cast<size_t>(a.in_w) * a.in_c;
  for (int r = 0; r < 4; ++r) {
    const int y = 2 * ty - a.pad_top + r;
    rows[r] = y >= 0 && y < a.in_h ? a.in + y * row_bytes : nullptr;
  }
}

// px[4 * r + s]: the pixel at row r, column s of tile tx, whose rows come from winograd_tile_rows.
inline void winograd_tile_pixels(const WinogradArgs& a, const uint8_t* const rows[4], int tx, const uint8_t* px[16]) {
  const int x0 = 2 * tx - a.pad_left;
  for (int r = 0; r < 4; ++r)
    for (int s = 0; s < 4; ++s) {
      const int xs = x0 + s;
      px[4 * r + s] = rows[r] && xs >= 0 && xs < a.in_w ? rows[r] + static_cast<size_t>(xs) * a.in_c : nullptr;
    }
}

}  // namespace kernels
}  // namespace attendseg
