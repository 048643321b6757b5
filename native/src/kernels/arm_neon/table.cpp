// The two NEON kernel tables. neon: armv8-a NEON with widening multiplies, for every AArch64
// CPU (Xavier's Carmel has no dot product); neon_dotprod: SDOT for the GEMM and the peak loop
// (Orin's Cortex-A78AE), everything else neon's. registry.cpp offers neon_dotprod only where the
// kernel reports HWCAP_ASIMDDP.
#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/arm_neon/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& neon_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::Neon;
    t.name = "neon";
    t.corrected_quotient = true;  // FDIV's throughput is a fraction of FMUL / FMLA's
    t.gemm = {neon::gemm_packed_bytes, neon::gemm_pack, neon::gemm_run};
    t.im2col = neon::im2col;
    t.dwconv = {neon::dw_packed_bytes, neon::dw_pack, neon::dw_run};
    t.winograd = {neon::winograd_packed_bytes, neon::winograd_pack, neon::winograd_scratch_bytes, neon::winograd_run};
    t.gemm_macs_per_insn = 5;      // SMULL + SMLAL2 + SADALP: 16 products per 3 (gemm_paths.h)
    t.winograd_macs_per_insn = 4;  // the same SMLAL
    t.maxpool = neon::maxpool;
    t.avgpool = neon::avgpool;
    t.resize_nearest = neon::resize_nearest;
    t.resize_linear = neon::resize_linear;
    t.resize_linear_argmax = neon::resize_linear_argmax;
    t.add = neon::add;
    t.mul = neon::mul;
    t.lut = neon::lut;
    t.copy_channels = neon::copy_channels;
    t.argmax = neon::argmax;
    t.preprocess = neon::preprocess;
    t.label_map = neon::label_map;
    t.overlay = neon::overlay;
    t.peak_loop = neon::peak_loop;
    return t;
  }();
  return table;
}

const KernelTable& neon_dotprod_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::NeonDotprod;
    t.name = "neon_dotprod";
    t.gemm = {neon_dotprod::gemm_packed_bytes, neon_dotprod::gemm_pack, neon_dotprod::gemm_run};
    t.gemm_macs_per_insn = 16;  // SDOT: 4 lanes of 4 byte products; Winograd stays neon's SMLAL
    t.peak_loop = neon_dotprod::peak_loop;
    return inherit(t, neon_table());
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
