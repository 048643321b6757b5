// Convolution kernels of the avxvnni ISA: the GEMM's run (its weights packed by the avx2 table's
// quad_pack, x86_avx2/gemm_paths.h), and the Winograd kernels and depthwise convolution
// (pair_product_kernels.cpp). The other declarations of conv_ops.inc have no avxvnni definition:
// the table takes those from avx2.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avxvnni {
#include "kernels/conv_ops.inc"
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
