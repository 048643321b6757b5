// The two max pooling paths every x86 ISA shares (kernels.h PoolArgs), over the ISA's vectors.
// Bit-identical to scalar/pool.cpp: max is associative and commutative, so any grouping of the
// window's in-image elements gives the reference's value, and an empty window (or row / column
// range) leaves the zero the reference starts from. V is a struct of the ISA's own file (internal
// linkage), so each ISA gets its own instantiation compiled with its flags:
//   V::kBytes                 bytes per vector
//   V::kFlatMin               fewest bytes the flat horizontal loop takes
//   V::Lut                    the requantization table's vector form, with lut_prepare(t, &L) and
//                             lut_apply(L, in, out, n) found by argument-dependent lookup
//   V::ring()                 this thread's MaxPoolRing
//   V::max_over_window(in, row_stride, C, y0, y1, x0, x1, dst)
//                             dst[c] = max over rows [y0, y1) and pixels [x0, x1) of
//                             in[y * row_stride + x * C + c], c < C; writes dst[0, C) only
//   V::flat_max(src, step, kw, n, dst)
//                             dst[j] = max over kx < kw of src[j + kx * step], j < n (n >= kFlatMin)
//   V::column_max(win, nr, n, lut, dst)
//                             dst[j] = max over r < nr of win[r][j], j < n, through the table when
//                             lut is not null; may read win[r] up to n rounded up to kBytes
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

// Scratch of the separable path: a ring of kernel_h rows of horizontal maxima.
struct MaxPoolRing {
  std::vector<uint8_t> ring;
  std::vector<int> held;            // input row in each slot, -1 for none
  std::vector<const uint8_t*> win;  // the ring rows of one output row's window
};

// The horizontal pass of one input row: hrow[ox * C + c] = max over the in-image columns of
// output column ox's window. With stride 1 the outputs whose windows lie inside the row are one
// flat byte range, hrow[j] = max over kx of src[j + kx * C].
template <class V>
inline void maxpool_horizontal(const PoolArgs& a, const uint8_t* row, uint8_t* hrow) {
  const int C = a.channels, kw = a.kernel_w, sw = a.stride_w, pl = a.pad_left, out_w = a.out_w;
  int flat_lo = out_w, flat_hi = out_w;  // outputs [flat_lo, flat_hi) go through the flat loop
  if (sw == 1) {
    const int lo = std::min(pl, out_w), hi = std::min(out_w, a.in_w - kw + pl + 1);
    if (hi > lo && static_cast<size_t>(hi - lo) * C >= V::kFlatMin) flat_lo = lo, flat_hi = hi;
  }
  auto pixel = [&](int ox) {
    const int x0 = ox * sw - pl;
    V::max_over_window(row, 0, C, 0, 1, std::max(x0, 0), std::min(x0 + kw, a.in_w),
                       hrow + static_cast<size_t>(ox) * C);
  };
  for (int ox = 0; ox < flat_lo; ++ox) pixel(ox);
  if (flat_hi > flat_lo)
    V::flat_max(row + static_cast<size_t>(flat_lo - pl) * C, static_cast<size_t>(C), kw,
                static_cast<size_t>(flat_hi - flat_lo) * C, hrow + static_cast<size_t>(flat_lo) * C);
  for (int ox = flat_hi; ox < out_w; ++ox) pixel(ox);
}

// Windows that share input rows (stride_h < kernel_h): each input row's horizontal maxima are
// computed once per call into a ring of kernel_h rows (slot iy % kernel_h; the rows of one window
// are kernel_h consecutive ones, so they never share a slot), then each output row is the
// vertical max of its window's ring rows, one flat run of out_w * C bytes, requantized there
// when a table is given. kh + kw vector maxima per vector of outputs instead of kh * kw.
template <class V>
inline void maxpool_separable(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels, kh = a.kernel_h;
  const size_t n = static_cast<size_t>(a.out_w) * C;
  const size_t stride = (n + V::kBytes - 1) / V::kBytes * V::kBytes;  // whole vectors stay inside a ring row
  MaxPoolRing& scratch = V::ring();
  std::vector<uint8_t>& ring = scratch.ring;
  std::vector<int>& held = scratch.held;
  std::vector<const uint8_t*>& win = scratch.win;
  if (ring.size() < stride * kh) ring.resize(stride * kh);
  held.assign(kh, -1);  // the ring may hold another tensor's rows
  win.resize(kh);
  typename V::Lut L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + kh, a.in_h);
    int nr = 0;
    for (int iy = vy0; iy < vy1; ++iy) {
      const int slot = iy % kh;
      uint8_t* h = ring.data() + static_cast<size_t>(slot) * stride;
      if (held[slot] != iy) {
        maxpool_horizontal<V>(a, a.in + static_cast<size_t>(iy) * a.in_w * C, h);
        held[slot] = iy;
      }
      win[nr++] = h;
    }
    V::column_max(win.data(), nr, n, a.lut ? &L : nullptr, a.out + static_cast<size_t>(oy) * n);
  }
}

// Pools whose windows share no input rows take the whole window per output pixel; the others
// take the separable path.
template <class V>
inline void maxpool_rows(const PoolArgs& a, int row_begin, int row_end) {
  if (a.stride_h < a.kernel_h) {
    maxpool_separable<V>(a, row_begin, row_end);
    return;
  }
  const int C = a.channels;
  const size_t row_stride = static_cast<size_t>(a.in_w) * C;
  typename V::Lut L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + a.kernel_h, a.in_h);
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.out_w * C;
    for (int ox = 0; ox < a.out_w; ++ox) {
      const int x0 = ox * a.stride_w - a.pad_left;
      V::max_over_window(a.in, row_stride, C, vy0, vy1, std::max(x0, 0), std::min(x0 + a.kernel_w, a.in_w),
                         orow + static_cast<size_t>(ox) * C);
    }
    if (a.lut) lut_apply(L, orow, orow, static_cast<size_t>(a.out_w) * C);
  }
}

}  // namespace kernels
}  // namespace attendseg
