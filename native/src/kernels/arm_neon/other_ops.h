// Pooling, resize, element-wise, argmax and image-stage kernels of the NEON ISAs (plain
// armv8-a NEON, shared by the neon and neon_dotprod tables).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace neon {
#include "kernels/other_ops.inc"
}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
