// Max pooling, NHWC uint8, AVX-512BW: x86_avx2/maxpool.cpp's two paths on 64 bytes per step, every
// partial block a masked load and store. Bit-identical to scalar/pool.cpp: max is associative and
// commutative, so any grouping of the window's in-image elements gives the reference's value, and
// an empty window (or row / column range) leaves the zero the reference starts from.
// GCC 12 reports -Wuninitialized inside its own AVX-512 intrinsic headers (an _mm512_undefined_*
// pass-through operand, GCC bug 105593); no value read here is uninitialized.
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

// dst[c] = max over rows [y0, y1) and pixels [x0, x1) of in[y * row_stride + x * C + c], c < C,
// 64 channels at a time. Writes dst[0, C) only.
inline void max_over_window(const uint8_t* in, size_t row_stride, int C, int y0, int y1, int x0, int x1,
                            uint8_t* dst) {
  const size_t step = static_cast<size_t>(C);
  for (int c = 0; c < C; c += 64) {
    const __mmask64 m = first_bytes(static_cast<size_t>(C - c));
    __m512i v = _mm512_setzero_si512();
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) v = _mm512_max_epu8(v, load64(in + y * row_stride + x * step + c, m));
    store64(dst + c, v, m);
  }
}

// The horizontal pass of one input row: hrow[ox * C + c] = max over the in-image columns of
// output column ox's window. With stride 1 the outputs whose windows lie inside the row are one
// flat byte range, hrow[j] = max over kx of src[j + kx * C], done 64 bytes at a time.
void horizontal_max(const PoolArgs& a, const uint8_t* row, uint8_t* hrow) {
  const int C = a.channels, kw = a.kernel_w, sw = a.stride_w, pl = a.pad_left, out_w = a.out_w;
  int flat_lo = out_w, flat_hi = out_w;  // outputs [flat_lo, flat_hi) go through the flat loop
  if (sw == 1) {
    const int lo = std::min(pl, out_w), hi = std::min(out_w, a.in_w - kw + pl + 1);
    if (hi > lo) flat_lo = lo, flat_hi = hi;
  }
  auto pixel = [&](int ox) {
    const int x0 = ox * sw - pl;
    max_over_window(row, 0, C, 0, 1, std::max(x0, 0), std::min(x0 + kw, a.in_w), hrow + static_cast<size_t>(ox) * C);
  };
  for (int ox = 0; ox < flat_lo; ++ox) pixel(ox);
  if (flat_hi > flat_lo) {
    const size_t n = static_cast<size_t>(flat_hi - flat_lo) * C, step = static_cast<size_t>(C);
    const uint8_t* src = row + static_cast<size_t>(flat_lo - pl) * C;
    uint8_t* dst = hrow + static_cast<size_t>(flat_lo) * C;
    for (size_t j = 0; j < n; j += 64) {
      const __mmask64 m = first_bytes(n - j);
      __m512i v = load64(src + j, m);
      for (int kx = 1; kx < kw; ++kx) v = _mm512_max_epu8(v, load64(src + j + kx * step, m));
      store64(dst + j, v, m);
    }
  }
  for (int ox = flat_hi; ox < out_w; ++ox) pixel(ox);
}

// Windows that share input rows (stride_h < kernel_h): each input row's horizontal maxima once
// per call into a ring of kernel_h rows (slot iy % kernel_h), then each output row the vertical
// max of its window's ring rows over one flat run of out_w * C bytes, requantized there when a
// table is given.
struct RingScratch {
  std::vector<uint8_t> ring;
  std::vector<int> held;            // input row in each slot, -1 for none
  std::vector<const uint8_t*> win;  // the ring rows of one output row's window
};

void maxpool_separable(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels, kh = a.kernel_h;
  const size_t n = static_cast<size_t>(a.out_w) * C;
  const size_t stride = (n + 63) / 64 * 64;
  RingScratch& scratch = per_thread<RingScratch>();
  std::vector<uint8_t>& ring = scratch.ring;
  std::vector<int>& held = scratch.held;
  std::vector<const uint8_t*>& win = scratch.win;
  if (ring.size() < stride * kh) ring.resize(stride * kh);
  held.assign(kh, -1);  // the ring may hold another tensor's rows
  win.resize(kh);
  Lut512 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + kh, a.in_h);
    int nr = 0;
    for (int iy = vy0; iy < vy1; ++iy) {
      const int slot = iy % kh;
      uint8_t* h = ring.data() + static_cast<size_t>(slot) * stride;
      if (held[slot] != iy) {
        horizontal_max(a, a.in + static_cast<size_t>(iy) * a.in_w * C, h);
        held[slot] = iy;
      }
      win[nr++] = h;
    }
    uint8_t* orow = a.out + static_cast<size_t>(oy) * n;
    for (size_t j = 0; j < n; j += 64) {
      __m512i v = _mm512_setzero_si512();
      for (int r = 0; r < nr; ++r) v = _mm512_max_epu8(v, load64(win[r] + j));
      if (a.lut) v = lut_lookup(L, v);
      store64(orow + j, v, first_bytes(n - j));
    }
  }
}

}  // namespace

// Pools whose windows share no input rows take the whole window per output pixel; the others
// the separable path. The requantization table, when present, is the 512-bit vpshufb lookup.
void maxpool(const PoolArgs& a, int row_begin, int row_end) {
  if (a.stride_h < a.kernel_h) {
    maxpool_separable(a, row_begin, row_end);
    return;
  }
  const int C = a.channels;
  const size_t row_stride = static_cast<size_t>(a.in_w) * C;
  Lut512 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + a.kernel_h, a.in_h);
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.out_w * C;
    for (int ox = 0; ox < a.out_w; ++ox) {
      const int x0 = ox * a.stride_w - a.pad_left;
      max_over_window(a.in, row_stride, C, vy0, vy1, std::max(x0, 0), std::min(x0 + a.kernel_w, a.in_w),
                      orow + static_cast<size_t>(ox) * C);
    }
    if (a.lut) lut_apply(L, orow, orow, static_cast<size_t>(a.out_w) * C);
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
