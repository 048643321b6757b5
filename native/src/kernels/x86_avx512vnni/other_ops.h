// Pooling, resize, element-wise, argmax and image-stage kernels of the avx512vnni ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
#include "kernels/other_ops.inc"
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
