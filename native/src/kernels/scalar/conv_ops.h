// Convolution kernels of the scalar ISA.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace scalar {
#include "kernels/conv_ops.inc"
}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
