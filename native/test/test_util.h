// Helpers shared by the native tests (Catch2, test_main.cpp): a seeded random source, reseeded
// before every test case so that a case's data does not depend on which cases ran before it;
// CHECK_BYTES_EQ, which reports the first differing byte; a scoped environment variable.
// Catch prints a uint8_t as a character: compare bytes as int (+b) to see numbers on failure.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace testing {

constexpr std::mt19937::result_type kSeed = 12345;
inline std::mt19937& rng() {
  static std::mt19937 g(kSeed);
  return g;
}
inline int rand_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng()); }
inline float rand_float(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng()); }
template <class T>
std::vector<T> rand_vec(size_t n, int lo, int hi) {
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(rand_int(lo, hi));
  return v;
}

// "" where the n bytes are equal, else where they first differ and how.
inline std::string first_difference(const uint8_t* want, const uint8_t* got, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (want[i] != got[i])
      return "byte " + std::to_string(i) + " of " + std::to_string(n) + ": want " + std::to_string(want[i]) + ", got " +
             std::to_string(got[i]);
  return "";
}

// Sets (value) or unsets (nullptr) an environment variable for a scope, restores it at the end,
// and each time has the library re-read its settings (env_settings.h).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_, saved_;
  bool had_;
};

}  // namespace testing

#define CHECK_BYTES_EQ(want, got, n, ctx)                                   \
  do {                                                                      \
    INFO((ctx));                                                            \
    CHECK(::testing::first_difference((want), (got), (n)) == std::string()); \
  } while (0)
