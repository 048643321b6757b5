// acc += vpdpbusd(a, b) in place, VEX-encoded: the AVX-VNNI instruction, which CPUs with AVX-VNNI
// but no AVX-512 run. Written as asm, with the {vex} pseudo-prefix, because the assembler encodes a
// plain `vpdpbusd` as its AVX-512 VNNI (EVEX) form whatever the compiler flags are, and because
// GCC 12 copies intrinsic accumulators (x86_avx512vnni/dpbusd.h). "x": ymm0-15, the registers a
// VEX prefix can name. scripts/check-avxvnni-encoding.sh checks the object code for the VEX form.
#pragma once
#include <immintrin.h>

namespace attendseg {
namespace kernels {
namespace avxvnni {
namespace {

inline void dpbusd(__m256i& acc, __m256i a, __m256i b) { asm("%{vex%} vpdpbusd %2, %1, %0" : "+x"(acc) : "x"(a), "x"(b)); }

}  // namespace
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
