// acc += vpdpbusd(a, b) in place, for every AVX-512 VNNI kernel. GCC 12 treats the intrinsic's
// accumulator as a separate input: it copies each accumulator to a fresh register on every use
// and, with a tile of them live, runs out of registers and keeps the tile on the stack (the GEMM
// ran at half speed). The asm's "+v" keeps each accumulator where it is. It also keeps chains
// apart that the compiler could prove equal and merge (the peak loop's did).
#pragma once
#include <immintrin.h>

namespace attendseg {
namespace kernels {
namespace avx512vnni {
namespace {

inline void dpbusd(__m512i& acc, __m512i a, __m512i b) { asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b)); }

}  // namespace
}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
