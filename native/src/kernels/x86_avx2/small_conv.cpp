// Small-channel convolution (kernels.h SmallConvKernel), AVX2. For each block of MR output pixels
// the im2col rows are built straight in int16 (a kernel row of a dense input is one run of
// kernel_w * channels bytes, widened with one load per 16 values), then multiplied by every
// panel of the vpmaddwd GEMM (madd16_panels.h). Same integer sums and requantization as
// im2col + GEMM, so the output is the reference's bit for bit.
#include <immintrin.h>

#include "kernels/row_blocks.h"
#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/madd16_panels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kMR = 4;  // 6 rows spill accumulators of the 24-channel stem (measured)
// int16 per row: K plus room for a 16-value store that starts at any k < K.
constexpr int kRowStride = kSmallConvMaxK + 16;

inline __m256i widen16(const uint8_t* p) {
  return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
inline void store16(int16_t* d, __m256i v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(d), v); }

#include "kernels/x86_avx2/small_conv_rows.inc"

using Geometry = SmallConvGeometry;

// Rows of K <= 32 values whose kernel rows are runs of at most 16 bytes (the RGB stem: 3 runs of
// 9): each kernel row is one 16-byte load, and one pshufb per kernel row and half gathers the
// whole row into two vectors, widened with two full stores. Stores that do not overlap let the
// GEMM's 4-byte loads forward from them, where overlapping 16-value stores per kernel row made
// those loads wait for the stores to reach the cache.
struct PackedRows {
  bool usable = false;
  int kernel_h = 0;
  __m128i mask[2][8];  // [half][ky]: byte 16 * half + i of the row from load ky, or zero
  PackedRows(const Im2colArgs& a, const Geometry& g) {
    usable = g.dense && g.run <= 16 && a.kernel_h <= 8 && a.kernel_h * g.run <= 32;
    if (!usable) return;
    kernel_h = a.kernel_h;
    small_conv_gather_masks(g.run, kernel_h, 2, mask);
  }
  // s: the first byte of kernel row 0; every kernel row's 16 bytes must lie inside the input.
  inline void fill(const uint8_t* s, size_t row_bytes, int16_t* row) const {
    __m128i lo = _mm_setzero_si128(), hi = _mm_setzero_si128();
    for (int ky = 0; ky < kernel_h; ++ky, s += row_bytes) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
      lo = _mm_or_si128(lo, _mm_shuffle_epi8(v, mask[0][ky]));
      hi = _mm_or_si128(hi, _mm_shuffle_epi8(v, mask[1][ky]));
    }
    store16(row, _mm256_cvtepu8_epi16(lo));
    store16(row + 16, _mm256_cvtepu8_epi16(hi));
  }
};

// A kernel row that is one run of the input, widened (up to 15 values past it may be written).
inline void widen_run(const uint8_t* s, int run, const uint8_t* in_end, int16_t* d) {
  if (run >= 16) {
    int j = 0;
    for (; j + 16 <= run; j += 16) store16(d + j, widen16(s + j));
    if (j < run) store16(d + run - 16, widen16(s + run - 16));  // overlapping, identical values
  } else if (s + 16 <= in_end) {
    store16(d, widen16(s));
  } else {
    for (int j = 0; j < run; ++j) d[j] = s[j];
  }
}

// im2col's row of output pixel (oy, ox), widened: kernel row ky at row[ky * run]. A kernel row
// may be written with up to 15 values past its end; those belong to the next kernel row (written
// after it) or lie past K.
inline void fill_row(const Im2colArgs& a, const Geometry& g, const PackedRows& pr, int oy, int ox, int16_t* row) {
  const int run = g.run;
  const size_t in_stride = static_cast<size_t>(a.in_stride);
  const int ix0 = ox * a.stride_w - a.pad_left;
  const int iy0 = oy * a.stride_h - a.pad_top;
  const bool cols_inside = ix0 >= 0 && ix0 <= g.ix_max;
  if (g.dense && cols_inside && iy0 >= 0 && iy0 + (a.kernel_h - 1) * a.dilation_h < a.in_h) {
    const uint8_t* s = a.in + (static_cast<size_t>(iy0) * a.in_w + ix0) * in_stride + a.c_offset;
    if (pr.usable && s + (a.kernel_h - 1) * g.row_bytes + 16 <= g.in_end) {
      pr.fill(s, g.row_bytes, row);
      return;
    }
    for (int ky = 0; ky < a.kernel_h; ++ky, s += g.row_bytes) widen_run(s, run, g.in_end, row + ky * run);
    return;
  }
  for (int ky = 0; ky < a.kernel_h; ++ky) {
    int16_t* d = row + ky * run;
    const int iy = iy0 + ky * a.dilation_h;
    if (iy < 0 || iy >= a.in_h) {
      const __m256i pad = _mm256_set1_epi16(a.pad_value);
      for (int j = 0; j < run; j += 16) store16(d + j, pad);
      continue;
    }
    const uint8_t* src = a.in + static_cast<size_t>(iy) * a.in_w * in_stride + a.c_offset;
    if (g.dense && cols_inside) {
      widen_run(src + static_cast<size_t>(ix0) * in_stride, run, g.in_end, d);
      continue;
    }
    small_conv_taps(a, src, ix0, d);
  }
}

}  // namespace

size_t small_conv_packed_bytes(int K, int N) { return madd16_packed_bytes(K, N); }

void small_conv_pack(const int8_t* w, int K, int N, uint8_t* packed) { madd16_pack(w, K, N, packed); }

void small_conv_run(const Im2colArgs& a, int p_begin, int p_end, const uint8_t* packed, int K, int N,
                    const Requant& rq, uint8_t* C, size_t ldc) {
  if (p_end <= p_begin || N <= 0) return;
  // Zeroed once: the slot past an odd K is read (times a zero weight) before any store reaches it.
  alignas(32) int16_t rows[kMR * kRowStride] = {};
  const RequantConsts rk(rq);
  const PanelParams pp(rq, N);
  const Geometry g(a);
  const PackedRows pr(a, g);
  int oy = p_begin / a.out_w, ox = p_begin % a.out_w;
  for_row_blocks<kMR>(p_end - p_begin, [&](int m, auto block) {
    constexpr int R = decltype(block)::value;
    for (int r = 0; r < R; ++r) {
      fill_row(a, g, pr, oy, ox, rows + r * kRowStride);
      if (++ox == a.out_w) ox = 0, ++oy;
    }
    madd16_panels<R>(rows, kRowStride, K, packed, N, pp, rk, C + static_cast<size_t>(m) * ldc, ldc);
  });
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
