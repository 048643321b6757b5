// execute()'s labels: the per-pixel argmax of the network output, fused into a final Resize (row
// blocks reduced as they are written) and computed after the network otherwise. Both must equal
// the scalar argmax of the output tensor, for every usable kernel table, 1 and 2 threads, output
// rows that do not divide into the fused blocks, and ties between channels.
#include <sstream>
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "model_check.h"
#include "network.h"
#include "test_util.h"
#include "thread_pool.h"

using namespace attendseg;

namespace {

// input (3 channels) -> Concat of 4 copies (12 channels, a coarse LUT each so ties are common)
// -> [Resize by `scale`, linear or nearest] -> output.
ModelSpec model(bool resize_last, bool linear, float scale) {
  ModelSpec s;
  s.tensors = {{"input", 3, {0.02f, 17}}, {"cat", 12, {0.02f, 17}}};
  s.input = 0;
  OpSpec cat;
  cat.kind = OpKind::Concat;
  cat.name = "cat";
  cat.inputs.assign(4, 0);
  cat.output = 1;
  s.ops = {cat};
  s.output = 1;
  if (resize_last) {
    s.tensors.push_back({"up", 12, {0.03f, 9}});
    OpSpec up;
    up.kind = OpKind::Resize;
    up.name = "up";
    up.inputs = {1};
    up.output = 2;
    up.resize.mode = linear ? ResizeMode::Linear : ResizeMode::Nearest;
    up.resize.scale_h = up.resize.scale_w = scale;
    s.ops.push_back(up);
    s.output = 2;
  }
  return s;
}

void check(const ModelSpec& s, const kernels::KernelTable& t, int threads, int h, int w, const std::string& what) {
  check_model(s);
  PreparedModel m(s, t);
  ThreadPool pool(threads);
  auto plan = build_plan(m, h, w, threads);
  // Values in steps of 32: many pixels have equal maxima in several channels.
  const std::vector<uint8_t> input = testing::rand_vec<uint8_t>(size_t(h) * w * 3, 0, 7);
  uint8_t* in = plan->tensor(s.input);
  for (size_t i = 0; i < input.size(); ++i) in[i] = static_cast<uint8_t>(input[i] * 32);
  const Shape os = plan->shapes[s.output];
  std::vector<uint8_t> labels(size_t(os.h) * os.w + 64, 0xA5);
  execute(m, *plan, pool, labels.data());
  std::vector<uint8_t> expected(size_t(os.h) * os.w);
  const kernels::ArgmaxArgs aa{plan->tensor(s.output), os.c, expected.data()};
  kernels::scalar_table().argmax(aa, 0, expected.size());
  CHECK_BYTES_EQ(expected.data(), labels.data(), expected.size(), what);
  for (size_t p = expected.size(); p < labels.size(); ++p) CHECK(labels[p] == 0xA5);  // nothing past the map
}

}  // namespace

TEST(execute_labels_equal_the_argmax_of_the_output) {
  const int sizes[][2] = {{1, 1}, {7, 5}, {61, 97}, {200, 183}};
  for (const auto& e : kernels::all_kernel_tables()) {
    if (!e.usable) continue;
    for (int threads : {1, 2})
      for (const auto& hw : sizes)
        for (int variant = 0; variant < 4; ++variant) {
          const bool resize_last = variant > 0, linear = variant != 2;
          const float scale = variant == 3 ? 2.0f : 4.0f;
          const std::string what = std::string(e.table->name) + " t" + std::to_string(threads) + " " +
                                   std::to_string(hw[1]) + "x" + std::to_string(hw[0]) + " variant " + std::to_string(variant);
          check(model(resize_last, linear, scale), *e.table, threads, hw[0], hw[1], what);
        }
  }
}
