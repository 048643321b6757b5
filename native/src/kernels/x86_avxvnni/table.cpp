// AVX-VNNI (256-bit, VEX): the CPUs that have it without AVX-512 (Alder Lake and later client
// cores) get the vpdpbusd GEMM and peak loop, and the Winograd and depthwise kernels with
// vpdpwssd; everything else is the AVX2 table's, which every AVX-VNNI CPU runs. The GEMM reads
// the avx2 table's k-quad panels, packed by its quad_pack.
#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avxvnni/conv_ops.h"
#include "kernels/x86_avxvnni/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& avxvnni_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::AvxVnni;
    t.name = "avxvnni";
    t.gemm = {avx2::quad_packed_bytes, avx2::quad_pack, avxvnni::gemm_run};
    t.dwconv = {avxvnni::dw_packed_bytes, avxvnni::dw_pack, avxvnni::dw_run};
    t.winograd = {avxvnni::winograd_packed_bytes, avxvnni::winograd_pack, avxvnni::winograd_scratch_bytes,
                  avxvnni::winograd_run};
    t.winograd4x4 = {avxvnni::winograd4_packed_bytes, avxvnni::winograd4_pack, avxvnni::winograd4_scratch_bytes,
                     avxvnni::winograd4_run};
    t.peak_loop = avxvnni::peak_loop;
    return inherit(t, avx2_table());
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
