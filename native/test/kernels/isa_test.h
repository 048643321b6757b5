// Per-table test cases: ISA_TEST(name) is a test case "name" that runs its body, in one section
// per non-scalar table of tables_under_test() (the section is named after the table), on the
// table under test `t`, to compare it with scalar_table() bit for bit. A table this CPU cannot run
// is not run: its section reports the warning "skip: this CPU cannot run the <table> kernels; ...".
#pragma once
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "tables_under_test.h"
#include "test_util.h"

namespace kt {

using attendseg::kernels::KernelTable;

// fn(table) in one section per table for which `wanted` holds, each from the same random seed.
// Where no table of this build has the kernels under test, the case says so.
inline void for_each_table(const std::function<bool(const KernelTable&)>& wanted,
                           const std::function<void(const KernelTable&)>& fn) {
  int tables = 0;
  for (const auto& e : tables_under_test()) {
    if (!wanted(*e.table)) continue;
    ++tables;
    DYNAMIC_SECTION(e.table->name) {
      if (!e.usable) {
        WARN("skip: this CPU cannot run the " << e.table->name << " kernels; they were NOT tested");
      } else {
        testing::rng().seed(testing::kSeed);
        fn(*e.table);
      }
    }
  }
  if (tables == 0) WARN("no kernel table of this build has the kernels of this case: nothing to test");
}

inline bool is_simd(const KernelTable& t) { return t.isa != attendseg::kernels::Isa::Scalar; }

// Output buffers carry a guard band so writes past the end are caught as mismatches.
constexpr size_t kGuard = 64;
inline std::vector<uint8_t> out_buffer(size_t n) { return std::vector<uint8_t>(n + kGuard, 0xA5); }

// A few multipliers that make exact .5 ties common, plus a random one.
inline float tie_scale() {
  static const float k[] = {0.5f, 0.25f, 1.0f, 2.0f, 0.125f, 1.5f};
  const int i = testing::rand_int(0, 7);
  return i < 6 ? k[i] : testing::rand_float(0.01f, 3.0f);
}

// Random requantization of n output channels into scale and rq (bias left to the caller): scales
// log-uniform in [10^min_exp, 0.1], sometimes 1..8 to hit the +-65536 clamp and sometimes
// 1e4..1e6 to take products past +-2^31; a random output zero point; bounds of no activation,
// ReLU, a ReLU6-style clamp or anything.
inline void rand_requant(int n, float min_exp, std::vector<float>* scale, attendseg::kernels::Requant* rq) {
  scale->resize(static_cast<size_t>(n));
  for (auto& s : *scale) {
    const int r = testing::rand_int(0, 40);
    s = r == 0 ? testing::rand_float(1e4f, 1e6f)
               : r < 3 ? testing::rand_float(1.0f, 8.0f) : std::pow(10.0f, testing::rand_float(min_exp, -1.0f));
  }
  rq->out_zp = testing::rand_int(0, 255);
  switch (testing::rand_int(0, 3)) {
    case 0: rq->qmin = 0; rq->qmax = 255; break;
    case 1: rq->qmin = rq->out_zp; rq->qmax = 255; break;  // relu
    case 2: rq->qmin = rq->out_zp; rq->qmax = std::min(255, rq->out_zp + testing::rand_int(0, 60)); break;
    default: rq->qmin = testing::rand_int(0, 100); rq->qmax = testing::rand_int(rq->qmin, 255); break;
  }
  rq->scale = scale->data();
}

// Splits [0, n) into two calls at a random point so row range handling is exercised. The later
// range runs first: a kernel must not read output rows outside its own range (another thread
// may not have written them yet).
template <class F>
void split_range(int n, F f) {
  const int mid = n > 0 ? testing::rand_int(0, n) : 0;
  if (n > mid) f(mid, n);
  if (mid > 0) f(0, mid);
}

}  // namespace kt

#define ISA_TEST(name)                                           \
  static void name(const ::kt::KernelTable& t);                  \
  TEST_CASE(#name) { ::kt::for_each_table(::kt::is_simd, name); } \
  static void name(const ::kt::KernelTable& t)
