// Reference GEMM with fused requantization (kernels.h, GemmKernel). Deliberately plain: every
// SIMD GEMM is tested against this loop nest bit for bit.
#include <cstring>

#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// The reference keeps the weights exactly as given: row-major [N][K] int8.
size_t gemm_packed_bytes(int K, int N) { return static_cast<size_t>(K) * static_cast<size_t>(N); }

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  std::memcpy(packed, w, gemm_packed_bytes(K, N));
}

void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc) {
  const int8_t* w = reinterpret_cast<const int8_t*>(packed);
  for (int m = 0; m < M; ++m) {
    const uint8_t* a = A + static_cast<size_t>(m) * lda;
    for (int n = 0; n < N; ++n) {
      const int8_t* wn = w + static_cast<size_t>(n) * K;
      int32_t acc = rq.bias ? rq.bias[n] : 0;
      for (int k = 0; k < K; ++k) acc += static_cast<int32_t>(a[k]) * static_cast<int32_t>(wn[k]);
      const int32_t y = round_clamped(static_cast<float>(acc) * rq.scale[n]) + rq.out_zp;
      C[static_cast<size_t>(m) * ldc + n] = clamp_u8(y, rq.qmin, rq.qmax);
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
