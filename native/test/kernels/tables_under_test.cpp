// Compiled without ISA flags, as the library's table.cpp files: it runs on every CPU.
#include "tables_under_test.h"

#if defined(__x86_64__) || defined(_M_X64)
#include "kernels/x86_avx2/gemm_paths.h"
#include "x86/avxvnni_evex_twin.h"
#endif

namespace kt {

namespace {

#if defined(__x86_64__) || defined(_M_X64)
using namespace attendseg::kernels;

// The avxvnni table (x86_avxvnni/table.cpp) with the twin's GEMM, peak loop, Winograd and
// depthwise kernels.
const KernelTable& avxvnni_evex_twin_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::AvxVnni;
    t.name = "avxvnni_evex_twin";
    t.gemm = {avx2::quad_packed_bytes, avx2::quad_pack, avxvnni_evex_twin::gemm_run};
    t.dwconv = {avxvnni_evex_twin::dw_packed_bytes, avxvnni_evex_twin::dw_pack, avxvnni_evex_twin::dw_run};
    t.winograd = {avxvnni_evex_twin::winograd_packed_bytes, avxvnni_evex_twin::winograd_pack,
                  avxvnni_evex_twin::winograd_scratch_bytes, avxvnni_evex_twin::winograd_run};
    t.winograd4x4 = {avxvnni_evex_twin::winograd4_packed_bytes, avxvnni_evex_twin::winograd4_pack,
                     avxvnni_evex_twin::winograd4_scratch_bytes, avxvnni_evex_twin::winograd4_run};
    t.peak_loop = avxvnni_evex_twin::peak_loop;
    return inherit(t, avx2_table());
  }();
  return table;
}

bool cpu_runs_twin() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}
#endif

}  // namespace

std::vector<attendseg::kernels::TableEntry> tables_under_test() {
  auto tables = attendseg::kernels::all_kernel_tables();
#if defined(__x86_64__) || defined(_M_X64)
  tables.push_back({&avxvnni_evex_twin_table(), cpu_runs_twin()});
#endif
  return tables;
}

}  // namespace kt
