// AVX2 Winograd F(2x2, 3x3) and F(4x4, 3x3) (kernels.h, WinogradKernel), bit-exact with
// scalar::winograd_run and scalar::winograd4_run; one driver for both tile sizes T, with the
// transforms in winograd_transforms.h (P = 16 or 36 positions).
//
// A run call (tiles of one tile row) first transforms the input of every tile into scratch:
// V as int16, [pos][tile][cs] with cs = in_c rounded up to 16, one 16-channel chunk per vector.
// Then, per panel of 16 output channels and group of up to R = 6 tiles, the P position GEMMs
// accumulate R x 16 int32 with _mm256_madd_epi16 over channel pairs (exact, as in the im2col
// GEMM) and leave M in a stack buffer, from which the output transform, the bias and the GEMM's
// requantization write the tiles' outputs. Everything a call touches stays in L2.
//
// Packed weights: panels of 16 output channels (the last one 8 wide when out_c % 16 <= 8), each
// position-major, then channel-pair major: for each pair (2kp, 2kp+1) the panel's U pairs
// interleaved as u[n][2kp], u[n][2kp+1] (the GEMM's panel layout, once per position). Channels
// past out_c and the odd channel past in_c are zero, so V's padding lanes never contribute.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"
#include "kernels/x86_avx2/winograd_transforms.h"
#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

#include "kernels/x86_avx2/winograd_body.inc"

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
