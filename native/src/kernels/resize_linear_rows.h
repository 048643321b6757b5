// The walk of the x86 bilinear Resize kernels over output pixels of 8 or more channels: the two
// dequantized source rows an output row reads, cached across the output rows of one call
// (consecutive output rows mostly read the same two), and per output pixel its four source
// pixels and weight products. Each ISA passes its own dequantize_row (X(q) of kernels.h for a
// whole source row) and the vector code of one pixel.
#pragma once
#include <type_traits>
#include <vector>

#include "aligned_buffer.h"
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
// Internal linkage: each ISA's file compiles its own copy with its own flags, so no copy built
// with wider instructions can be the one the linker keeps for another table.
namespace {

// Calls f(quotient, bounded) with a's Quotient (Division or Corrected) and whether its quotients
// need no clamp (resize_quotient_bounded) as compile-time constants, for the kernel templates.
template <class F>
inline void with_resize_quotient(const ResizeArgs& a, F&& f) {
  using Division = std::integral_constant<Quotient, Quotient::Division>;
  using Corrected = std::integral_constant<Quotient, Quotient::Corrected>;
  const bool bounded = resize_quotient_bounded(a);
  if (a.quotient == Quotient::Corrected) {
    if (bounded)
      f(Corrected{}, std::true_type{});
    else
      f(Corrected{}, std::false_type{});
  } else if (bounded) {
    f(Division{}, std::true_type{});
  } else {
    f(Division{}, std::false_type{});
  }
}

// Of two row slots caching source rows, the one holding `want`, or (*fresh = true) the slot to
// fill with it: one holding neither of the two rows an output row reads (y0, y1).
inline int row_slot(const int (&row)[2], int want, int y0, int y1, bool* fresh) {
  *fresh = false;
  if (row[0] == want) return 0;
  if (row[1] == want) return 1;
  *fresh = true;
  return (row[0] != y0 && row[0] != y1) ? 0 : 1;
}

// Per thread (per_thread<DequantRows>()); a call starts with reset(), since the cached rows may be
// another tensor's, or this one's before it was rewritten.
struct DequantRows {
  AlignedArray<float> f[2];
  int row[2] = {-1, -1};
  void reset(const ResizeArgs& a) {
    row[0] = row[1] = -1;
    for (auto& v : f) v.grow(static_cast<size_t>(a.in_w) * a.channels);
  }
};

// Rows y0 and y1 dequantized (*f0, *f1), converting whichever is not cached into a slot the other
// does not use with dequantize_row(a, y, floats).
template <class DequantizeRow>
inline void dequant_rows(const ResizeArgs& a, int y0, int y1, DequantRows* r, const float** f0, const float** f1,
                         DequantizeRow dequantize_row) {
  const int want[2] = {y0, y1};
  const float** dst[2] = {f0, f1};
  for (int k = 0; k < 2; ++k) {
    bool fresh;
    const int slot = row_slot(r->row, want[k], y0, y1, &fresh);
    if (fresh) {
      dequantize_row(a, want[k], r->f[slot].data());
      r->row[slot] = want[k];
    }
    *dst[k] = r->f[slot].data();
  }
}

// The weights of a 2x half-pixel upscale inside the image: 0.25 and 0.75 in either order.
inline bool quarter_pair(float w0, float w1) { return (w0 == 0.25f && w1 == 0.75f) || (w0 == 0.75f && w1 == 0.25f); }

// Output rows [row_begin, row_end) of a: pixel(out, p11, p21, p12, p22, w11, w21, w12, w22) for
// each output pixel, where out is its C bytes, pij its source pixels' C dequantized values
// (i: x neighbour, j: y neighbour) and wij = wxi * wyj, as the scalar reference computes them.
// Pixels whose x and y weights are both quarter_pair (every pixel of a 2x upscale inside the
// image) take sixteenths(out, p11, p21, p12, p22, one) instead: their weight products are 1, 3, 3
// and 9 sixteenths, `one` the position (0 for w11, 1 w21, 2 w12, 3 w22) of the 1/16, 9/16
// diagonal to it (at 3 - one). Each product wij * X is then (k * X) / 16 exactly, and so is every
// sum of them, so the pixel's v is 16 times smaller than ((k11 X11 + k21 X21) + k12 X12) + k22 X22
// in floats, whose quotient by 16 * out_scale is v's by out_scale (every intermediate stays
// normal: kMinScale, kMaxScale): one multiplication fewer per value, and no weights to broadcast.
// rows: this thread's cache (per_thread<DequantRows>()).
template <class DequantizeRow, class Pixel, class Sixteenths>
inline void linear_rows(const ResizeArgs& a, int row_begin, int row_end, DequantRows& rows,
                        DequantizeRow dequantize_row, Pixel pixel, Sixteenths sixteenths) {
  const int C = a.channels;
  rows.reset(a);
  // The x axis read through local pointers: the output's byte stores may alias anything, so
  // fields read through `a` would be loaded again for every pixel.
  const int32_t* const xi0 = a.xs->i0.data();
  const int32_t* const xi1 = a.xs->i1.data();
  const float* const xw0 = a.xs->w0.data();
  const float* const xw1 = a.xs->w1.data();
  const int out_w = a.out_w;
  uint8_t* const out_base = a.out;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const float *f0, *f1;
    dequant_rows(a, a.ys->i0[oy], a.ys->i1[oy], &rows, &f0, &f1, dequantize_row);
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    const bool y_quarters = quarter_pair(wy0, wy1);
    uint8_t* out = out_base + static_cast<size_t>(oy) * out_w * C;
    for (int ox = 0; ox < out_w; ++ox, out += C) {
      const size_t x0 = static_cast<size_t>(xi0[ox]) * C, x1 = static_cast<size_t>(xi1[ox]) * C;
      const float wx0 = xw0[ox], wx1 = xw1[ox];
      if (y_quarters && quarter_pair(wx0, wx1)) {
        const int one = wx0 == 0.25f ? (wy0 == 0.25f ? 0 : 2) : (wy0 == 0.25f ? 1 : 3);
        sixteenths(out, f0 + x0, f0 + x1, f1 + x0, f1 + x1, one);
        continue;
      }
      pixel(out, f0 + x0, f0 + x1, f1 + x0, f1 + x1, wx0 * wy0, wx1 * wy0, wx0 * wy1, wx1 * wy1);
    }
  }
}

// The sixteenths coefficient (1, 3 or 9) of weight position pos (0 w11, 1 w21, 2 w12, 3 w22) when
// the 1/16 is at `one` (linear_rows).
constexpr int sixteenths_of(int pos, int one) { return pos == one ? 1 : pos == 3 - one ? 9 : 3; }

// Calls f(std::integral_constant<int, one>{}) for one in 0..3, for kernels templated on it.
template <class F>
inline void with_sixteenths(int one, F&& f) {
  switch (one) {
    case 0: f(std::integral_constant<int, 0>{}); break;
    case 1: f(std::integral_constant<int, 1>{}); break;
    case 2: f(std::integral_constant<int, 2>{}); break;
    default: f(std::integral_constant<int, 3>{}); break;
  }
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
