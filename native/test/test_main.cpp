#include <cstdio>
#include <cstring>

#include "test_util.h"

namespace testing {
std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}
State& state() {
  static State s;
  return s;
}
}  // namespace testing

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int passed = 0, failed = 0, skipped = 0;
  for (const auto& c : testing::registry()) {
    if (filter && !std::strstr(c.name, filter)) continue;
    testing::state() = testing::State{};
    c.fn();
    if (testing::state().failures) {
      std::printf("FAIL %s (%d failures)\n", c.name, testing::state().failures);
      failed++;
    } else if (testing::state().skipped) {
      std::printf("skip %s: %s\n", c.name, testing::state().skip_reason.c_str());
      skipped++;
    } else {
      std::printf("ok   %s\n", c.name);
      passed++;
    }
  }
  std::printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
