// The avxvnni table's GEMM and peak loop compiled from the same source (x86_avxvnni/*_body.inc)
// with the AVX-512 VNNI + VL encoding of the 256-bit vpdpbusd (avxvnni_evex_twin.cpp): the
// instruction's EVEX form, equal in what it computes, which CPUs without AVX-VNNI run. Test only.
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avxvnni_evex_twin {
void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc);
#include "kernels/peak.inc"
}  // namespace avxvnni_evex_twin
}  // namespace kernels
}  // namespace attendseg
