// AVX-512 VNNI GEMM with fused requantization (kernels.h, GemmKernel), bit-exact with
// scalar::gemm_run.
//
// Exactness: _mm512_dpbusd_epi32 multiplies u8 activations by s8 weights and adds each group of
// four products to an int32 lane with no intermediate saturation, so the int32 sums equal the
// reference's.
//
// Packed weights: output channels in panels of 16, each panel k-quad major: for each quad
// (4q .. 4q+3) the 16 channels' four int8 weights, channel after channel (64 bytes). Channels past
// N and k past K are zero.
//
// Micro-kernel: MR = 4 rows x up to 4 panels (64 channels) of int32 accumulators (16 zmm); per
// k-quad one broadcast of each row's four activation bytes (read straight from A) and one load
// per panel feed 16 dpbusd. 16 chains cover vpdpbusd's latency; 6 rows (24 accumulators) left
// GCC too few registers and spilled. When a row's padding (lda >= K rounded up to 4, as im2col's
// tiles have) holds the last quad, it is read whole against zero weights; otherwise (a 1x1
// convolution's own tensor, K % 4 != 0) assembled bytewise, so no read goes past the row. Each
// row's panels are requantized together into one store (requant.h narrow64).
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <algorithm>
#include <cstring>

#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/x86_avx512vnni/dpbusd.h"
#include "kernels/x86_avx512vnni/requant.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

constexpr int kMR = 4;  // rows per micro-tile
constexpr int kNP = 4;  // 16-channel panels per micro-tile

inline int quads(int K) { return (K + 3) / 4; }
inline size_t panel_bytes(int K) { return static_cast<size_t>(quads(K)) * 64; }

inline int32_t load_i32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
// The first n (1..3) bytes at p, zero-extended, by a masked load (bytes past them are neither read
// nor faulted on): a memcpy of a run-time length was a library call per row and quad, 4x the
// GEMM's time at K = 27.
inline int32_t load_partial_i32(const uint8_t* p, int n) {
  return _mm_cvtsi128_si32(_mm_maskz_loadu_epi8(static_cast<__mmask16>((1u << n) - 1), p));
}

// Requantizes the tile (row r's channels n0 + [0, nw) from acc[r]) and stores it.
template <int MR, int NP, bool kBounded, bool kClamp>
inline __attribute__((always_inline)) void store_tile(const __m512i (&acc)[MR][NP], const __m512 (&s)[NP], int n0,
                                                      int nw, const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const __mmask64 out_mask = nw >= 64 ? ~__mmask64{0} : (__mmask64{1} << nw) - 1;
  if constexpr (NP <= 2) {
    // narrow64 takes 64 channels: 64 / (16 * NP) rows of at most 16 * NP share one, each row
    // stored from its own part of the result.
    constexpr int RPN = 4 / NP;  // rows per narrow64
#pragma GCC unroll 4
    for (int r0 = 0; r0 < MR; r0 += RPN) {
      __m512i v[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
      // The inner loops (at most 4 trips) are unrolled whole without a pragma; one on them is
      // ignored, with a warning, in the instantiations where the outer unroll has peeled them.
      for (int i = 0; i < RPN && r0 + i < MR; ++i)
#pragma GCC unroll 2
        for (int j = 0; j < NP; ++j) v[i * NP + j] = round_i32<kBounded>(acc[r0 + i][j], s[j], rk);
      const __m512i b = narrow64<kClamp>(v[0], v[1], v[2], v[3], rk);
      for (int i = 0; i < RPN && r0 + i < MR; ++i) {
        uint8_t* row = C + static_cast<size_t>(r0 + i) * ldc + n0;
        // The extracts take an immediate: clang rejects a loop index even where GCC unrolls the
        // loop, so a switch, which the unrolled loop folds away.
        if constexpr (NP == 1) {
          __m128i part;
          switch (i) {
            case 0: part = _mm512_extracti32x4_epi32(b, 0); break;
            case 1: part = _mm512_extracti32x4_epi32(b, 1); break;
            case 2: part = _mm512_extracti32x4_epi32(b, 2); break;
            default: part = _mm512_extracti32x4_epi32(b, 3); break;
          }
          _mm_mask_storeu_epi8(row, static_cast<__mmask16>(out_mask), part);
        } else {
          const __m256i part = i == 0 ? _mm512_extracti64x4_epi64(b, 0) : _mm512_extracti64x4_epi64(b, 1);
          _mm256_mask_storeu_epi8(row, static_cast<__mmask32>(out_mask), part);
        }
      }
    }
    return;
  }
#pragma GCC unroll 6
  for (int r = 0; r < MR; ++r) {
    __m512i v[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
#pragma GCC unroll 4
    for (int j = 0; j < NP; ++j) v[j] = round_i32<kBounded>(acc[r][j], s[j], rk);
    _mm512_mask_storeu_epi8(C + static_cast<size_t>(r) * ldc + n0, out_mask, narrow64<kClamp>(v[0], v[1], v[2], v[3], rk));
  }
}

// One MR x (16 * NP) output tile, channels [n0, n0 + nw) with nw > 16 * (NP - 1).
// kq quads are read whole; then `tail` (0..3) bytes of one more, bytewise.
template <int MR, int NP>
void tile(const uint8_t* A, size_t lda, int kq, int tail, const uint8_t* w, size_t pstride, const Requant& rq, int n0, int nw,
          const RequantConsts& rk, uint8_t* C, size_t ldc) {
  // Every loop over acc is fully unrolled: one indexed by a run-time counter makes GCC keep the
  // whole array in memory, storing all 24 accumulators to the stack on every k-quad.
  __mmask16 mask[NP];
  __m512i acc[MR][NP];
#pragma GCC unroll 4
  for (int j = 0; j < NP; ++j) {
    mask[j] = first_lanes16(std::min(16, nw - 16 * j));
    const __m512i b = rq.bias ? _mm512_maskz_loadu_epi32(mask[j], rq.bias + n0 + 16 * j) : _mm512_setzero_si512();
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) acc[r][j] = b;
  }
  for (int q = 0; q < kq; ++q) {
    __m512i wv[NP];
#pragma GCC unroll 4
    for (int j = 0; j < NP; ++j)
      wv[j] = _mm512_loadu_si512(reinterpret_cast<const void*>(w + j * pstride + static_cast<size_t>(q) * 64));
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m512i av = _mm512_set1_epi32(load_i32(A + static_cast<size_t>(r) * lda + 4 * q));
#pragma GCC unroll 4
      for (int j = 0; j < NP; ++j) dpbusd(acc[r][j], av, wv[j]);
    }
  }
  if (tail) {
#pragma GCC unroll 4
    for (int j = 0; j < NP; ++j) {
      const __m512i wv = _mm512_loadu_si512(reinterpret_cast<const void*>(w + j * pstride + static_cast<size_t>(kq) * 64));
#pragma GCC unroll 6
      for (int r = 0; r < MR; ++r) {
        const __m512i av = _mm512_set1_epi32(load_partial_i32(A + static_cast<size_t>(r) * lda + 4 * kq, tail));
        dpbusd(acc[r][j], av, wv);
      }
    }
  }
  __m512 s[NP];
#pragma GCC unroll 4
  for (int j = 0; j < NP; ++j) s[j] = _mm512_maskz_loadu_ps(mask[j], rq.scale + n0 + 16 * j);
  with_requant_mode(rk, [&](auto m) __attribute__((always_inline)) {
    using M = decltype(m);
    store_tile<MR, NP, M::kBounded, M::kClamp>(acc, s, n0, nw, rk, C, ldc);
  });
}

template <int MR>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const Requant& rq,
               const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const size_t pstride = panel_bytes(K);
  const int panels = (N + 15) / 16;
  const bool whole = lda >= static_cast<size_t>(4 * quads(K));
  const int kq = whole ? quads(K) : K / 4, tail = whole ? 0 : K % 4;
  for (int p = 0; p < panels; p += kNP) {
    const int np = std::min(kNP, panels - p);
    const int n0 = 16 * p;
    const int nw = std::min(16 * kNP, N - n0);
    const uint8_t* w = packed + static_cast<size_t>(p) * pstride;
    switch (np) {
      case 1: tile<MR, 1>(A, lda, kq, tail, w, pstride, rq, n0, nw, rk, C, ldc); break;
      case 2: tile<MR, 2>(A, lda, kq, tail, w, pstride, rq, n0, nw, rk, C, ldc); break;
      case 3: tile<MR, 3>(A, lda, kq, tail, w, pstride, rq, n0, nw, rk, C, ldc); break;
      default: tile<MR, 4>(A, lda, kq, tail, w, pstride, rq, n0, nw, rk, C, ldc); break;
    }
  }
}

}  // namespace

size_t gemm_packed_bytes(int K, int N) { return static_cast<size_t>((N + 15) / 16) * panel_bytes(K); }

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const int panels = (N + 15) / 16, nq = quads(K);
  uint8_t* out = packed;
  for (int p = 0; p < panels; ++p)
    for (int q = 0; q < nq; ++q)
      for (int c = 0; c < 16; ++c) {
        const int n = 16 * p + c;
        for (int i = 0; i < 4; ++i) {
          const int k = 4 * q + i;
          *out++ = (n < N && k < K) ? static_cast<uint8_t>(w[static_cast<size_t>(n) * K + k]) : 0;
        }
      }
}

void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  const RequantConsts rk(rq);
  for_row_blocks<kMR>(M, [&](int m, auto rows) {
    row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, rq, rk, C + m * ldc, ldc);
  });
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
