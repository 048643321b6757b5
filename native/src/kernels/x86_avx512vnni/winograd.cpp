// Winograd F(2x2) and F(4x4) for the avx512vnni table: the AVX2 kernels (x86_avx2/winograd.cpp,
// same packing and transforms) compiled with AVX-512 VNNI: a full panel's 16 channels accumulate
// in one zmm by vpdpwssd (a partial panel's in ymm, madd16_accumulate.h). Bit-exact with the
// scalar reference as the AVX2 kernels are.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <algorithm>
#include <vector>

#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"
#include "kernels/x86_avx2/winograd_transforms.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

using namespace avx2;

// The position GEMM, output transform and requantization 16 channels per zmm (winograd_body.inc).
#define ATTENDSEG_WINOGRAD_ZMM 1
#include "kernels/x86_avx2/winograd_body.inc"

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
