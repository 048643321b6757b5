// The neon GEMM's int16 format (gemm_paths.h): any int8 weights, bit-exact with scalar::gemm_run
// (kernels.h, GemmKernel).
//
// Exactness: activations (u8) and weights (s8) are both widened to int16 and multiplied with
// SMLAL/SMLAL2 by element, which forms each int16 x int16 product in int32 and adds it to an
// int32 accumulator: no intermediate can saturate or wrap, so the sums are the reference's.
//
// Packed weights: output channels in panels of 16 (channels past N are zero), each panel
// k-major: for each k the 16 channels' int16 weights. K is padded with zero weights to a
// multiple of 8, one activation register.
//
// Micro-kernel: MR = 4 rows x 16 channels of int32 accumulators (16 registers). Per k one
// activation lane of each row multiplies two weight registers (4 SMLAL per row), so each
// weight load feeds 8 multiply-accumulates of 4 lanes. A block of MR rows is widened once into
// a stack buffer and reused for every panel.
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/gemm_paths.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

constexpr int kMR = 4;     // rows per micro-tile
constexpr int kKC = 2048;  // k values widened at once (multiple of 8); longer K is done in chunks

inline int round8(int k) { return (k + 7) & ~7; }
inline int panels_of(int N) { return (N + 15) / 16; }

// Widens rows [0, mr) x k [k0, k0 + kc) of A to int16 at dst (row stride `stride` >= round8(kc));
// the padding up to round8(kc) is zeroed.
inline void widen_rows(const uint8_t* A, size_t lda, int mr, int k0, int kc, int16_t* dst, int stride) {
  for (int r = 0; r < mr; ++r) {
    const uint8_t* s = A + static_cast<size_t>(r) * lda + k0;
    int16_t* d = dst + static_cast<size_t>(r) * stride;
    int k = 0;
    for (; k + 16 <= kc; k += 16) {
      const uint8x16_t v = vld1q_u8(s + k);
      vst1q_s16(d + k, vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(v))));
      vst1q_s16(d + k + 8, vreinterpretq_s16_u16(vmovl_u8(vget_high_u8(v))));
    }
    for (; k < kc; ++k) d[k] = s[k];
    for (; k < round8(kc); ++k) d[k] = 0;
  }
}

// One k: lane L of each row's activation register times the 16 weights at w.
template <int MR, int L>
inline __attribute__((always_inline)) void step(const int16x8_t (&a)[MR], const int16_t* w, int32x4_t (&acc)[MR][4]) {
  const int16x8_t w0 = vld1q_s16(w), w1 = vld1q_s16(w + 8);
  for (int r = 0; r < MR; ++r) {
    acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(w0), a[r], L);
    acc[r][1] = vmlal_high_laneq_s16(acc[r][1], w0, a[r], L);
    acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(w1), a[r], L);
    acc[r][3] = vmlal_high_laneq_s16(acc[r][3], w1, a[r], L);
  }
}

// acc += rows of a (int16, row stride `stride`) x kp (multiple of 8) k values of panel weights w.
template <int MR>
inline __attribute__((always_inline)) void accumulate(const int16_t* a, int stride, int kp, const int16_t* w,
                                                      int32x4_t (&acc)[MR][4]) {
  for (int k = 0; k < kp; k += 8, w += 8 * 16) {
    int16x8_t av[MR];
    for (int r = 0; r < MR; ++r) av[r] = vld1q_s16(a + static_cast<size_t>(r) * stride + k);
    step<MR, 0>(av, w + 0 * 16, acc);
    step<MR, 1>(av, w + 1 * 16, acc);
    step<MR, 2>(av, w + 2 * 16, acc);
    step<MR, 3>(av, w + 3 * 16, acc);
    step<MR, 4>(av, w + 4 * 16, acc);
    step<MR, 5>(av, w + 5 * 16, acc);
    step<MR, 6>(av, w + 6 * 16, acc);
    step<MR, 7>(av, w + 7 * 16, acc);
  }
}

// One MR x 16 output tile over the whole K, requantized and stored (nw valid channels).
template <int MR, class RK>
void tile(const uint8_t* A, size_t lda, int K, const int16_t* wpanel, const int32_t* bias, const float* scale, int nw,
          const RK& rk, int16_t* abuf, bool widened, uint8_t* C, size_t ldc) {
  int32x4_t b[4];
  float32x4_t s[4];
  panel_q(bias, scale, nw, b, s);
  int32x4_t acc[MR][4];
  for (int r = 0; r < MR; ++r)
    for (int j = 0; j < 4; ++j) acc[r][j] = b[j];
  if (widened) {
    accumulate<MR>(abuf, round8(K), round8(K), wpanel, acc);
  } else {
    for (int k0 = 0; k0 < K; k0 += kKC) {
      const int kc = K - k0 < kKC ? K - k0 : kKC;
      widen_rows(A, lda, MR, k0, kc, abuf, kKC);
      accumulate<MR>(abuf, kKC, round8(kc), wpanel + static_cast<size_t>(k0) * 16, acc);
    }
  }
  for (int r = 0; r < MR; ++r) store_bytes(C + static_cast<size_t>(r) * ldc, requant16(acc[r], s, rk), nw);
}

// All panels for one block of MR rows.
template <int MR, class RK>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const Requant& rq, const RK& rk,
               uint8_t* C, size_t ldc, int16_t* abuf) {
  // When K fits the buffer the rows are widened once for all panels; otherwise per panel and chunk.
  const bool widened = K <= kKC;
  if (widened) widen_rows(A, lda, MR, 0, K, abuf, round8(K));
  const int16_t* w = reinterpret_cast<const int16_t*>(packed);
  const size_t panel_elems = static_cast<size_t>(round8(K)) * 16;
  for (int p = 0; p < panels_of(N); ++p) {
    const int n0 = 16 * p;
    const int nw = N - n0 < 16 ? N - n0 : 16;
    tile<MR>(A, lda, K, w + p * panel_elems, rq.bias ? rq.bias + n0 : nullptr, rq.scale + n0, nw, rk, abuf, widened,
             C + n0, ldc);
  }
}

}  // namespace

size_t smlal_packed_bytes(int K, int N) {
  return sizeof(int16_t) * static_cast<size_t>(panels_of(N)) * round8(K) * 16;
}

void smlal_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  for (int p = 0; p < panels_of(N); ++p)
    for (int k = 0; k < round8(K); ++k)
      for (int c = 0; c < 16; ++c) {
        const int n = 16 * p + c;
        *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
      }
}

void smlal_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
               uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  alignas(16) int16_t abuf[kMR * kKC];
  with_requant_consts(rq, [&](const auto& rk) {
    for_row_blocks<kMR>(M, [&](int m, auto rows) {
      row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, rq, rk, C + m * ldc, ldc, abuf);
    });
  });
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
