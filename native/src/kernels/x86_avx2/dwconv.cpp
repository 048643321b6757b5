// AVX2 depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run: the taps
// in pairs of int16 products per int32 lane (vpmaddwd), 32 channels per block. The code is
// dwconv_body.inc, which the avxvnni table compiles as well (with vpdpwssd).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

#include "kernels/x86_avx2/dwconv_body.inc"

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
