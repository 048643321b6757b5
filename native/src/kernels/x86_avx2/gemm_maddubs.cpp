// The AVX2 GEMM's u8 x s8 format (gemm_paths.h), for weights whose pair sums cannot saturate.
//
// Exactness: _mm256_maddubs_epi16 multiplies u8 activations by s8 weights and adds adjacent
// pairs (k = 2j, 2j+1) into int16 with saturation. For a in [0, 255] a pair sum a1*w1 + a2*w2
// lies within 255 * (|w1| + |w2|) when w1, w2 share a sign, and within [-255*128, 255*127] when
// they do not; so if every same-sign pair has |w1| + |w2| <= 128 no sum leaves
// [-32768, 32767] (255 * 128 = 32640) and the int16 sums are exact. Weights in [-64, 64] always
// qualify. _mm256_madd_epi16 by ones then adds the two pair sums of a k-quad into int32 exactly,
// and the reduction over k is a plain int32 sum, as in the reference.
//
// Packed weights: panels of 16 channels (gemm_tile.h), each panel k-quad major: for each quad
// (4q .. 4q+3) the channels' four int8 weights, channel after channel. Channels past N and k
// past K are zero.
//
// Micro-kernel: MR = 6 rows x 16 channels of int32 accumulators; per k-quad one 4-byte broadcast
// of each row's activations, read straight from A (no widening pass), and two weight loads feed
// 12 maddubs. The last quad of a row is assembled bytewise when K % 4 != 0 so no read goes past
// the row's K bytes.
#include <immintrin.h>

#include <cstring>

#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kMR = 6;  // rows per micro-tile

inline int quads_of(int K) { return (K + 3) / 4; }

inline int32_t load_i32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
// The first n (1..3) bytes at p, zero-extended: the last, partial quad of a row.
inline int32_t load_partial_i32(const uint8_t* p, int n) {
  uint32_t v = p[0];
  if (n > 1) v |= static_cast<uint32_t>(p[1]) << 8;
  if (n > 2) v |= static_cast<uint32_t>(p[2]) << 16;
  return static_cast<int32_t>(v);
}

// acc[r][j] += the k-quad dot products of activations av[r] with weights wv[j].
template <int MR, int NR>
inline __attribute__((always_inline)) void quad_step(const __m256i (&av)[MR], const __m256i (&wv)[NR],
                                                     __m256i ones, __m256i (&acc)[MR][NR]) {
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r)
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j)
      acc[r][j] = _mm256_add_epi32(acc[r][j], _mm256_madd_epi16(_mm256_maddubs_epi16(av[r], wv[j]), ones));
}

// One MR x (8 * NR) output tile over the whole K, requantized and stored (nw valid channels).
template <int MR, int NR>
void tile(const uint8_t* A, size_t lda, int K, const int8_t* wpanel, const int32_t* bias, const float* scale,
          int nw, const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const TileParams<NR> tp(bias, scale, nw);
  __m256i acc[MR][NR];
  init_acc<MR, NR>(tp.bias, acc);
  const __m256i ones = _mm256_set1_epi16(1);
  const int kfull = K / 4;
  const int8_t* w = wpanel;
  for (int q = 0; q < kfull; ++q, w += 32 * NR) {
    __m256i wv[NR], av[MR];
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * j));
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) av[r] = _mm256_set1_epi32(load_i32(A + static_cast<size_t>(r) * lda + 4 * q));
    quad_step<MR, NR>(av, wv, ones, acc);
  }
  if (K % 4) {
    __m256i wv[NR], av[MR];
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * j));
    for (int r = 0; r < MR; ++r)
      av[r] = _mm256_set1_epi32(load_partial_i32(A + static_cast<size_t>(r) * lda + 4 * kfull, K % 4));
    quad_step<MR, NR>(av, wv, ones, acc);
  }
  store_tile<MR, NR>(acc, tp.scale, nw, rk, C, ldc);
}

// All panels for one block of MR rows.
template <int MR>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const Requant& rq,
               const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const PanelLayout l = panel_layout(N);
  const size_t panel = static_cast<size_t>(quads_of(K)) * 64;  // bytes of a 16-wide panel
  const int8_t* w = reinterpret_cast<const int8_t*>(packed);
  for (int p = 0; p < l.full; ++p) {
    const int n0 = 16 * p;
    tile<MR, 2>(A, lda, K, w + p * panel, rq.bias ? rq.bias + n0 : nullptr, rq.scale + n0, 16, rk, C + n0, ldc);
  }
  if (l.tail) {
    const int n0 = 16 * l.full;
    const int8_t* wt = w + l.full * panel;
    const int32_t* b = rq.bias ? rq.bias + n0 : nullptr;
    if (l.tail_width == 8)
      tile<MR, 1>(A, lda, K, wt, b, rq.scale + n0, l.tail, rk, C + n0, ldc);
    else
      tile<MR, 2>(A, lda, K, wt, b, rq.scale + n0, l.tail, rk, C + n0, ldc);
  }
}

}  // namespace

bool maddubs_exact(const int8_t* w, int K, int N) {
  for (int n = 0; n < N; ++n) {
    const int8_t* row = w + static_cast<size_t>(n) * K;
    for (int k = 0; k < K; k += 2) {
      const int w1 = row[k], w2 = k + 1 < K ? row[k + 1] : 0;
      if ((w1 > 0 && w2 > 0 && w1 + w2 > 128) || (w1 < 0 && w2 < 0 && w1 + w2 < -128)) return false;
    }
  }
  return true;
}

size_t maddubs_packed_bytes(int K, int N) {
  return 4 * static_cast<size_t>(quads_of(K)) * padded_channels(panel_layout(N));
}

void maddubs_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const PanelLayout l = panel_layout(N);
  const int quads = quads_of(K);
  int8_t* out = reinterpret_cast<int8_t*>(packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    for (int q = 0; q < quads; ++q)
      for (int c = 0; c < width; ++c) {
        const int n = 16 * p + c;
        for (int i = 0; i < 4; ++i) {
          const int k = 4 * q + i;
          *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
        }
      }
  }
}

void maddubs_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                 uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  const RequantConsts rk(rq);
  for_row_blocks<kMR>(M, [&](int m, auto rows) {
    row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, rq, rk, C + m * ldc, ldc);
  });
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
