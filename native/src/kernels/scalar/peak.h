// The multiply-accumulate ceiling of this ISA, for the benchmark (see KernelTable::peak_loop).
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace scalar {

int64_t peak_loop(int64_t iterations);

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
