// execute()'s labels (and confidence): the per-pixel argmax of the network output, fused into a
// final Resize (row blocks reduced as they are written, pixels with a certain label skipped unless
// confidence is asked for) and computed after the network otherwise. Both must equal the scalar argmax of the output of a run without labels, for
// every usable kernel table, 1 and 2 threads, output rows that do not divide into the fused blocks,
// equal and unequal Resize quantization, and ties between channels.
#include <sstream>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "model_check.h"
#include "network.h"
#include "op_spec.h"
#include "test_util.h"
#include "thread_pool.h"

using namespace attendseg;

namespace {

// input (3 channels) -> 4 Luts (random per-channel tables, so the 12 channels differ) -> Concat
// -> [Resize by `scale`, linear or nearest, output quantization equal to its input's or not]
// -> output.
ModelSpec model(bool resize_last, bool linear, float scale, bool same_q) {
  ModelSpec s;
  const QuantParams q{0.02f, 17};
  s.tensors = {{"input", 3, q}};
  s.input = 0;
  OpSpec cat = testing::op_spec(OpKind::Concat, "cat", {}, 5);
  for (int k = 0; k < 4; ++k) {
    s.tensors.push_back({"lut" + std::to_string(k), 3, q});
    OpSpec lut = testing::op_spec(OpKind::Lut, "lut" + std::to_string(k), {0}, k + 1);
    lut.lut.table = testing::rand_vec<uint8_t>(3 * 256, 0, 255);
    s.ops.push_back(lut);
    cat.inputs.push_back(k + 1);
  }
  s.tensors.push_back({"cat", 12, q});
  s.ops.push_back(cat);
  s.output = 5;
  if (resize_last) {
    s.tensors.push_back({"up", 12, same_q ? q : QuantParams{0.03f, 9}});
    OpSpec up = testing::op_spec(OpKind::Resize, "up", {5}, 6);
    up.resize.mode = linear ? ResizeMode::Linear : ResizeMode::Nearest;
    up.resize.scale_h = up.resize.scale_w = scale;
    s.ops.push_back(up);
    s.output = 6;
  }
  return s;
}

void check(const ModelSpec& s, const kernels::KernelTable& t, int threads, int h, int w, const std::string& what) {
  check_model(s);
  PreparedModel m(s, t);
  ThreadPool pool(threads);
  auto plan = build_plan(m, h, w, threads);
  // Blocks of one colour with some noise: most pixels have a clear winner (their labels may be
  // skipped), the blocks' edges mix neighbours, and 8 input levels make ties common.
  const int bs = testing::rand_int(1, 9);
  std::vector<uint8_t> input(size_t(h) * w * 3);
  std::vector<uint8_t> colours = testing::rand_vec<uint8_t>(size_t((h / bs + 1) * (w / bs + 1)) * 3, 0, 7);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < 3; ++c) {
        int v = colours[((y / bs) * (w / bs + 1) + x / bs) * 3 + c];
        if (testing::rand_int(0, 9) == 0) v = testing::rand_int(0, 7);
        input[(size_t(y) * w + x) * 3 + c] = static_cast<uint8_t>(v * 32);
      }
  const Shape os = plan->shapes[s.output];
  std::copy(input.begin(), input.end(), plan->tensor(s.input));
  execute(m, *plan, pool);  // no labels: the whole output
  std::vector<uint8_t> expected(size_t(os.h) * os.w), expected_conf(expected.size());
  const kernels::ArgmaxArgs aa{plan->tensor(s.output), os.c, expected.data(), expected_conf.data(), m.softmax};
  kernels::scalar_table().argmax(aa, 0, expected.size());
  std::vector<uint8_t> labels(size_t(os.h) * os.w + 64, 0xA5);
  std::fill(plan->tensor(s.output), plan->tensor(s.output) + os.bytes(), 0);  // stale values must not matter
  std::copy(input.begin(), input.end(), plan->tensor(s.input));
  execute(m, *plan, pool, labels.data());
  CHECK_BYTES_EQ(expected.data(), labels.data(), expected.size(), what);
  const std::vector<uint8_t> untouched(64, 0xA5);  // nothing past the map
  CHECK_BYTES_EQ(untouched.data(), labels.data() + expected.size(), 64, what + " past the labels");
  // With confidence: the same labels, and the scalar confidence of the whole output (no pixel skipped).
  std::vector<uint8_t> conf(labels.size(), 0xA5);
  std::fill(labels.begin(), labels.end(), 0xA5);
  std::fill(plan->tensor(s.output), plan->tensor(s.output) + os.bytes(), 0);
  std::copy(input.begin(), input.end(), plan->tensor(s.input));
  execute(m, *plan, pool, labels.data(), conf.data());
  CHECK_BYTES_EQ(expected.data(), labels.data(), expected.size(), what + " with confidence");
  CHECK_BYTES_EQ(expected_conf.data(), conf.data(), expected_conf.size(), what + " confidence");
  CHECK_BYTES_EQ(untouched.data(), conf.data() + expected.size(), 64, what + " past the confidence");
}

}  // namespace

TEST_CASE("execute_labels_equal_the_argmax_of_the_output") {
  const int sizes[][2] = {{1, 1}, {7, 5}, {61, 97}, {200, 183}};
  for (const auto& e : kernels::all_kernel_tables()) {
    if (!e.usable) continue;
    for (int threads : {1, 2})
      for (const auto& hw : sizes)
        for (int variant = 0; variant < 6; ++variant) {
          const bool resize_last = variant > 0, linear = variant != 2;
          const float scale = variant == 3 || variant == 5 ? 2.0f : 4.0f;
          const bool same_q = variant >= 4;
          const std::string what = std::string(e.table->name) + " t" + std::to_string(threads) + " " +
                                   std::to_string(hw[1]) + "x" + std::to_string(hw[0]) + " variant " + std::to_string(variant);
          check(model(resize_last, linear, scale, same_q), *e.table, threads, hw[0], hw[1], what);
        }
  }
}
