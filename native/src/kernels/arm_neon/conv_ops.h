// Convolution kernels of the NEON ISAs. The widening-multiply table (neon) implements every
// convolution kernel; the dot-product table (neon_dotprod) differs only in its GEMM and shares
// im2col and depthwise with neon (a depthwise tap is one multiply per channel, nothing for a
// 4-way dot product to sum).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace neon {
#include "kernels/conv_ops.inc"
}  // namespace neon
namespace neon_dotprod {
size_t gemm_packed_bytes(int K, int N);
void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed);
void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc);
}  // namespace neon_dotprod
}  // namespace kernels
}  // namespace attendseg
