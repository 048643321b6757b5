// The neon GEMM's signed-byte format (gemm_paths.h), for CPUs without the dot product: bit-exact
// with scalar::gemm_run (kernels.h, GemmKernel) for weights smull_exact() accepts.
//
// Exactness: activations become signed bytes a - 128 with the panel's correction 128 * sum_k w
// (signed_rows.h). SMULL multiplies 8 activation bytes by 8 weight bytes into int16 lanes, and
// SMLAL2 adds the products of the other 8 of a 16-k block into the same lanes: lane i holds
// x[i] * w[i] + x[i + 8] * w[i + 8] with x in [-128, 127]. A product lies in [-16256, 16256]
// unless both factors are -128 (16384), so the int16 sum is exact unless both weights of a lane
// are -128; smull_exact() refuses those weight matrices (they take the int16 format). SADALP then
// adds each pair of int16 lanes into an int32 accumulator, exactly.
//
// Packed weights: output channels in panels of 16 (channels past N are zero). A panel holds 16
// int32 corrections, then for each group of 4 channels (a quarter) and each 16-k block, 64 bytes:
// the 4 channels' 16 weights, channel after channel (one register each). K is padded with zero
// weights to a multiple of 16.
//
// Micro-kernel: MR = 4 rows x 4 channels, 16 int32x4 accumulators each summing one (row,
// channel) pair over its 4 lanes. Per 16-k block: one LD1 of four registers for the 4 rows'
// prepared activations, one for the quarter's 4 weight registers, then per (row, channel) an
// SMULL, an SMLAL2 and a SADALP: 50 instructions for 256 products, against 64 SMLAL by element
// and their loads in the int16 format. Each quarter's sums are reduced across lanes by pairwise
// adds once per tile; the four quarters make the 16-channel row that is requantized and stored.
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/gemm_paths.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/arm_neon/signed_rows.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {


inline int panels_of(int N) { return (N + 15) / 16; }
inline size_t quarter_bytes(int K) { return static_cast<size_t>(signed_round16(K)) * 4; }
inline size_t panel_bytes(int K) { return 64 + 4 * quarter_bytes(K); }

// The 4 channels' sums of one quarter for 4 rows: `blocks` 16-k blocks of prepared rows (64 bytes
// each at a) against the quarter's weights (64 bytes a block at w), lane c of t[r] the sum for
// row r and channel c. One asm statement for the whole loop, with the 16 accumulators in v0-v15:
// given the same intrinsics, GCC 12 starts all 16 products of a block at once and spills
// accumulators to the stack on every block, and an asm statement cannot take 16 of them as
// read-write operands (at most 30 operands, each counted twice).
#define ATTENDSEG_SMULL_PAIR(ACC, X, W, T) \
  "smull  " T ".8h, " X ".8b, " W ".8b\n\t" \
  "smlal2 " T ".8h, " X ".16b, " W ".16b\n\t" \
  "sadalp " ACC ".4s, " T ".8h\n\t"
#define ATTENDSEG_SMULL_ROW(A0, A1, A2, A3, X) \
  ATTENDSEG_SMULL_PAIR(A0, X, "v24", "v16") \
  ATTENDSEG_SMULL_PAIR(A1, X, "v25", "v17") \
  ATTENDSEG_SMULL_PAIR(A2, X, "v26", "v18") \
  ATTENDSEG_SMULL_PAIR(A3, X, "v27", "v19")
#define ATTENDSEG_SMULL_REDUCE(A0, A1, A2, A3, OUT) \
  "addp v16.4s, " A0 ".4s, " A1 ".4s\n\t" \
  "addp v17.4s, " A2 ".4s, " A3 ".4s\n\t" \
  "addp " OUT ".4s, v16.4s, v17.4s\n\t"
inline void quarter4(const int8_t* a, int blocks, const int8_t* w, int32x4_t (&t)[4]) {
  asm("movi v0.4s, #0\n\t movi v1.4s, #0\n\t movi v2.4s, #0\n\t movi v3.4s, #0\n\t"
      "movi v4.4s, #0\n\t movi v5.4s, #0\n\t movi v6.4s, #0\n\t movi v7.4s, #0\n\t"
      "movi v8.4s, #0\n\t movi v9.4s, #0\n\t movi v10.4s, #0\n\t movi v11.4s, #0\n\t"
      "movi v12.4s, #0\n\t movi v13.4s, #0\n\t movi v14.4s, #0\n\t movi v15.4s, #0\n\t"
      "cbz %w[n], 2f\n"
      "1:\n\t"
      "ld1 {v24.16b-v27.16b}, [%[w]], #64\n\t"
      "ld1 {v28.16b-v31.16b}, [%[a]], #64\n\t"
      ATTENDSEG_SMULL_ROW("v0", "v1", "v2", "v3", "v28")
      ATTENDSEG_SMULL_ROW("v4", "v5", "v6", "v7", "v29")
      ATTENDSEG_SMULL_ROW("v8", "v9", "v10", "v11", "v30")
      ATTENDSEG_SMULL_ROW("v12", "v13", "v14", "v15", "v31")
      "subs %w[n], %w[n], #1\n\t"
      "b.ne 1b\n"
      "2:\n\t"
      ATTENDSEG_SMULL_REDUCE("v0", "v1", "v2", "v3", "%[t0]")
      ATTENDSEG_SMULL_REDUCE("v4", "v5", "v6", "v7", "%[t1]")
      ATTENDSEG_SMULL_REDUCE("v8", "v9", "v10", "v11", "%[t2]")
      ATTENDSEG_SMULL_REDUCE("v12", "v13", "v14", "v15", "%[t3]")
      : [a] "+r"(a), [w] "+r"(w), [n] "+r"(blocks), [t0] "=w"(t[0]), [t1] "=w"(t[1]), [t2] "=w"(t[2]),
        [t3] "=w"(t[3])
      :
      : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15",
        "v16", "v17", "v18", "v19", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "memory", "cc");
}
#undef ATTENDSEG_SMULL_REDUCE
#undef ATTENDSEG_SMULL_ROW
#undef ATTENDSEG_SMULL_PAIR

// The 4 channels' sums of one quarter over `blocks` prepared activation blocks at a, added to
// total[r] (lane c: channel c of the quarter): quarter4 for full row blocks, the same products
// in intrinsics for the last rows of a GEMM (M % 4).
template <int MR>
inline void quarter(const int8_t* a, int blocks, const int8_t* w, int32x4_t (&total)[MR]) {
  if constexpr (MR == 4) {
    int32x4_t t[4];
    quarter4(a, blocks, w, t);
    for (int r = 0; r < 4; ++r) total[r] = vaddq_s32(total[r], t[r]);
  } else {
    int32x4_t acc[MR][4];
    for (int r = 0; r < MR; ++r)
      for (int c = 0; c < 4; ++c) acc[r][c] = vdupq_n_s32(0);
    for (int b = 0; b < blocks; ++b, a += MR * 16, w += 64) {
      const int8x16_t wv[4] = {vld1q_s8(w), vld1q_s8(w + 16), vld1q_s8(w + 32), vld1q_s8(w + 48)};
      for (int r = 0; r < MR; ++r) {
        const int8x16_t x = vld1q_s8(a + r * 16);
        for (int c = 0; c < 4; ++c)
          acc[r][c] = vpadalq_s16(acc[r][c], vmlal_high_s8(vmull_s8(vget_low_s8(x), vget_low_s8(wv[c])), x, wv[c]));
      }
    }
    for (int r = 0; r < MR; ++r)
      total[r] = vaddq_s32(total[r], vpaddq_s32(vpaddq_s32(acc[r][0], acc[r][1]), vpaddq_s32(acc[r][2], acc[r][3])));
  }
}

// One MR x 16 output tile over the whole K, requantized and stored (nw valid channels).
template <int MR, class RK>
void tile(const uint8_t* A, size_t lda, int K, const uint8_t* panel, const int32_t* bias, const float* scale, int nw,
          const RK& rk, int8_t* abuf, bool prepared, uint8_t* C, size_t ldc) {
  int32x4_t b[4];
  float32x4_t s[4];
  panel_q(bias, scale, nw, b, s);
  const int32_t* corr = reinterpret_cast<const int32_t*>(panel);
  const int8_t* w = reinterpret_cast<const int8_t*>(panel + 64);
  int32x4_t total[4][MR];  // [quarter][row]
  for (int j = 0; j < 4; ++j) {
    const int32x4_t init = vaddq_s32(b[j], vld1q_s32(corr + 4 * j));
    for (int r = 0; r < MR; ++r) total[j][r] = init;
  }
  for (int k0 = 0; k0 < K; k0 += kSignedKC) {
    const int kc = K - k0 < kSignedKC ? K - k0 : kSignedKC;
    if (!prepared) prepare_signed_rows<MR>(A, lda, k0, kc, abuf);
    for (int j = 0; j < 4; ++j)
      quarter<MR>(abuf, signed_round16(kc) / 16, w + j * quarter_bytes(K) + static_cast<size_t>(k0) * 4, total[j]);
  }
  for (int r = 0; r < MR; ++r) {
    const int32x4_t acc[4] = {total[0][r], total[1][r], total[2][r], total[3][r]};
    store_bytes(C + static_cast<size_t>(r) * ldc, requant16(acc, s, rk), nw);
  }
}

}  // namespace

bool smull_exact(const int8_t* w, int K, int N) {
  for (int n = 0; n < N; ++n) {
    const int8_t* row = w + static_cast<size_t>(n) * K;
    for (int k = 0; k + 8 < K; ++k)
      if (k % 16 < 8 && row[k] == -128 && row[k + 8] == -128) return false;
  }
  return true;
}

size_t smull_packed_bytes(int K, int N) { return static_cast<size_t>(panels_of(N)) * panel_bytes(K); }

void smull_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const int blocks = signed_round16(K) / 16;
  for (int p = 0; p < panels_of(N); ++p) {
    uint8_t* panel = packed + p * panel_bytes(K);
    int32_t corr[16];
    signed_corrections(w, K, N, 16 * p, corr);
    std::memcpy(panel, corr, sizeof(corr));
    int8_t* out = reinterpret_cast<int8_t*>(panel + 64);
    for (int j = 0; j < 4; ++j)
      for (int b = 0; b < blocks; ++b)
        for (int c = 0; c < 4; ++c)
          for (int i = 0; i < 16; ++i) {
            const int n = 16 * p + 4 * j + c, k = 16 * b + i;
            *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
          }
  }
}

void smull_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
               uint8_t* C, size_t ldc) {
  with_requant_consts(rq, [&](const auto& rk) {
    signed_gemm(A, lda, M, K, N, C, ldc,
                [&](auto rows, const uint8_t* a, int n0, int nw, int8_t* abuf, bool prepared, uint8_t* c) {
                  tile<decltype(rows)::value>(a, lda, K, packed + (n0 / 16) * panel_bytes(K),
                                              rq.bias ? rq.bias + n0 : nullptr, rq.scale + n0, nw, rk, abuf,
                                              prepared, c, ldc);
                });
  });
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
