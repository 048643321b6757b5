// The peak loop of every table runs on this CPU (it executes the table's multiply-accumulate
// instruction, e.g. SDOT) and reports a MAC count proportional to its iterations.
#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {
void check_peak(const KernelTable& t) {
  const int64_t one = t.peak_loop(1);
  CHECK(one > 0);
  CHECK(t.peak_loop(1000) == 1000 * one);
  CHECK(t.peak_loop(0) == 0);
}
}  // namespace

TEST_CASE("peak_loop_scalar") { check_peak(scalar_table()); }
ISA_TEST(peak_loop) { check_peak(t); }
