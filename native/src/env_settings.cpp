#include "env_settings.h"

#include <cstdlib>
#include <initializer_list>
#include <utility>

#include "attendseg/engine.h"

namespace attendseg {

namespace {

// The value of `name` among `choices` (spelling, value); an unset or empty variable is `fallback`.
template <class T>
T choice(const char* name, std::initializer_list<std::pair<const char*, T>> choices, T fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  std::string accepted;
  for (const auto& c : choices) {
    if (c.first == std::string(v)) return c.second;
    accepted += (accepted.empty() ? "" : ", ") + std::string(c.first);
  }
  throw Error("environment variable " + std::string(name) + "='" + std::string(v).substr(0, 80) + "' is not one of " +
              accepted);
}

bool flag(const char* name, bool fallback) { return choice<bool>(name, {{"0", false}, {"1", true}}, fallback); }

EnvSettings read_env_settings() {
  EnvSettings s;
  const char* isa = std::getenv("ATTENDSEG_ISA");
  s.isa = isa && std::string(isa) != "auto" ? isa : "";
  s.winograd_max_tile = choice<int>("ATTENDSEG_WINOGRAD", {{"4x4", 4}, {"2x2", 2}, {"0", 0}}, 4);
  s.timed_conv_paths = choice<bool>("ATTENDSEG_CONV_PATHS", {{"timed", true}, {"static", false}}, true);
  s.pin_threads = flag("ATTENDSEG_PIN_THREADS", false);
  s.profile = flag("ATTENDSEG_PROFILE", false);
  s.avx2_maddubs = flag("ATTENDSEG_AVX2_MADDUBS", true);
  return s;
}

EnvSettings& cached() {
  static EnvSettings s = read_env_settings();
  return s;
}

}  // namespace

const EnvSettings& env_settings() { return cached(); }

void reload_env_settings() {
  EnvSettings fresh = read_env_settings();
  cached() = std::move(fresh);
}

}  // namespace attendseg
