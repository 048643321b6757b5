// Pooling, resize and element-wise kernels of the avx512vnni ISA (the rest it takes from avx2).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {
#include "kernels/other_ops.inc"
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
