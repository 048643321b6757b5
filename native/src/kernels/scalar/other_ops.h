// Pooling, resize, element-wise, argmax and image-stage kernels of the scalar ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace scalar {
#include "kernels/other_ops.inc"
}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
