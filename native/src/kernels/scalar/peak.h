// The multiply-accumulate ceiling (KernelTable::peak_loop) of the scalar ISA.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace scalar {
#include "kernels/peak.inc"
}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
