// The environment variables the library reads (env_settings.h): defaults, every accepted value,
// empty as unset, and an unusable value rejected with an error naming the variable, the value
// and what is accepted, the previous settings kept.
#include <memory>
#include <string>
#include <vector>

#include "attendseg/engine.h"
#include "env_settings.h"
#include "test_util.h"

using attendseg::env_settings;

namespace {

const char* const kVariables[] = {"ATTENDSEG_ISA",         "ATTENDSEG_WINOGRAD", "ATTENDSEG_CONV_PATHS",
                                  "ATTENDSEG_PIN_THREADS", "ATTENDSEG_PROFILE",  "ATTENDSEG_AVX2_MADDUBS"};

// Every variable unset for the lifetime of the object.
struct CleanEnv {
  std::vector<std::unique_ptr<testing::ScopedEnv>> unset;
  CleanEnv() {
    for (const char* name : kVariables) unset.push_back(std::make_unique<testing::ScopedEnv>(name, nullptr));
  }
};

}  // namespace

TEST_CASE("env_settings_defaults_and_values") {
  CleanEnv clean;
  const attendseg::EnvSettings defaults = env_settings();
  CHECK(defaults.isa.empty());
  CHECK(defaults.winograd_max_tile == 4);
  CHECK(defaults.timed_conv_paths);
  CHECK_FALSE(defaults.pin_threads);
  CHECK_FALSE(defaults.profile);
  CHECK(defaults.avx2_maddubs);
  {
    testing::ScopedEnv e("ATTENDSEG_ISA", "scalar");
    CHECK(env_settings().isa == "scalar");
  }
  {
    testing::ScopedEnv e("ATTENDSEG_ISA", "auto");
    CHECK(env_settings().isa.empty());
  }
  for (const auto& v : {std::make_pair("4x4", 4), std::make_pair("2x2", 2), std::make_pair("0", 0), std::make_pair("", 4)}) {
    testing::ScopedEnv e("ATTENDSEG_WINOGRAD", v.first);
    CHECK(env_settings().winograd_max_tile == v.second);
  }
  {
    testing::ScopedEnv e("ATTENDSEG_CONV_PATHS", "static");
    CHECK_FALSE(env_settings().timed_conv_paths);
  }
  {
    testing::ScopedEnv e("ATTENDSEG_CONV_PATHS", "timed");
    CHECK(env_settings().timed_conv_paths);
  }
  {
    testing::ScopedEnv a("ATTENDSEG_PIN_THREADS", "1"), b("ATTENDSEG_PROFILE", "1"), c("ATTENDSEG_AVX2_MADDUBS", "0");
    CHECK(env_settings().pin_threads);
    CHECK(env_settings().profile);
    CHECK_FALSE(env_settings().avx2_maddubs);
  }
  {
    testing::ScopedEnv a("ATTENDSEG_PIN_THREADS", "0"), b("ATTENDSEG_PROFILE", ""), c("ATTENDSEG_AVX2_MADDUBS", "1");
    CHECK_FALSE(env_settings().pin_threads);
    CHECK_FALSE(env_settings().profile);
    CHECK(env_settings().avx2_maddubs);
  }
}

TEST_CASE("env_settings_reject_unusable_values") {
  CleanEnv clean;
  testing::ScopedEnv two("ATTENDSEG_WINOGRAD", "2x2");
  const struct {
    const char* name;
    const char* value;
    const char* error;
  } bad[] = {
      {"ATTENDSEG_WINOGRAD", "3x3", "environment variable ATTENDSEG_WINOGRAD='3x3' is not one of 4x4, 2x2, 0"},
      {"ATTENDSEG_CONV_PATHS", "Static", "environment variable ATTENDSEG_CONV_PATHS='Static' is not one of timed, static"},
      {"ATTENDSEG_PIN_THREADS", "yes", "environment variable ATTENDSEG_PIN_THREADS='yes' is not one of 0, 1"},
      {"ATTENDSEG_PROFILE", "true", "environment variable ATTENDSEG_PROFILE='true' is not one of 0, 1"},
      {"ATTENDSEG_AVX2_MADDUBS", "off", "environment variable ATTENDSEG_AVX2_MADDUBS='off' is not one of 0, 1"},
  };
  for (const auto& b : bad) {
    CHECK_THROWS_AS(testing::ScopedEnv(b.name, b.value), attendseg::Error);
    CHECK_THROWS_WITH(testing::ScopedEnv(b.name, b.value), b.error);
    CHECK(env_settings().winograd_max_tile == 2);  // the settings read before are kept
  }
}
