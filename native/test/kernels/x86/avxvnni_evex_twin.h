// The avxvnni table's GEMM, peak loop, Winograd and depthwise kernels compiled from the same
// source (x86_avxvnni/*_body.inc, x86_avx2/winograd_body.inc, x86_avx2/dwconv_body.inc) with the
// AVX-512 VNNI + VL encoding of the 256-bit vpdpbusd and vpdpwssd (avxvnni_evex_twin.cpp): the
// instructions' EVEX form, equal in what it computes, which CPUs without AVX-VNNI run. Test only.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avxvnni_evex_twin {
#include "kernels/conv_ops.inc"
#include "kernels/peak.inc"
}  // namespace avxvnni_evex_twin
}  // namespace kernels
}  // namespace attendseg
