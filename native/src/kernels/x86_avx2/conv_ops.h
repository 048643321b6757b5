// Convolution kernels of this ISA (see kernels.h for the contract).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

size_t gemm_packed_bytes(int K, int N);
void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed);
void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc);
void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda);
size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels);
void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed);
void dw_run(const DwConvArgs& a, int row_begin, int row_end);

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
