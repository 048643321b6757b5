// The multiply-accumulate ceiling (KernelTable::peak_loop) of the avx512vnni ISA.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace avx512vnni {
#include "kernels/peak.inc"
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
