// Max pooling, NHWC uint8, AVX2. Bit-identical to scalar/pool.cpp: max is associative and
// commutative, so any grouping of the window's in-image elements gives the reference's value, and
// an empty window (or row / column range) leaves the zero the reference starts from.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

inline __m256i load32(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline __m128i load16(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline __m128i load8(const uint8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); }

// dst[c] = max over rows [y0, y1) and pixels [x0, x1) of in[y * row_stride + x * C + c], c < C:
// 32 / 16 / 8 channels at a time, a channel count that is not a multiple ending with an
// overlapping block (identical values); fewer than 8 channels one by one. Writes dst[0, C) only.
inline void max_over_window(const uint8_t* in, size_t row_stride, int C, int y0, int y1, int x0, int x1,
                            uint8_t* dst) {
  const size_t step = static_cast<size_t>(C);
  auto block32 = [&](int c) {
    __m256i m = _mm256_setzero_si256();
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) m = _mm256_max_epu8(m, load32(in + y * row_stride + x * step + c));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + c), m);
  };
  auto block16 = [&](int c) {
    __m128i m = _mm_setzero_si128();
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) m = _mm_max_epu8(m, load16(in + y * row_stride + x * step + c));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + c), m);
  };
  auto block8 = [&](int c) {
    __m128i m = _mm_setzero_si128();
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) m = _mm_max_epu8(m, load8(in + y * row_stride + x * step + c));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + c), m);
  };
  if (C >= 32) {
    int c = 0;
    for (; c + 32 <= C; c += 32) block32(c);
    if (c < C) block32(C - 32);
  } else if (C >= 16) {
    block16(0);
    if (C > 16) block16(C - 16);
  } else if (C >= 8) {
    block8(0);
    if (C > 8) block8(C - 8);
  } else {
    for (int c = 0; c < C; ++c) {
      uint8_t m = 0;
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) m = std::max(m, in[y * row_stride + x * step + c]);
      dst[c] = m;
    }
  }
}

// The horizontal pass of one input row: hrow[ox * C + c] = max over the in-image columns of
// output column ox's window. With stride 1 the outputs whose windows lie inside the row are one
// flat byte range, hrow[j] = max over kx of src[j + kx * C], done 32 bytes at a time.
void horizontal_max(const PoolArgs& a, const uint8_t* row, uint8_t* hrow) {
  const int C = a.channels, kw = a.kernel_w, sw = a.stride_w, pl = a.pad_left, out_w = a.out_w;
  int flat_lo = out_w, flat_hi = out_w;  // outputs [flat_lo, flat_hi) go through the flat loop
  if (sw == 1) {
    const int lo = std::min(pl, out_w), hi = std::min(out_w, a.in_w - kw + pl + 1);
    if (hi > lo && static_cast<size_t>(hi - lo) * C >= 32) flat_lo = lo, flat_hi = hi;
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
    auto block = [&](size_t j) {
      __m256i m = load32(src + j);
      for (int kx = 1; kx < kw; ++kx) m = _mm256_max_epu8(m, load32(src + j + kx * step));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j), m);
    };
    size_t j = 0;
    for (; j + 32 <= n; j += 32) block(j);
    if (j < n) block(n - 32);  // overlapping tail, identical values
  }
  for (int ox = flat_hi; ox < out_w; ++ox) pixel(ox);
}

// Windows that share input rows (stride_h < kernel_h): each input row's horizontal maxima are
// computed once per call into a ring of kernel_h rows (slot iy % kernel_h; the rows of one window
// are kernel_h consecutive ones, so they never share a slot), then each output row is the
// vertical max of its window's ring rows, one flat run of out_w * C bytes, requantized there
// when a table is given. kh + kw vector maxima per 32 outputs instead of kh * kw.
struct RingScratch {
  std::vector<uint8_t> ring;
  std::vector<int> held;  // input row in each slot, -1 for none
  std::vector<const uint8_t*> win;  // the ring rows of one output row's window
};

void maxpool_separable(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels, kh = a.kernel_h;
  const size_t n = static_cast<size_t>(a.out_w) * C;
  const size_t stride = (n + 31) / 32 * 32;  // whole 32-byte blocks stay inside a ring row
  RingScratch& scratch = per_thread<RingScratch>();
  std::vector<uint8_t>& ring = scratch.ring;
  std::vector<int>& held = scratch.held;
  std::vector<const uint8_t*>& win = scratch.win;
  if (ring.size() < stride * kh) ring.resize(stride * kh);
  held.assign(kh, -1);  // the ring may hold another tensor's rows
  win.resize(kh);
  Lut256 L;
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
    for (size_t j = 0; j < n; j += 32) {
      __m256i m = _mm256_setzero_si256();
      for (int r = 0; r < nr; ++r) m = _mm256_max_epu8(m, load32(win[r] + j));
      if (a.lut) m = lut_lookup(L, m);
      if (j + 32 <= n) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(orow + j), m);
      } else {
        alignas(32) uint8_t tmp[32];
        _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), m);
        std::memcpy(orow + j, tmp, n - j);
      }
    }
  }
}

}  // namespace

// Pools whose windows share no input rows take the whole window per output pixel; the others
// take the separable path above. The requantization table, when present, is applied with the
// vpshufb lookup.
void maxpool(const PoolArgs& a, int row_begin, int row_end) {
  if (a.stride_h < a.kernel_h) {
    maxpool_separable(a, row_begin, row_end);
    return;
  }
  const int C = a.channels;
  const size_t row_stride = static_cast<size_t>(a.in_w) * C;
  Lut256 L;
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

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
