// The AVX2 GEMM's general format (gemm_paths.h): exact for any int8 weights.
//
// Exactness: AVX2 has no exact u8 x s8 dot product for arbitrary weights (vpmaddubsw saturates
// its pair sums to int16), so activations are widened to int16 and multiplied with
// _mm256_madd_epi16, which sums pairs of int16 products into int32 exactly. The reduction over k
// is then a plain int32 sum, as in the reference.
//
// Packed weights: panels of 16 channels (gemm_tile.h), each panel k-pair major: for each pair
// (2kp, 2kp+1) the channels' int16 weights interleaved as w[n][2kp], w[n][2kp+1]. Channels past
// N and the odd k past K are zero.
//
// Micro-kernel: MR = 6 rows x 16 channels of int32 accumulators (12 ymm); per k-pair one
// broadcast of each row's activation pair and two weight loads feed 12 madds. A block of MR rows
// is widened once into a stack buffer and reused for every panel (madd16_panels.h).
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/madd16_panels.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kMR = 6;      // rows per micro-tile
constexpr int kKC = 2048;   // k values widened at once (even); longer K is done in chunks

// Widens rows [0, mr) x k [k0, k0 + kc) of A to int16 at dst (row stride `stride` int16,
// stride >= kc rounded up to even; the odd slot, if any, is zeroed).
inline void widen_rows(const uint8_t* A, size_t lda, int mr, int k0, int kc, int16_t* dst, int stride) {
  for (int r = 0; r < mr; ++r) {
    const uint8_t* s = A + static_cast<size_t>(r) * lda + k0;
    int16_t* d = dst + static_cast<size_t>(r) * stride;
    int k = 0;
    for (; k + 16 <= kc; k += 16)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + k),
                          _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + k))));
    for (; k < kc; ++k) d[k] = s[k];
    if (kc & 1) d[kc] = 0;
  }
}

// One MR x (8 * NR) output tile of a K too long to widen at once: widened and accumulated in
// chunks of kKC, requantized and stored (nw valid channels; bias and scale as madd16_tile's).
template <int MR, int NR>
void chunked_tile(const uint8_t* A, size_t lda, int K, const int16_t* wpanel, const int32_t* bias,
                  const float* scale, int nw, const RequantConsts& rk, int16_t* abuf, uint8_t* C, size_t ldc) {
  __m256i acc[MR][NR];
  init_acc<MR, NR>(bias, acc);
  for (int k0 = 0; k0 < K; k0 += kKC) {
    const int kc = std::min(kKC, K - k0);
    const int stride = (kc + 1) & ~1;
    widen_rows(A, lda, MR, k0, kc, abuf, stride);
    accumulate<MR, NR>(abuf, stride, stride / 2, wpanel + static_cast<size_t>(k0 / 2) * 16 * NR, acc);
  }
  store_tile<MR, NR>(acc, scale, nw, rk, C, ldc);
}

// All panels for one block of MR rows.
template <int MR>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const PanelParams& pp,
               const RequantConsts& rk, uint8_t* C, size_t ldc, int16_t* abuf) {
  const int kpairs = kpairs_of(K);
  // When K fits the buffer the rows are widened once for all panels; otherwise per panel and chunk.
  if (K <= kKC) {
    widen_rows(A, lda, MR, 0, K, abuf, 2 * kpairs);
    madd16_panels<MR>(abuf, 2 * kpairs, K, packed, N, pp, rk, C, ldc);
    return;
  }
  const PanelLayout l = panel_layout(N);
  const int16_t* w = reinterpret_cast<const int16_t*>(packed);
  for (int p = 0; p < l.full; ++p)
    chunked_tile<MR, 2>(A, lda, K, w + static_cast<size_t>(p) * kpairs * 32, pp.bias(p), pp.scale(p), 16, rk, abuf,
                        C + 16 * p, ldc);
  if (l.tail) {
    const int p = l.full;
    const int16_t* wt = w + static_cast<size_t>(p) * kpairs * 32;
    if (l.tail_width == 8)
      chunked_tile<MR, 1>(A, lda, K, wt, pp.bias(p), pp.scale(p), l.tail, rk, abuf, C + 16 * p, ldc);
    else
      chunked_tile<MR, 2>(A, lda, K, wt, pp.bias(p), pp.scale(p), l.tail, rk, abuf, C + 16 * p, ldc);
  }
}

}  // namespace

size_t madd16_packed_bytes(int K, int N) {
  return sizeof(int16_t) * 2 * static_cast<size_t>(kpairs_of(K)) * padded_channels(panel_layout(N));
}

void madd16_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const PanelLayout l = panel_layout(N);
  const int kpairs = kpairs_of(K);
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    for (int kp = 0; kp < kpairs; ++kp) {
      for (int c = 0; c < width; ++c) {
        const int n = 16 * p + c;
        for (int i = 0; i < 2; ++i) {
          const int k = 2 * kp + i;
          *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
        }
      }
    }
  }
}

void madd16_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  alignas(32) int16_t abuf[kMR * kKC];
  const RequantConsts rk(rq);
  const PanelParams pp(rq, N);
  for_row_blocks<kMR>(M, [&](int m, auto rows) {
    row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, pp, rk, C + m * ldc, ldc, abuf);
  });
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
