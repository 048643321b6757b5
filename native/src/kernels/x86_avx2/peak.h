// The multiply-accumulate ceiling (KernelTable::peak_loop) of the avx2 ISA.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace avx2 {
#include "kernels/peak.inc"
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
