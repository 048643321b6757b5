// The avxvnni table's kernel bodies with vpdpbusd and vpdpwssd in their EVEX encoding (compiled
// with AVX-512 VNNI and VL, still on xmm/ymm): the tests run them as the table "avxvnni_evex_twin"
// where the CPU cannot run the VEX form, which is the shipped one. scripts/check-avxvnni-encoding.sh
// checks that this file's dot products are EVEX and the shipped ones VEX.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"
#include "kernels/x86_avx2/winograd_transforms.h"
#include "avxvnni_evex_twin.h"

namespace attendseg {
namespace kernels {
namespace avxvnni_evex_twin {
namespace {

inline void dpbusd(__m256i& acc, __m256i a, __m256i b) { asm("%{evex%} vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b)); }

}  // namespace

#include "kernels/x86_avxvnni/gemm_body.inc"
#include "kernels/x86_avxvnni/peak_body.inc"

// The avxvnni Winograd kernels (x86_avxvnni/pair_product_kernels.cpp): without
// ATTENDSEG_WINOGRAD_ZMM the body stays 256-bit, and madd16_accumulate.h's pair product is the
// EVEX vpdpwssd here.
using namespace avx2;
#include "kernels/x86_avx2/winograd_body.inc"

// The avxvnni depthwise convolution (the same file), its products by the EVEX vpdpwssd.
#include "kernels/x86_avx2/dwconv_body.inc"

}  // namespace avxvnni_evex_twin
}  // namespace kernels
}  // namespace attendseg
