// The row loop every SIMD ISA's nearest Resize shares (kernels.h "Resize"): an output row whose
// source row equals the previous one (upscaling) is a copy of that finished row; otherwise
// copy_pixel(dst, src, C) copies each output pixel's C bytes and finish_row(row, n) then applies
// the requantization table, if any, to the row's n bytes. The callables come from the ISA's own
// file, so each ISA gets its own instantiation compiled with its flags.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

template <class CopyPixel, class FinishRow>
inline void resize_nearest_rows(const ResizeArgs& a, int row_begin, int row_end, const CopyPixel& copy_pixel,
                                const FinishRow& finish_row) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t row_bytes = static_cast<size_t>(a.out_w) * C;
  const int32_t* xs = a.xs->i0.data();
  for (int oy = row_begin; oy < row_end; ++oy) {
    uint8_t* orow = a.out + static_cast<size_t>(oy) * row_bytes;
    if (oy > row_begin && a.ys->i0[oy] == a.ys->i0[oy - 1]) {
      std::memcpy(orow, orow - row_bytes, row_bytes);
      continue;
    }
    const uint8_t* irow = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    for (int ox = 0; ox < a.out_w; ++ox) copy_pixel(orow + ox * C, irow + xs[ox] * C, C);
    finish_row(orow, row_bytes);
  }
}

}  // namespace kernels
}  // namespace attendseg
