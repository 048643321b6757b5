// Every output panel of the vpmaddwd GEMM format (gemm_madd16.cpp) for one block of MR rows
// already widened to int16: shared by that GEMM (rows widened from A) and the small-channel
// convolution (rows built straight from the input, small_conv.cpp).
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
// Internal linkage, as requant.h.
namespace {

// One MR x (8 * NR) tile over the whole K, requantized and stored (nw valid channels; bias and
// scale readable for 8 * NR lanes, PanelParams).
template <int MR, int NR>
inline void madd16_tile(const int16_t* a, int stride, int kpairs, const int16_t* wpanel, const int32_t* bias,
                        const float* scale, int nw, const RequantConsts& rk, uint8_t* C, size_t ldc) {
  __m256i acc[MR][NR];
  init_acc<MR, NR>(bias, acc);
  accumulate<MR, NR>(a, stride, kpairs, wpanel, acc);
  store_tile<MR, NR>(acc, scale, nw, rk, C, ldc);
}

// Row r's k values are a[r * stride + k], stride >= 2 * kpairs_of(K); an odd K's last pair slot
// may hold anything (its packed weights are zero).
template <int MR>
inline void madd16_panels(const int16_t* a, int stride, int K, const uint8_t* packed, int N, const PanelParams& pp,
                          const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const PanelLayout l = panel_layout(N);
  const int kpairs = kpairs_of(K);
  const int16_t* w = reinterpret_cast<const int16_t*>(packed);
  for (int p = 0; p < l.full; ++p)
    madd16_tile<MR, 2>(a, stride, kpairs, w + static_cast<size_t>(p) * kpairs * 32, pp.bias(p), pp.scale(p), 16, rk,
                       C + 16 * p, ldc);
  if (l.tail) {
    const int p = l.full;
    const int16_t* wt = w + static_cast<size_t>(p) * kpairs * 32;
    if (l.tail_width == 8)
      madd16_tile<MR, 1>(a, stride, kpairs, wt, pp.bias(p), pp.scale(p), l.tail, rk, C + 16 * p, ldc);
    else
      madd16_tile<MR, 2>(a, stride, kpairs, wt, pp.bias(p), pp.scale(p), l.tail, rk, C + 16 * p, ldc);
  }
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
