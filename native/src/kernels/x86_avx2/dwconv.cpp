// AVX2 depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run.
//
// Vectorized across channels (NHWC), 16 channels per block. Each tap widens 16 input bytes to
// int16 and multiplies them with _mm256_madd_epi16 against two weight vectors, one holding the
// even channels' weights (odd lanes zero) and one the odd channels' weights: each madd lane then
// holds exactly one product, so the sums are the reference's int32 sums (no int16 saturation).
// Accumulators are kept in that even/odd channel order; bias and scale are arranged to match and
// the bytes are put back in channel order once per output pixel.
//
// Padding: interior pixels (every tap inside the image) use raw bytes. Border pixels visit only
// their in-image taps with (x - in_zp) and start from bias + in_zp * sum(w), which equals the
// reference's "padding reads as in_zp" exactly in integer arithmetic.
//
// Packed layout and the walk over rows: dwconv_rows.inc. A last
// block of 9..15 channels keeps its loads inside the input; one of 1..8 channels is computed 8
// wide. The code is dwconv_body.inc, which the avxvnni table compiles as well (with vpdpwssd).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

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
