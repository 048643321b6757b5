// The multiply-accumulate ceilings (KernelTable::peak_loop) of the two NEON tables.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace neon {
#include "kernels/peak.inc"
}  // namespace neon
namespace neon_dotprod {
#include "kernels/peak.inc"
}  // namespace neon_dotprod
}  // namespace kernels
}  // namespace attendseg
