// NEON GEMM with the Armv8.2 dot-product instructions (Orin's Cortex-A78AE), bit-exact with
// scalar::gemm_run (kernels.h, GemmKernel). Compiled with -march=armv8.2-a+dotprod; only the
// neon_dotprod table, selected when HWCAP_ASIMDDP is present, calls into this file.
//
// Exactness: SDOT multiplies signed bytes only (the mixed u8 x s8 USDOT needs i8mm), so each
// activation is moved to a signed byte, a - 128 (an XOR with 0x80), and the panel stores the
// correction 128 * sum_k w[n][k] once per channel:
//   sum_k a[k] * w[n][k] = sum_k (a[k] - 128) * w[n][k] + 128 * sum_k w[n][k].
// Each SDOT lane adds four products of at most 2^14 in magnitude to an int32: exact.
//
// Packed weights: output channels in panels of 16 (channels past N are zero). A panel holds
// 16 int32 corrections, then per group of 4 k values 64 bytes: four registers, register j
// holding channels 4j..4j+3, each channel's 4 consecutive k weights. K is padded with zero
// weights to a multiple of 16, one activation register.
//
// Micro-kernel: MR = 4 rows x 16 channels of int32 accumulators. One 16-byte activation load
// per row covers four k groups; SDOT by element broadcasts each group in turn against the
// four weight registers (16 SDOT, 256 multiply-accumulates, per 4 weight loads).
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace neon_dotprod {

namespace {

using neon::RequantConsts;

constexpr int kMR = 4;     // rows per micro-tile
constexpr int kKC = 4096;  // k values prepared at once (multiple of 16); longer K is done in chunks

inline int round16(int k) { return (k + 15) & ~15; }
inline int panels_of(int N) { return (N + 15) / 16; }
inline size_t panel_bytes(int K) { return 64 + static_cast<size_t>(round16(K)) * 16; }

// Rows [0, mr) x k [k0, k0 + kc) of A as signed bytes a - 128 at dst (row stride `stride` >=
// round16(kc)); the padding up to round16(kc) is zero (it meets zero weights).
inline void prepare_rows(const uint8_t* A, size_t lda, int mr, int k0, int kc, int8_t* dst, int stride) {
  const uint8x16_t bias = vdupq_n_u8(0x80);
  for (int r = 0; r < mr; ++r) {
    const uint8_t* s = A + static_cast<size_t>(r) * lda + k0;
    int8_t* d = dst + static_cast<size_t>(r) * stride;
    int k = 0;
    for (; k + 16 <= kc; k += 16) vst1q_s8(d + k, vreinterpretq_s8_u8(veorq_u8(vld1q_u8(s + k), bias)));
    for (; k < kc; ++k) d[k] = static_cast<int8_t>(s[k] ^ 0x80);
    for (; k < round16(kc); ++k) d[k] = 0;
  }
}

// One group of 4 k values: group L of each row's activation register against the 4 weight
// registers at w.
template <int MR, int L>
inline __attribute__((always_inline)) void step(const int8x16_t (&a)[MR], const int8_t* w, int32x4_t (&acc)[MR][4]) {
  const int8x16_t w0 = vld1q_s8(w), w1 = vld1q_s8(w + 16), w2 = vld1q_s8(w + 32), w3 = vld1q_s8(w + 48);
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = vdotq_laneq_s32(acc[r][0], w0, a[r], L);
    acc[r][1] = vdotq_laneq_s32(acc[r][1], w1, a[r], L);
    acc[r][2] = vdotq_laneq_s32(acc[r][2], w2, a[r], L);
    acc[r][3] = vdotq_laneq_s32(acc[r][3], w3, a[r], L);
  }
}

// acc += rows of a (row stride `stride`) x kp (multiple of 16) k values of panel weights w.
template <int MR>
inline void accumulate(const int8_t* a, int stride, int kp, const int8_t* w, int32x4_t (&acc)[MR][4]) {
  for (int k = 0; k < kp; k += 16, w += 4 * 64) {
    int8x16_t av[MR];
    for (int r = 0; r < MR; ++r) av[r] = vld1q_s8(a + static_cast<size_t>(r) * stride + k);
    step<MR, 0>(av, w, acc);
    step<MR, 1>(av, w + 64, acc);
    step<MR, 2>(av, w + 128, acc);
    step<MR, 3>(av, w + 192, acc);
  }
}

// One MR x 16 output tile over the whole K, requantized and stored (nw valid channels).
template <int MR>
void tile(const uint8_t* A, size_t lda, int K, const uint8_t* panel, const int32_t* bias, const float* scale, int nw,
          const RequantConsts& rk, int8_t* abuf, bool prepared, uint8_t* C, size_t ldc) {
  int32x4_t b[4];
  float32x4_t s[4];
  neon::panel_q(bias, scale, nw, b, s);
  const int32_t* corr = reinterpret_cast<const int32_t*>(panel);
  const int8_t* w = reinterpret_cast<const int8_t*>(panel + 64);
  int32x4_t acc[MR][4];
  for (int j = 0; j < 4; ++j) {
    const int32x4_t init = vaddq_s32(b[j], vld1q_s32(corr + 4 * j));
    for (int r = 0; r < MR; ++r) acc[r][j] = init;
  }
  if (prepared) {
    accumulate<MR>(abuf, round16(K), round16(K), w, acc);
  } else {
    for (int k0 = 0; k0 < K; k0 += kKC) {
      const int kc = K - k0 < kKC ? K - k0 : kKC;
      prepare_rows(A, lda, MR, k0, kc, abuf, kKC);
      accumulate<MR>(abuf, kKC, round16(kc), w + static_cast<size_t>(k0) * 16, acc);
    }
  }
  for (int r = 0; r < MR; ++r) neon::store_bytes(C + static_cast<size_t>(r) * ldc, neon::requant16(acc[r], s, rk), nw);
}

// All panels for one block of MR rows.
template <int MR>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const Requant& rq,
               const RequantConsts& rk, uint8_t* C, size_t ldc, int8_t* abuf) {
  // When K fits the buffer the rows are prepared once for all panels; otherwise per panel and chunk.
  const bool prepared = K <= kKC;
  if (prepared) prepare_rows(A, lda, MR, 0, K, abuf, round16(K));
  for (int p = 0; p < panels_of(N); ++p) {
    const int n0 = 16 * p;
    const int nw = N - n0 < 16 ? N - n0 : 16;
    tile<MR>(A, lda, K, packed + p * panel_bytes(K), rq.bias ? rq.bias + n0 : nullptr, rq.scale + n0, nw, rk, abuf,
             prepared, C + n0, ldc);
  }
}

}  // namespace

size_t gemm_packed_bytes(int K, int N) { return static_cast<size_t>(panels_of(N)) * panel_bytes(K); }

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const int groups = round16(K) / 4;
  for (int p = 0; p < panels_of(N); ++p) {
    uint8_t* panel = packed + p * panel_bytes(K);
    int32_t corr[16];
    for (int c = 0; c < 16; ++c) {
      const int n = 16 * p + c;
      int32_t sum = 0;
      if (n < N)
        for (int k = 0; k < K; ++k) sum += w[static_cast<size_t>(n) * K + k];
      corr[c] = 128 * sum;
    }
    std::memcpy(panel, corr, sizeof(corr));
    int8_t* out = reinterpret_cast<int8_t*>(panel + 64);
    for (int g = 0; g < groups; ++g)
      for (int c = 0; c < 16; ++c)  // register c / 4, lane c % 4
        for (int i = 0; i < 4; ++i) {
          const int n = 16 * p + c, k = 4 * g + i;
          *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
        }
  }
}

void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  alignas(16) int8_t abuf[kMR * kKC];
  const RequantConsts rk(rq);
  for_row_blocks<kMR>(M, [&](int m, auto rows) {
    row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, rq, rk, C + m * ldc, ldc, abuf);
  });
}

}  // namespace neon_dotprod
}  // namespace kernels
}  // namespace attendseg
