// Convolution kernels of the avx512vnni ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
#include "kernels/conv_ops.inc"
// This ISA's kernels.h SmallConvKernel (small_conv.cpp).
size_t small_conv_packed_bytes(int K, int N);
void small_conv_pack(const int8_t* w, int K, int N, uint8_t* packed);
void small_conv_run(const Im2colArgs& a, int p_begin, int p_end, const uint8_t* packed, int K, int N,
                    const Requant& rq, uint8_t* C, size_t ldc);
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
