// The avxvnni table's kernel bodies with vpdpbusd in its EVEX encoding (compiled with AVX-512 VNNI
// and VL, still on ymm): the tests run them as the table "avxvnni_evex_twin" where the CPU cannot
// run the VEX form, which is the shipped one. scripts/check-avxvnni-encoding.sh checks that this
// file's vpdpbusd is EVEX and the shipped one's VEX.
#include <immintrin.h>

#include <cstring>

#include "kernels/row_blocks.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "avxvnni_evex_twin.h"

namespace attendseg {
namespace kernels {
namespace avxvnni_evex_twin {
namespace {

inline void dpbusd(__m256i& acc, __m256i a, __m256i b) { asm("%{evex%} vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b)); }

}  // namespace

#include "kernels/x86_avxvnni/gemm_body.inc"
#include "kernels/x86_avxvnni/peak_body.inc"

}  // namespace avxvnni_evex_twin
}  // namespace kernels
}  // namespace attendseg
