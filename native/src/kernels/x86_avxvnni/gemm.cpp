// The avxvnni table's GEMM: gemm_body.inc with the VEX vpdpbusd of AVX-VNNI.
#include <immintrin.h>

#include <cstring>

#include "kernels/row_blocks.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avxvnni/conv_ops.h"
#include "kernels/x86_avxvnni/dpbusd.h"

namespace attendseg {
namespace kernels {
namespace avxvnni {
#include "kernels/x86_avxvnni/gemm_body.inc"
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
