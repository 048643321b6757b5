// Catch2's main, a listener that reseeds the tests' random source before every test case, and
// ScopedEnv (test_util.h).
#define CATCH_CONFIG_MAIN
#include "test_util.h"

#include "env_settings.h"

namespace {

struct ReseedEveryCase : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(const Catch::TestCaseInfo&) override { testing::rng().seed(testing::kSeed); }
};
CATCH_REGISTER_LISTENER(ReseedEveryCase)

void set_env(const std::string& name, const char* value) {
  if (value)
    setenv(name.c_str(), value, 1);
  else
    unsetenv(name.c_str());
}

}  // namespace

namespace testing {

ScopedEnv::ScopedEnv(const char* name, const char* value) : name_(name), had_(std::getenv(name) != nullptr) {
  if (had_) saved_ = std::getenv(name);
  set_env(name_, value);
  try {
    attendseg::reload_env_settings();
  } catch (...) {
    set_env(name_, had_ ? saved_.c_str() : nullptr);
    throw;
  }
}

ScopedEnv::~ScopedEnv() {
  set_env(name_, had_ ? saved_.c_str() : nullptr);
  try {
    attendseg::reload_env_settings();
  } catch (...) {
    // The environment the tests started in is unusable: every later use reports it.
  }
}

}  // namespace testing
