// The parts of an MR x (8 * NR) AVX2 GEMM tile that do not depend on the packed format: output
// channels in panels of 16 (the last one 8 wide when N % 16 <= 8), accumulators started at the
// bias, and the requantize-and-store epilogue.
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/x86_avx2/requant.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
// Internal linkage, as requant.h.
namespace {

struct PanelLayout {
  int full;        // 16-wide panels
  int tail;        // channels in the last, narrower panel (0 when N % 16 == 0)
  int tail_width;  // 8 or 16: padded width of that panel
};
inline PanelLayout panel_layout(int N) {
  PanelLayout l;
  l.full = N / 16;
  l.tail = N % 16;
  l.tail_width = l.tail == 0 ? 0 : (l.tail <= 8 ? 8 : 16);
  return l;
}
inline int padded_channels(const PanelLayout& l) { return 16 * l.full + l.tail_width; }

// Bias and scale of a tile's nw channels, read through zero-padded copies when the panel is
// partial (so no lane reads past N) or there is no bias.
template <int NR>
struct TileParams {
  alignas(32) int32_t bpad[8 * NR];
  alignas(32) float spad[8 * NR];
  const int32_t* bias;
  const float* scale;
  TileParams(const int32_t* b, const float* s, int nw) : bias(b), scale(s) {
    if (nw < 8 * NR || !b) {
      std::memset(bpad, 0, sizeof(bpad));
      std::memset(spad, 0, sizeof(spad));
      if (b) std::memcpy(bpad, b, sizeof(int32_t) * nw);
      std::memcpy(spad, s, sizeof(float) * nw);
      bias = bpad;
      if (nw < 8 * NR) scale = spad;
    }
  }
};

template <int MR, int NR>
inline __attribute__((always_inline)) void init_acc(const int32_t* bias, __m256i (&acc)[MR][NR]) {
#pragma GCC unroll 2
  for (int j = 0; j < NR; ++j) {
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + 8 * j));
#pragma GCC unroll 8
    for (int r = 0; r < MR; ++r) acc[r][j] = b;
  }
}

// Requantizes the tile and stores its nw valid channels of each of the MR rows.
template <int MR, int NR>
inline __attribute__((always_inline)) void store_tile(const __m256i (&acc)[MR][NR], const float* scale, int nw,
                                                      const RequantConsts& rk, uint8_t* C, size_t ldc) {
  __m256 s[NR];
#pragma GCC unroll 2
  for (int j = 0; j < NR; ++j) s[j] = _mm256_loadu_ps(scale + 8 * j);
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    const __m256i y0 = requant_i32(acc[r][0], s[0], rk);
    const __m256i y1 = NR == 2 ? requant_i32(acc[r][NR - 1], s[NR - 1], rk) : y0;
    store_bytes(C + static_cast<size_t>(r) * ldc, narrow_clamp_16(y0, y1, rk), nw);
  }
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
