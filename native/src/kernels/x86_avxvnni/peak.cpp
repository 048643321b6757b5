// The avxvnni table's peak loop: peak_body.inc with the VEX vpdpbusd of AVX-VNNI.
#include <immintrin.h>

#include "kernels/x86_avxvnni/dpbusd.h"
#include "kernels/x86_avxvnni/peak.h"

namespace attendseg {
namespace kernels {
namespace avxvnni {
#include "kernels/x86_avxvnni/peak_body.inc"
}  // namespace avxvnni
}  // namespace kernels
}  // namespace attendseg
