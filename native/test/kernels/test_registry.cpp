// Kernel table selection: "auto" takes the widest table this CPU runs, a name (argument or
// ATTENDSEG_ISA) forces one, and an unusable or unknown name is an error naming the problem.
#include <string>
#include <vector>

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

// Tables are listed plainest first and "auto" takes the last usable one, so the order is the
// preference: avxvnni (VEX AVX-VNNI, 256-bit) above avx2, below avx512vnni, which a CPU with both
// (Sapphire Rapids) gets. avxvnni and avx512vnni are each usable on their own (Alder Lake has
// only the first, Ice Lake and this project's Zen 5 test machines only the second), never without avx2.
TEST_CASE("registry_order") {
  std::vector<std::string> names;
  std::vector<Isa> isas;
  for (const auto& t : all_kernel_tables()) {
    names.push_back(t.table->name);
    isas.push_back(t.table->isa);
  }
#if defined(__x86_64__) || defined(_M_X64)
  CHECK(names == std::vector<std::string>{"scalar", "avx2", "avxvnni", "avx512vnni"});
  CHECK(isas == std::vector<Isa>{Isa::Scalar, Isa::Avx2, Isa::AvxVnni, Isa::Avx512Vnni});
  const auto tables = all_kernel_tables();
  REQUIRE(tables.size() == 4);
  if (tables[2].usable || tables[3].usable) CHECK(tables[1].usable);
  testing::ScopedEnv unset("ATTENDSEG_ISA", nullptr);
  const char* expected = tables[3].usable ? "avx512vnni" : tables[2].usable ? "avxvnni" : tables[1].usable ? "avx2" : "scalar";
  CHECK(name_of(nullptr) == expected);
#elif defined(__aarch64__)
  CHECK(names == std::vector<std::string>{"scalar", "neon", "neon_dotprod"});
  CHECK(isas == std::vector<Isa>{Isa::Scalar, Isa::Neon, Isa::NeonDotprod});
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
