// The kernels that only move bytes and look them up in a requantization table, shared by every
// SIMD ISA over its own moves: the nearest Resize and the channel copies of Concat. An ISA
// instantiates them with ByteMoves<its Lut, its copy_small, lut_prepare, lut_apply>; the
// functions are template arguments, so each call is direct and inlined, and each ISA's file
// compiles its own instantiation with its own flags (internal linkage throughout).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace {

// copy(dst, src, n): n bytes between non-overlapping buffers. prepare(table, &lut) then
// apply(lut, in, out, n): out[i] = table[in[i]], in and out possibly the same buffer.
template <class Lut, void (*Copy)(uint8_t*, const uint8_t*, size_t), void (*Prepare)(const uint8_t*, Lut*),
          void (*Apply)(const Lut&, const uint8_t*, uint8_t*, size_t)>
struct ByteMoves {
  using Table = Lut;
  static void copy(uint8_t* dst, const uint8_t* src, size_t n) { Copy(dst, src, n); }
  static void prepare(const uint8_t* t, Lut* L) { Prepare(t, L); }
  static void apply(const Lut& L, const uint8_t* in, uint8_t* out, size_t n) { Apply(L, in, out, n); }
};

// kernels.h "Resize", nearest: an output row whose source row equals the previous one
// (upscaling) is a copy of that finished row; otherwise each output pixel's C bytes are copied
// and the table, if any, is applied to the finished row.
template <class Moves>
inline void resize_nearest_rows(const ResizeArgs& a, int row_begin, int row_end) {
  typename Moves::Table L;
  if (a.lut) Moves::prepare(a.lut, &L);
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
    for (int ox = 0; ox < a.out_w; ++ox) Moves::copy(orow + ox * C, irow + xs[ox] * C, C);
    if (a.lut) Moves::apply(L, orow, orow, row_bytes);
  }
}

// kernels.h copy_channels. No table: vector copies per pixel (one copy when the output is
// dense). With a table: the lookup runs over the contiguous input into a stack buffer, then
// pixels are scattered.
template <class Moves>
inline void copy_channels_rows(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t stride = static_cast<size_t>(a.out_stride);
  uint8_t* out0 = a.out + a.c_offset;
  if (!a.lut) {
    if (stride == C) {
      std::memcpy(out0 + p_begin * C, a.in + p_begin * C, (p_end - p_begin) * C);
      return;
    }
    for (size_t p = p_begin; p < p_end; ++p) Moves::copy(out0 + p * stride, a.in + p * C, C);
    return;
  }
  typename Moves::Table L;
  Moves::prepare(a.lut, &L);
  constexpr size_t kBuf = 2048;
  if (stride == C) {
    Moves::apply(L, a.in + p_begin * C, out0 + p_begin * C, (p_end - p_begin) * C);
    return;
  }
  if (C >= 64 || C > kBuf) {
    for (size_t p = p_begin; p < p_end; ++p) Moves::apply(L, a.in + p * C, out0 + p * stride, C);
    return;
  }
  uint8_t buf[kBuf];
  const size_t chunk = kBuf / C;
  for (size_t p = p_begin; p < p_end; p += chunk) {
    const size_t np = p_end - p < chunk ? p_end - p : chunk;
    Moves::apply(L, a.in + p * C, buf, np * C);
    for (size_t k = 0; k < np; ++k) Moves::copy(out0 + (p + k) * stride, buf + k * C, C);
  }
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
