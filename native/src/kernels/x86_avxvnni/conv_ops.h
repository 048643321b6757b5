// Convolution kernels of the avxvnni ISA: only the GEMM's run; its weights are packed by the avx2
// table's quad_pack (x86_avx2/gemm_paths.h).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avxvnni {
void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc);
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
