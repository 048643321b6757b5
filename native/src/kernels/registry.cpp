// Which kernel tables this binary has, which the CPU can run, and the choice among them.
#include <cstdlib>
#include <cstring>
#include <string>

#include "attendseg/engine.h"
#include "kernels/kernels.h"

#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
// The kernel's ABI bit for the dot-product instructions (arch/arm64/include/uapi/asm/hwcap.h),
// for C libraries whose headers predate it: without it, Orin would silently get the slower table.
#ifndef HWCAP_ASIMDDP
#define HWCAP_ASIMDDP (1 << 20)
#endif
#endif

namespace attendseg {
namespace kernels {

namespace {

#if defined(__x86_64__) || defined(_M_X64)
bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool cpu_has_avx512vnni() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vnni");
}
#endif

#if defined(__aarch64__)
// SDOT/UDOT (Armv8.2 dot product): Cortex-A78AE (Orin) has it, Carmel (Xavier) does not. The
// kernel reports it per system in the auxiliary vector; overridable with ATTENDSEG_ISA.
bool cpu_has_dotprod() {
#if defined(__linux__)
  return (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) != 0;
#else
  return false;
#endif
}
#endif

}  // namespace

std::vector<TableEntry> all_kernel_tables() {
  std::vector<TableEntry> tables;
  tables.push_back({&scalar_table(), true});
#if defined(__x86_64__) || defined(_M_X64)
  tables.push_back({&avx2_table(), cpu_has_avx2()});
  tables.push_back({&avx512vnni_table(), cpu_has_avx512vnni()});
#endif
#if defined(__aarch64__)
  tables.push_back({&neon_table(), true});
  tables.push_back({&neon_dotprod_table(), cpu_has_dotprod()});
#endif
  return tables;
}

const KernelTable& select_kernels(const char* name) {
  std::string wanted = name ? name : "";
  if (wanted.empty() || wanted == "auto") {
    const char* env = std::getenv("ATTENDSEG_ISA");
    wanted = env ? env : "";
  }
  const auto tables = all_kernel_tables();
  if (wanted.empty() || wanted == "auto") {
    const KernelTable* best = tables.front().table;
    for (const auto& t : tables)
      if (t.usable) best = t.table;  // listed from plainest to widest
    return *best;
  }
  std::string known;
  for (const auto& t : tables) {
    if (wanted == t.table->name) {
      if (!t.usable) throw Error("ISA '" + wanted + "' is built in but this CPU does not support it");
      return *t.table;
    }
    known += (known.empty() ? "" : ", ") + std::string(t.table->name);
  }
  throw Error("unknown ISA '" + wanted + "' (this build has: " + known + ")");
}

}  // namespace kernels
}  // namespace attendseg
