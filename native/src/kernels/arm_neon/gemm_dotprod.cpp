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
// Micro-kernel: MR = 4 rows x 16 channels of int32 accumulators. A block of MR rows is moved to
// signed bytes once, interleaved by 16 k (signed_rows.h), and reused for every panel. Per 16 k,
// one LD1 of four registers brings the 4 rows' activations and four more the weights; SDOT by
// element broadcasts each row's k groups in turn against the four weight registers of the group
// (64 SDOT, 1024 multiply-accumulates, per 5 loads).
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/arm_neon/signed_rows.h"

namespace attendseg {
namespace kernels {
namespace neon_dotprod {

namespace {


inline int panels_of(int N) { return (N + 15) / 16; }
inline size_t panel_bytes(int K) { return 64 + static_cast<size_t>(signed_round16(K)) * 16; }

// One group of 4 k values: group L of each row's activation register against the 4 weight
// registers at w, loaded by one LD1 of four registers.
template <int MR, int L>
inline __attribute__((always_inline)) void step(const int8x16_t (&a)[MR], const int8_t* w, int32x4_t (&acc)[MR][4]) {
  const int8x16x4_t wv = vld1q_s8_x4(w);
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = vdotq_laneq_s32(acc[r][0], wv.val[0], a[r], L);
    acc[r][1] = vdotq_laneq_s32(acc[r][1], wv.val[1], a[r], L);
    acc[r][2] = vdotq_laneq_s32(acc[r][2], wv.val[2], a[r], L);
    acc[r][3] = vdotq_laneq_s32(acc[r][3], wv.val[3], a[r], L);
  }
}

// acc += `blocks` interleaved activation blocks at a (prepare_signed_rows) x the panel weights at w.
template <int MR>
inline __attribute__((always_inline)) void accumulate(const int8_t* a, int blocks, const int8_t* w,
                                                      int32x4_t (&acc)[MR][4]) {
  for (int b = 0; b < blocks; ++b, a += MR * 16) {
    int8x16_t av[MR];
    if constexpr (MR == 4) {
      const int8x16x4_t v = vld1q_s8_x4(a);
      for (int r = 0; r < 4; ++r) av[r] = v.val[r];
    } else {
      for (int r = 0; r < MR; ++r) av[r] = vld1q_s8(a + r * 16);
    }
    // The empty asm keeps each group's weight loads after the previous group's SDOTs (GCC
    // otherwise hoists all 16 weight registers, and 16 accumulators no longer fit: it spills
    // two), and hides w's value, so each load post-increments w instead of taking an address of
    // its own.
    step<MR, 0>(av, w, acc);
    w += 64;
    asm volatile("" : "+r"(w) : : "memory");
    step<MR, 1>(av, w, acc);
    w += 64;
    asm volatile("" : "+r"(w) : : "memory");
    step<MR, 2>(av, w, acc);
    w += 64;
    asm volatile("" : "+r"(w) : : "memory");
    step<MR, 3>(av, w, acc);
    w += 64;
  }
}

// One MR x 16 output tile over the whole K, requantized and stored (nw valid channels).
template <int MR, class RK>
void tile(const uint8_t* A, size_t lda, int K, const uint8_t* panel, const int32_t* bias, const float* scale, int nw,
          const RK& rk, int8_t* abuf, bool prepared, uint8_t* C, size_t ldc) {
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
    accumulate<MR>(abuf, signed_round16(K) / 16, w, acc);
  } else {
    for (int k0 = 0; k0 < K; k0 += kSignedKC) {
      const int kc = K - k0 < kSignedKC ? K - k0 : kSignedKC;
      prepare_signed_rows<MR>(A, lda, k0, kc, abuf);
      accumulate<MR>(abuf, signed_round16(kc) / 16, w + static_cast<size_t>(k0) * 16, acc);
    }
  }
  for (int r = 0; r < MR; ++r) neon::store_bytes(C + static_cast<size_t>(r) * ldc, neon::requant16(acc[r], s, rk), nw);
}

}  // namespace

size_t gemm_packed_bytes(int K, int N) { return static_cast<size_t>(panels_of(N)) * panel_bytes(K); }

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const int groups = signed_round16(K) / 4;
  for (int p = 0; p < panels_of(N); ++p) {
    uint8_t* panel = packed + p * panel_bytes(K);
    int32_t corr[16];
    signed_corrections(w, K, N, 16 * p, corr);
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
  neon::with_requant_consts(rq, [&](const auto& rk) {
    signed_gemm(A, lda, M, K, N, C, ldc,
                [&](auto rows, const uint8_t* a, int n0, int nw, int8_t* abuf, bool prepared, uint8_t* c) {
                  tile<decltype(rows)::value>(a, lda, K, packed + (n0 / 16) * panel_bytes(K),
                                              rq.bias ? rq.bias + n0 : nullptr, rq.scale + n0, nw, rk, abuf,
                                              prepared, c, ldc);
                });
  });
}

}  // namespace neon_dotprod
}  // namespace kernels
}  // namespace attendseg
