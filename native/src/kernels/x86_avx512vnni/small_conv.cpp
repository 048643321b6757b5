// Small-channel convolution (kernels.h SmallConvKernel), AVX-512 VNNI. For each block of output
// pixels the im2col rows are built in a stack buffer of 64-byte rows (K <= 64), then multiplied by
// this folder's vpdpbusd GEMM, whose packing the kernel shares. A dense kernel row of at most 16
// bytes (the RGB stem's 3 runs of 9) is one 16-byte load, and pshufb gathers each 16 bytes of the
// row from the loads, so a row is written by whole non-overlapping stores that the GEMM's 4-byte
// loads can forward from. Same integer sums and requantization as im2col + GEMM, so the output is
// the reference's bit for bit.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/x86_avx512vnni/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

constexpr int kBlock = 32;                // pixels per GEMM call: the rows stay in L1
constexpr int kRowStride = kSmallConvMaxK;  // K <= 64 with its last quad whole (the GEMM reads it)
constexpr int kMaxChunks = kSmallConvMaxK / 16;

#include "kernels/x86_avx2/small_conv_rows.inc"

// Per call: SmallConvGeometry and the shuffles that gather a row from one 16-byte load per kernel
// row.
struct Geometry : SmallConvGeometry {
  bool gather;         // dense, run <= 16, kernel_h <= 8: rows by gather_rows()
  int chunks;          // 16-byte chunks of a row
  __m128i mask[kMaxChunks][8];
  explicit Geometry(const Im2colArgs& a) : SmallConvGeometry(a) {
    gather = dense && run <= 16 && a.kernel_h <= 8;
    chunks = (run * a.kernel_h + 15) / 16;
    if (gather) small_conv_gather_masks(run, a.kernel_h, chunks, mask);
  }
  // s: the first byte of kernel row 0; every kernel row's 16 bytes lie inside the input.
  template <int kChunks>
  inline void gather_rows(const uint8_t* s, int kernel_h, uint8_t* row) const {
    __m128i acc[kChunks];
    for (int h = 0; h < kChunks; ++h) acc[h] = _mm_setzero_si128();
    for (int ky = 0; ky < kernel_h; ++ky, s += row_bytes) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
      for (int h = 0; h < kChunks; ++h) acc[h] = _mm_or_si128(acc[h], _mm_shuffle_epi8(v, mask[h][ky]));
    }
    for (int h = 0; h < kChunks; ++h) _mm_storeu_si128(reinterpret_cast<__m128i*>(row + 16 * h), acc[h]);
  }
};

// im2col's row of output pixel (oy, ox): kernel row ky at row[ky * run].
inline void fill_row(const Im2colArgs& a, const Geometry& g, int oy, int ox, uint8_t* row) {
  const int run = g.run;
  const size_t in_stride = static_cast<size_t>(a.in_stride);
  const int ix0 = ox * a.stride_w - a.pad_left;
  const int iy0 = oy * a.stride_h - a.pad_top;
  const bool cols_inside = ix0 >= 0 && ix0 <= g.ix_max;
  if (g.dense && cols_inside && iy0 >= 0 && iy0 + (a.kernel_h - 1) * a.dilation_h < a.in_h) {
    const uint8_t* s = a.in + (static_cast<size_t>(iy0) * a.in_w + ix0) * in_stride + a.c_offset;
    if (g.gather && s + (a.kernel_h - 1) * g.row_bytes + 16 <= g.in_end) {
      switch (g.chunks) {
        case 1: g.gather_rows<1>(s, a.kernel_h, row); break;
        case 2: g.gather_rows<2>(s, a.kernel_h, row); break;
        case 3: g.gather_rows<3>(s, a.kernel_h, row); break;
        default: g.gather_rows<4>(s, a.kernel_h, row); break;
      }
      return;
    }
    for (int ky = 0; ky < a.kernel_h; ++ky, s += g.row_bytes) std::memcpy(row + ky * run, s, static_cast<size_t>(run));
    return;
  }
  for (int ky = 0; ky < a.kernel_h; ++ky) {
    uint8_t* d = row + ky * run;
    const int iy = iy0 + ky * a.dilation_h;
    if (iy < 0 || iy >= a.in_h) {
      std::memset(d, a.pad_value, static_cast<size_t>(run));
      continue;
    }
    small_conv_taps(a, a.in + static_cast<size_t>(iy) * a.in_w * in_stride + a.c_offset, ix0, d);
  }
}

}  // namespace

size_t small_conv_packed_bytes(int K, int N) { return gemm_packed_bytes(K, N); }

void small_conv_pack(const int8_t* w, int K, int N, uint8_t* packed) { gemm_pack(w, K, N, packed); }

void small_conv_run(const Im2colArgs& a, int p_begin, int p_end, const uint8_t* packed, int K, int N,
                    const Requant& rq, uint8_t* C, size_t ldc) {
  if (p_end <= p_begin || N <= 0) return;
  // Zeroed once: the bytes past K up to its quad are read (times zero weights) and never written.
  alignas(64) uint8_t rows[kBlock * kRowStride] = {};
  const Geometry g(a);
  int oy = p_begin / a.out_w, ox = p_begin % a.out_w;
  for (int p = p_begin; p < p_end; p += kBlock) {
    const int m = std::min(kBlock, p_end - p);
    for (int r = 0; r < m; ++r) {
      fill_row(a, g, oy, ox, rows + r * kRowStride);
      if (++ox == a.out_w) ox = 0, ++oy;
    }
    gemm_run(rows, kRowStride, m, K, packed, N, rq, C + static_cast<size_t>(p - p_begin) * ldc, ldc);
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
