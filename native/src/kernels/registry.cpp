// Which kernel tables this binary has, which the CPU can run, and the choice among them.
#include <string>

#include "attendseg/engine.h"
#include "env_settings.h"
#include "kernels/kernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif
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
// AVX-VNNI, the VEX vpdpbusd: CPUID.(EAX=7, ECX=1):EAX bit 4 (GCC 12's __builtin_cpu_supports
// does not know it). Its ymm state is the one avx2 already needs the OS to save (XGETBV, checked
// by __builtin_cpu_supports("avx2")).
bool cpu_has_avxvnni() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  // Leaf 7's subleaf 0 gives the highest subleaf in EAX; __get_cpuid_count checks the leaf only.
  if (!cpu_has_avx2() || !__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) || eax < 1) return false;
  __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx);
  return (eax & (1u << 4)) != 0;
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
  tables.push_back({&avxvnni_table(), cpu_has_avxvnni()});
  tables.push_back({&avx512vnni_table(), cpu_has_avx512vnni()});
#endif
#if defined(__aarch64__)
  tables.push_back({&neon_table(), true});
  tables.push_back({&neon_dotprod_table(), cpu_has_dotprod()});
#endif
  return tables;
}

const KernelTable& select_kernels(const char* name) {
  const EnvSettings& env = env_settings();  // read (and checked) even where the name is given
  std::string wanted = name ? name : "";
  const bool from_env = wanted.empty() || wanted == "auto";
  if (from_env) wanted = env.isa;
  const std::string source = from_env ? " (from ATTENDSEG_ISA)" : "";
  const auto tables = all_kernel_tables();
  if (wanted.empty()) {
    const KernelTable* best = tables.front().table;
    for (const auto& t : tables)
      if (t.usable) best = t.table;  // listed from plainest to widest
    return *best;
  }
  std::string known;
  for (const auto& t : tables) {
    if (wanted == t.table->name) {
      if (!t.usable) throw Error("ISA '" + wanted + "'" + source + " is built in but this CPU does not support it");
      return *t.table;
    }
    known += (known.empty() ? "" : ", ") + std::string(t.table->name);
  }
  throw Error("unknown ISA '" + wanted + "'" + source + " (this build has: " + known + ")");
}

}  // namespace kernels
}  // namespace attendseg
