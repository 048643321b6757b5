// The multiply-accumulate ceiling of this ISA, for the benchmark (see KernelTable::peak_loop).
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace avx2 {

int64_t peak_loop(int64_t iterations);

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
