// The AVX2 kernels whose exact int16 pair products (madd16_accumulate.h madd_acc) become one VEX
// vpdpwssd each when compiled with AVX-VNNI: Winograd F(2x2) and F(4x4) (x86_avx2/winograd_body.inc)
// and the depthwise convolution (x86_avx2/dwconv_body.inc), same packing as the avx2 table's.
// Bit-exact with the scalar reference as the AVX2 kernels are.
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
#include "kernels/x86_avxvnni/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace avxvnni {

using namespace avx2;

#include "kernels/x86_avx2/winograd_body.inc"
#include "kernels/x86_avx2/dwconv_body.inc"

}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
