// Kernel table selection: "auto" takes the widest table this CPU runs, a name (argument or
// ATTENDSEG_ISA) forces one, and an unusable or unknown name is an error naming the problem.
#include <cstdlib>
#include <cstring>
#include <string>

#include "attendseg/engine.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {

std::string error_of(const char* name) {
  try {
    select_kernels(name);
  } catch (const attendseg::Error& e) {
    return e.what();
  }
  return "";
}

// Restores ATTENDSEG_ISA (set or not) when a case ends.
struct IsaEnv {
  std::string saved;
  bool had;
  IsaEnv() : had(std::getenv("ATTENDSEG_ISA") != nullptr) {
    if (had) saved = std::getenv("ATTENDSEG_ISA");
    unsetenv("ATTENDSEG_ISA");
  }
  ~IsaEnv() {
    if (had)
      setenv("ATTENDSEG_ISA", saved.c_str(), 1);
    else
      unsetenv("ATTENDSEG_ISA");
  }
};

}  // namespace

TEST(registry_auto_picks_widest_usable) {
  IsaEnv env;
  const auto tables = all_kernel_tables();
  CHECK(!tables.empty() && tables.front().table->isa == Isa::Scalar && tables.front().usable);
  const KernelTable* widest = nullptr;
  for (const auto& t : tables)
    if (t.usable) widest = t.table;
  CHECK(&select_kernels(nullptr) == widest);
  CHECK(&select_kernels("auto") == widest);
  CHECK(&select_kernels("") == widest);
#if defined(__aarch64__)
  // Both NEON tables are built in; neon runs on every AArch64 CPU, neon_dotprod where the
  // kernel reports asimddp, and then it is the automatic choice.
  bool dot = false;
  for (const auto& t : tables) {
    if (t.table->isa == Isa::Neon) CHECK(t.usable);
    if (t.table->isa == Isa::NeonDotprod) dot = t.usable;
  }
  CHECK(std::string(select_kernels(nullptr).name) == (dot ? "neon_dotprod" : "neon"));
#endif
}

TEST(registry_names_and_env_override) {
  IsaEnv env;
  for (const auto& t : all_kernel_tables()) {
    if (t.usable) {
      CHECK(&select_kernels(t.table->name) == t.table);
      setenv("ATTENDSEG_ISA", t.table->name, 1);
      CHECK(&select_kernels(nullptr) == t.table);
      CHECK(&select_kernels("auto") == t.table);
      unsetenv("ATTENDSEG_ISA");
    } else {
      const std::string e = error_of(t.table->name);
      CHECK(e.find("does not support") != std::string::npos);
    }
  }
  // An explicit name wins over the environment.
  setenv("ATTENDSEG_ISA", "no_such_isa", 1);
  CHECK(&select_kernels("scalar") == &scalar_table());
  CHECK(error_of(nullptr).find("unknown ISA 'no_such_isa'") != std::string::npos);
  unsetenv("ATTENDSEG_ISA");
  CHECK(error_of("neon512").find("this build has: scalar") != std::string::npos);
}
