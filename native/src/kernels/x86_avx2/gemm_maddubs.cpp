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
// Packed weights: the k-quad panels of gemm_paths.h (quad_pack), shared with the avxvnni GEMM.
// Micro-kernel: quad_gemm_body.inc's 6 rows x 16 channels, one vpmaddubsw + vpmaddwd + vpaddd per
// accumulator and k-quad.
#include <immintrin.h>

#include <cstring>

#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// acc[r][j] += the k-quad dot products of activations av[r] with weights wv[j].
struct QuadStep {
  const __m256i ones = _mm256_set1_epi16(1);
  template <int NR>
  inline __attribute__((always_inline)) void operator()(__m256i av, const __m256i (&wv)[NR], __m256i (&acc)[NR]) const {
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j)
      acc[j] = _mm256_add_epi32(acc[j], _mm256_madd_epi16(_mm256_maddubs_epi16(av, wv[j]), ones));
  }
};

}  // namespace

#include "kernels/x86_avx2/quad_gemm_body.inc"

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

void maddubs_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                 uint8_t* C, size_t ldc) {
  quad_gemm_run(A, lda, M, K, packed, N, rq, C, ldc);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
