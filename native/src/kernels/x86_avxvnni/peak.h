// The multiply-accumulate ceiling (KernelTable::peak_loop) of the avxvnni ISA.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace avxvnni {
#include "kernels/peak.inc"
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
