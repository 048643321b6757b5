// A small self-contained test harness: TEST(name) registers a case; CHECK* record failures.
// main() runs every case and prints "N passed, N failed" (plus skipped) as its closing line.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace testing {

struct Case {
  const char* name;
  std::function<void()> fn;
};
std::vector<Case>& registry();
struct Registrar {
  Registrar(const char* name, std::function<void()> fn) { registry().push_back({name, std::move(fn)}); }
};

// Per-case state, reset by the runner.
struct State {
  int failures = 0;
  bool skipped = false;
  std::string skip_reason;
};
State& state();

inline void fail(const char* file, int line, const std::string& msg) {
  if (state().failures < 10) std::fprintf(stderr, "  %s:%d: %s\n", file, line, msg.c_str());
  state().failures++;
}
// Marks the current case skipped with a reason (printed), e.g. an ISA this CPU lacks.
inline void skip(const std::string& reason) {
  state().skipped = true;
  state().skip_reason = reason;
}

// Deterministic random source; seed printed on failure by the caller where useful.
inline std::mt19937& rng() {
  static std::mt19937 g(12345);
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

}  // namespace testing

#define TEST_CONCAT2(a, b) a##b
#define TEST_CONCAT(a, b) TEST_CONCAT2(a, b)
#define TEST(name)                                                                       \
  static void name();                                                                    \
  static ::testing::Registrar TEST_CONCAT(registrar_, name)(#name, name);                \
  static void name()

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) ::testing::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_EQ(a, b)                                                               \
  do {                                                                               \
    auto va_ = (a);                                                                  \
    auto vb_ = (b);                                                                  \
    if (!(va_ == vb_)) {                                                             \
      std::ostringstream os_;                                                        \
      os_ << #a " == " #b " failed: " << +va_ << " vs " << +vb_;                     \
      ::testing::fail(__FILE__, __LINE__, os_.str());                                \
    }                                                                                \
  } while (0)

// Compares two byte buffers; reports the first mismatch with its index and a context string.
#define CHECK_BYTES_EQ(ref, got, n, ctx)                                                   \
  do {                                                                                     \
    const uint8_t* r_ = (ref);                                                             \
    const uint8_t* g_ = (got);                                                             \
    for (size_t i_ = 0; i_ < (size_t)(n); ++i_) {                                          \
      if (r_[i_] != g_[i_]) {                                                              \
        std::ostringstream os_;                                                            \
        os_ << (ctx) << ": first mismatch at " << i_ << ": ref " << +r_[i_] << " got " << +g_[i_]; \
        ::testing::fail(__FILE__, __LINE__, os_.str());                                    \
        break;                                                                             \
      }                                                                                    \
    }                                                                                      \
  } while (0)
