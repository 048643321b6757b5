// Convolution kernels of the avx512vnni ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
#include "kernels/conv_ops.inc"
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
