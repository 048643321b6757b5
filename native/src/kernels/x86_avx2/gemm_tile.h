// The parts of an MR x (8 * NR) AVX2 GEMM tile that do not depend on the packed format: output
// channels in panels of 16 (the last one 8 wide when N % 16 <= 8), accumulators started at the
// bias, and the requantize-and-store epilogue.
#pragma once
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"
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

// Bias and scale of each 16-channel panel, readable for 16 lanes: the Requant's own arrays for
// the full panels, zero-padded copies for the last, partial one (so no lane reads past N), zeros
// where there is no bias. Made once per GEMM call: made per tile, the copies cost about 14 ns a
// tile (0.1 ms of the 11-channel CamVid classifier at 480x360 on Zen 4).
struct PanelParams {
  alignas(32) int32_t tail_bias[16] = {};
  alignas(32) float tail_scale[16] = {};
  alignas(32) int32_t zero_bias[16] = {};
  const int32_t* bias_;
  const float* scale_;
  int full;
  PanelParams(const Requant& rq, int N) : bias_(rq.bias), scale_(rq.scale), full(N / 16) {
    const int tail = N % 16;
    if (tail == 0) return;
    if (rq.bias) std::memcpy(tail_bias, rq.bias + 16 * full, sizeof(int32_t) * tail);
    std::memcpy(tail_scale, rq.scale + 16 * full, sizeof(float) * tail);
  }
  const int32_t* bias(int panel) const { return panel < full ? (bias_ ? bias_ + 16 * panel : zero_bias) : tail_bias; }
  const float* scale(int panel) const { return panel < full ? scale_ + 16 * panel : tail_scale; }
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
template <int MR, int NR, bool kBounded, bool kClamp>
inline __attribute__((always_inline)) void store_tile_as(const __m256i (&acc)[MR][NR], const float* scale, int nw,
                                                         const RequantConsts& rk, uint8_t* C, size_t ldc) {
  __m256 s[NR];
#pragma GCC unroll 2
  for (int j = 0; j < NR; ++j) s[j] = _mm256_loadu_ps(scale + 8 * j);
#pragma GCC unroll 8
  for (int r = 0; r < MR; ++r) {
    const __m256i y0 = requant_i32<kBounded>(acc[r][0], s[0], rk);
    const __m256i y1 = NR == 2 ? requant_i32<kBounded>(acc[r][NR - 1], s[NR - 1], rk) : y0;
    store_bytes(C + static_cast<size_t>(r) * ldc, narrow_clamp_16<kClamp>(y0, y1, rk), nw);
  }
}
template <int MR, int NR>
inline __attribute__((always_inline)) void store_tile(const __m256i (&acc)[MR][NR], const float* scale, int nw,
                                                      const RequantConsts& rk, uint8_t* C, size_t ldc) {
  with_requant_mode(rk, [&](auto m) __attribute__((always_inline)) {
    using M = decltype(m);
    store_tile_as<MR, NR, M::kBounded, M::kClamp>(acc, scale, nw, rk, C, ldc);
  });
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
