// What the NEON GEMMs that multiply signed bytes share (gemm_dotprod.cpp's SDOT, gemm_smull.cpp's
// SMULL): activations moved to signed bytes a - 128 (an XOR with 0x80), with the panels holding
// the correction 128 * sum_k w[n][k] per channel, since
//   sum_k a[k] * w[n][k] = sum_k (a[k] - 128) * w[n][k] + 128 * sum_k w[n][k],
// and the rows of A prepared that way, interleaved by 16 k. Internal linkage: the dotprod file is
// compiled with its own flags, and the linker must never hand one table another's copy.
#pragma once
#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace {

constexpr int kSignedMR = 4;     // rows per micro-tile
constexpr int kSignedKC = 4096;  // k values prepared at once (multiple of 16); longer K is done in chunks

inline int signed_round16(int k) { return (k + 15) & ~15; }

// Rows [0, MR) x k [k0, k0 + kc) of A as signed bytes a - 128 at dst, interleaved by 16 k:
// block b holds row r's k0 + 16b .. + 15 at dst + (b * MR + r) * 16, so the micro-kernel loads a
// block's MR activation registers together (one LD1 of four for MR = 4). The padding up to
// signed_round16(kc) is zero (it meets zero weights).
template <int MR>
inline void prepare_signed_rows(const uint8_t* A, size_t lda, int k0, int kc, int8_t* dst) {
  // TBL indices that move the last t bytes of a register to its front and zero the rest.
  static const uint8_t kTail[32] = {0,    1,    2,    3,    4,    5,    6,    7,    8,    9,    10,
                                    11,   12,   13,   14,   15,   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  const uint8x16_t bias = vdupq_n_u8(0x80);
  const int full = kc / 16, tail = kc % 16;
  for (int r = 0; r < MR; ++r) {
    const uint8_t* s = A + static_cast<size_t>(r) * lda + k0;
    int8_t* d = dst + r * 16;
    int b = 0;
    for (; b + 2 <= full; b += 2) {
      const uint8x16x2_t v = vld1q_u8_x2(s + 16 * b);
      vst1q_s8(d + b * MR * 16, vreinterpretq_s8_u8(veorq_u8(v.val[0], bias)));
      vst1q_s8(d + (b + 1) * MR * 16, vreinterpretq_s8_u8(veorq_u8(v.val[1], bias)));
    }
    if (b < full) vst1q_s8(d + b * MR * 16, vreinterpretq_s8_u8(veorq_u8(vld1q_u8(s + 16 * b), bias)));
    if (!tail) continue;
    int8_t* t = d + full * MR * 16;
    if (kc >= 16) {  // the 16 bytes ending at k0 + kc, moved down and zero-filled by TBL
      const uint8x16_t v = veorq_u8(vld1q_u8(s + kc - 16), bias);
      vst1q_s8(t, vreinterpretq_s8_u8(vqtbl1q_u8(v, vld1q_u8(kTail + 16 - tail))));
    } else {
      for (int k = 0; k < 16; ++k) t[k] = k < kc ? static_cast<int8_t>(s[k] ^ 0x80) : 0;
    }
  }
}

// The panel corrections: corr[c] = 128 * sum_k w[n][k] for the 16 channels n = n0 + c (0 past N).
inline void signed_corrections(const int8_t* w, int K, int N, int n0, int32_t (&corr)[16]) {
  for (int c = 0; c < 16; ++c) {
    const int n = n0 + c;
    int32_t sum = 0;
    if (n < N)
      for (int k = 0; k < K; ++k) sum += w[static_cast<size_t>(n) * K + k];
    corr[c] = 128 * sum;
  }
}

// The driver of both signed-byte GEMMs: blocks of up to kSignedMR rows; a block's rows are
// prepared once for all its 16-channel panels when K fits the buffer (otherwise the tile prepares
// them per panel and chunk of kSignedKC); then tile(Rows<R>, rows of A, n0, valid channels, abuf,
// prepared, C at the tile) per panel.
template <class Tile>
inline void signed_gemm(const uint8_t* A, size_t lda, int M, int K, int N, uint8_t* C, size_t ldc, Tile&& tile) {
  if (M <= 0 || N <= 0) return;
  alignas(16) int8_t abuf[kSignedMR * kSignedKC];
  const bool prepared = K <= kSignedKC;
  for_row_blocks<kSignedMR>(M, [&](int m, auto rows) {
    const uint8_t* a = A + m * lda;
    if (prepared) prepare_signed_rows<decltype(rows)::value>(a, lda, 0, K, abuf);
    for (int n0 = 0; n0 < N; n0 += 16) tile(rows, a, n0, N - n0 < 16 ? N - n0 : 16, abuf, prepared, C + m * ldc + n0);
  });
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
