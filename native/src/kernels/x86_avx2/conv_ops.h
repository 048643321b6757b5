// Convolution kernels of the avx2 ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
#include "kernels/conv_ops.inc"
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
