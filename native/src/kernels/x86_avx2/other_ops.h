// Pooling, resize, element-wise, argmax and image-stage kernels of the avx2 ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {
#include "kernels/other_ops.inc"
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
