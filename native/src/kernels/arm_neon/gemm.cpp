// The neon table's GEMM (kernels.h, GemmKernel): one of the two formats of gemm_paths.h per
// weight matrix, chosen at pack time and recorded in the packed buffer's header, so run() needs
// nothing else; packed_bytes() sizes for the larger of the two.
#include <cstring>

#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/gemm_paths.h"

namespace attendseg {
namespace kernels {
namespace neon {

size_t gemm_packed_bytes(int K, int N) {
  const size_t a = smlal_packed_bytes(K, N), b = smull_packed_bytes(K, N);
  return kGemmHeaderBytes + (a > b ? a : b);
}

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  std::memset(packed, 0, gemm_packed_bytes(K, N));
  const GemmFormat f = smull_exact(w, K, N) ? GemmFormat::Smull : GemmFormat::Smlal;
  std::memcpy(packed, &f, sizeof(f));
  if (f == GemmFormat::Smull)
    smull_pack(w, K, N, packed + kGemmHeaderBytes);
  else
    smlal_pack(w, K, N, packed + kGemmHeaderBytes);
}

void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc) {
  if (packed_format(packed) == GemmFormat::Smull)
    smull_run(A, lda, M, K, packed + kGemmHeaderBytes, N, rq, C, ldc);
  else
    smlal_run(A, lda, M, K, packed + kGemmHeaderBytes, N, rq, C, ldc);
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
