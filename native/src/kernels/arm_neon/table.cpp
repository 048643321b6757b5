// The two NEON kernel tables. neon: armv8-a NEON with widening multiplies, for every AArch64
// CPU (Xavier's Carmel has no dot product); neon_dotprod: the same kernels except the GEMM and
// the peak loop, which use SDOT (Orin's Cortex-A78AE), and no Winograd. registry.cpp offers neon_dotprod only
// where the kernel reports HWCAP_ASIMDDP.
#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/arm_neon/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& neon_table() {
  static const KernelTable table = {
      Isa::Neon,
      "neon",
      {neon::gemm_packed_bytes, neon::gemm_pack, neon::gemm_run},
      neon::im2col,
      {neon::dw_packed_bytes, neon::dw_pack, neon::dw_run},
      {neon::winograd_packed_bytes, neon::winograd_pack, neon::winograd_scratch_bytes, neon::winograd_run},
      {},  // F(4x4): NEON keeps F(2x2)
      {},  // small-channel convolutions go through im2col + GEMM
      neon::maxpool,
      neon::avgpool,
      neon::resize_nearest,
      neon::resize_linear,
      neon::resize_linear_argmax,
      neon::add,
      neon::mul,
      neon::lut,
      neon::copy_channels,
      neon::argmax,
      neon::preprocess,
      neon::label_map,
      neon::overlay,
      neon::peak_loop,
  };
  return table;
}

// The neon table with the two SDOT kernels swapped in, so the shared entries cannot drift apart,
// and without Winograd: its SMLAL does the work of 9 multiply-adds, SDOT 16 (arm_neon/winograd.cpp).
const KernelTable& neon_dotprod_table() {
  static const KernelTable table = [] {
    KernelTable t = neon_table();
    t.isa = Isa::NeonDotprod;
    t.name = "neon_dotprod";
    t.gemm = {neon_dotprod::gemm_packed_bytes, neon_dotprod::gemm_pack, neon_dotprod::gemm_run};
    t.peak_loop = neon_dotprod::peak_loop;
    t.winograd = {};
    return t;
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
