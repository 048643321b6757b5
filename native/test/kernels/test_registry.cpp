// Kernel table selection: "auto" takes the widest table this CPU runs, a name (argument or
// ATTENDSEG_ISA) forces one, and an unusable or unknown name is an error naming the problem.
#include <string>

#include "attendseg/engine.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;

using Catch::Matchers::Contains;

namespace {

std::string name_of(const char* wanted) { return select_kernels(wanted).name; }

}  // namespace

TEST_CASE("registry_auto_picks_widest_usable") {
  testing::ScopedEnv env("ATTENDSEG_ISA", nullptr);
  const auto tables = all_kernel_tables();
  REQUIRE(!tables.empty());
  CHECK(tables.front().table->isa == Isa::Scalar);
  CHECK(tables.front().usable);
  std::string widest;
  for (const auto& t : tables)
    if (t.usable) widest = t.table->name;
  CHECK(name_of(nullptr) == widest);
  CHECK(name_of("auto") == widest);
  CHECK(name_of("") == widest);
#if defined(__aarch64__)
  // Both NEON tables are built in; neon runs on every AArch64 CPU, neon_dotprod where the
  // kernel reports asimddp, and then it is the automatic choice.
  bool dot = false;
  for (const auto& t : tables) {
    if (t.table->isa == Isa::Neon) CHECK(t.usable);
    if (t.table->isa == Isa::NeonDotprod) dot = t.usable;
  }
  CHECK(name_of(nullptr) == (dot ? "neon_dotprod" : "neon"));
#endif
}

TEST_CASE("registry_names_and_env_override") {
  testing::ScopedEnv unset("ATTENDSEG_ISA", nullptr);
  for (const auto& t : all_kernel_tables()) {
    INFO("table " << t.table->name);
    if (t.usable) {
      CHECK(name_of(t.table->name) == t.table->name);
      testing::ScopedEnv env("ATTENDSEG_ISA", t.table->name);
      CHECK(name_of(nullptr) == t.table->name);
      CHECK(name_of("auto") == t.table->name);
    } else {
      CHECK_THROWS_WITH(select_kernels(t.table->name), Contains("does not support"));
      testing::ScopedEnv env("ATTENDSEG_ISA", t.table->name);
      CHECK_THROWS_WITH(select_kernels(nullptr), Contains("(from ATTENDSEG_ISA) is built in but this CPU does not support it"));
    }
  }
  {
    // An explicit name wins over the environment.
    testing::ScopedEnv env("ATTENDSEG_ISA", "no_such_isa");
    CHECK(name_of("scalar") == "scalar");
    CHECK_THROWS_WITH(select_kernels(nullptr), Contains("unknown ISA 'no_such_isa' (from ATTENDSEG_ISA)"));
  }
  CHECK_THROWS_WITH(select_kernels("neon512"), Contains("unknown ISA 'neon512' (this build has: scalar"));
}
