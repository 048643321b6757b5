// The plan's choice of how Add, Mul and the bilinear Resize take QuantizeLinear's division
// (kernels.h "Quotients by a reciprocal"): the plain product where every byte pair agrees, else the
// corrected quotient where the table says it pays, else the division; and every usable table's
// network output equal to the scalar reference's with those choices; and the Add in integers.
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "model_check.h"
#include "network.h"
#include "op_spec.h"
#include "test_util.h"
#include "thread_pool.h"

using namespace attendseg;
using kernels::Quotient;

namespace {

// input -> Lut -> Add(input, lut) -> Mul(add, lut) -> linear Resize x2 -> output, 3 channels.
// Inputs at scale 1/16: the Add's output scale 15/8 makes some sums land within an ulp of a .5
// tie, where the plain product rounds the other way (so it is refused); the Mul's 1/2 is a power
// of two, whose product is exact; the Resize's 15/8 is admitted for the corrected quotient.
ModelSpec model() {
  ModelSpec s;
  const QuantParams in{0.0625f, 128}, sum{15.0f / 8.0f, 128}, prod{0.5f, 128};
  s.tensors = {{"input", 3, in}, {"lut", 3, in}, {"add", 3, sum}, {"mul", 3, prod}, {"up", 3, sum}};
  s.input = 0;
  OpSpec lut = testing::op_spec(OpKind::Lut, "lut", {0}, 1);
  lut.lut.table = testing::rand_vec<uint8_t>(3 * 256, 0, 255);
  const OpSpec add = testing::op_spec(OpKind::Add, "add", {0, 1}, 2);
  const OpSpec mul = testing::op_spec(OpKind::Mul, "mul", {2, 1}, 3);
  OpSpec up = testing::op_spec(OpKind::Resize, "up", {3}, 4);
  up.resize.mode = ResizeMode::Linear;
  up.resize.scale_h = up.resize.scale_w = 2.0f;
  s.ops = {lut, add, mul, up};
  s.output = 4;
  return s;
}

std::vector<uint8_t> run(const ModelSpec& s, const kernels::KernelTable& t, const std::vector<uint8_t>& input, int h,
                         int w) {
  PreparedModel m(s, t);
  ThreadPool pool(1);
  auto plan = build_plan(m, h, w, 1);
  std::copy(input.begin(), input.end(), plan->tensor(s.input));
  execute(m, *plan, pool);
  const Shape os = plan->shapes[s.output];
  return std::vector<uint8_t>(plan->tensor(s.output), plan->tensor(s.output) + os.bytes());
}

// The model on every table: plan_checks(m) on each table's prepared model, then every usable
// table's network output against the scalar reference's.
template <class PlanChecks>
void check_tables(const ModelSpec& s, int h, int w, PlanChecks plan_checks) {
  check_model(s);
  const std::vector<uint8_t> input = testing::rand_vec<uint8_t>(size_t(h) * w * 3, 0, 255);
  const std::vector<uint8_t> want = run(s, kernels::scalar_table(), input, h, w);
  for (const auto& e : kernels::all_kernel_tables()) {
    const kernels::KernelTable& t = *e.table;
    INFO(t.name);
    plan_checks(PreparedModel(s, t), t);
    if (!e.usable) continue;
    const std::vector<uint8_t> got = run(s, t, input, h, w);
    REQUIRE(got.size() == want.size());
    CHECK_BYTES_EQ(want.data(), got.data(), want.size(), std::string(t.name) + " network output");
  }
}

}  // namespace

TEST_CASE("plan_quotient_choice_and_output") {
  check_tables(model(), 37, 29, [](const PreparedModel& m, const kernels::KernelTable& t) {
    const Quotient fallback = t.corrected_quotient ? Quotient::Corrected : Quotient::Division;
    CHECK(m.ops[1].quotient == fallback);              // Add: the plain product is refused
    CHECK(m.ops[2].quotient == Quotient::Reciprocal);  // Mul
    CHECK(m.ops[3].quotient == fallback);              // Resize: never the plain product
  });
}

namespace {

// input -> GlobalAveragePool -> Add(pool, input) -> output, 3 channels: the Add's first operand
// broadcasts over pixels, so the executor swaps the operands (and with them ma and mb). Unrelated
// scales, as a trained network's, for which the integer parameters exist.
ModelSpec broadcast_add_model() {
  ModelSpec s;
  s.tensors = {{"input", 3, {0.0517f, 121}}, {"pool", 3, {0.0213f, 97}}, {"sum", 3, {0.0731f, 110}}};
  s.input = 0;
  s.ops = {testing::op_spec(OpKind::GlobalAveragePool, "pool", {0}, 1), testing::op_spec(OpKind::Add, "sum", {1, 0}, 2)};
  s.output = 2;
  return s;
}

}  // namespace

// kernels.h "Add in integers": the plan finds the parameters for the Add's operand order, and
// every usable table's network output equals the scalar reference's (which never takes them).
TEST_CASE("plan_integer_add_choice_and_output") {
  check_tables(broadcast_add_model(), 23, 41, [](const PreparedModel& m, const kernels::KernelTable&) {
    const kernels::IntegerAdd& p = m.ops[1].integer;
    REQUIRE(p.on);
    CHECK(p.ma != p.mb);  // a swap that forgot them would show
  });
}
