// Winograd convolutions inside the engine: which convs prepare_conv gives the Winograd kernel,
// and that the executor's blocks (tile rows split into calls, spread over threads, odd output
// sizes) produce the ONNX convolution exactly, for every usable kernel table.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "model_check.h"
#include "network.h"
#include "op_spec.h"
#include "test_util.h"
#include "thread_pool.h"

using namespace attendseg;

namespace {

// input (3 channels) -> Concat of `copies` inputs (3 * copies channels) -> Conv -> output.
ModelSpec conv_model(int copies, int out_c, const ConvSpec& conv, uint8_t act_min, uint8_t act_max) {
  ModelSpec s;
  s.tensors = {{"input", 3, {0.02f, 17}}, {"cat", 3 * copies, {0.02f, 17}}, {"conv", out_c, {0.05f, 121}}};
  s.input = 0;
  s.output = 2;
  const OpSpec cat = testing::op_spec(OpKind::Concat, "cat", std::vector<int32_t>(copies, 0), 1);
  OpSpec op = testing::op_spec(OpKind::Conv, "conv", {1}, 2);
  op.act_min = act_min;
  op.act_max = act_max;
  op.conv = conv;
  s.ops = {cat, op};
  return s;
}

// Random pads, all 1 where the output would otherwise be empty (inputs smaller than the kernel).
ConvSpec rand_conv(int in_c, int out_c, int stride, int dilation, int h, int w) {
  ConvSpec c;
  c.kernel_h = c.kernel_w = 3;
  c.stride_h = c.stride_w = stride;
  c.dilation_h = c.dilation_w = dilation;
  c.pad_top = testing::rand_int(0, 2);
  c.pad_left = testing::rand_int(0, 2);
  c.pad_bottom = testing::rand_int(0, 2);
  c.pad_right = testing::rand_int(0, 2);
  if (h + c.pad_top + c.pad_bottom < 2 * dilation + 1 || w + c.pad_left + c.pad_right < 2 * dilation + 1)
    c.pad_top = c.pad_left = c.pad_bottom = c.pad_right = dilation;
  c.weights = testing::rand_vec<int8_t>(static_cast<size_t>(out_c) * in_c * 9, -127, 127);
  c.bias = testing::rand_vec<int32_t>(out_c, -20000, 20000);
  c.weight_scales.resize(out_c);
  for (auto& w : c.weight_scales) w = testing::rand_float(0.0005f, 0.02f);
  return c;
}

// The QDQ convolution as ONNX defines it, on the concatenated input, requantized with the
// engine's float operations (kernels.h): acc = bias + sum (x - zp) * w, pads contributing 0.
std::vector<uint8_t> reference(const ModelSpec& s, const std::vector<uint8_t>& input, int h, int w, int* oh, int* ow) {
  const OpSpec& op = s.ops[1];
  const ConvSpec& c = op.conv;
  const int copies = static_cast<int>(s.ops[0].inputs.size());
  const int in_c = 3 * copies, out_c = s.tensors[2].channels;
  const QuantParams qi = s.tensors[1].q, qo = s.tensors[2].q;
  *oh = (h + c.pad_top + c.pad_bottom - c.dilation_h * 2 - 1) / c.stride_h + 1;
  *ow = (w + c.pad_left + c.pad_right - c.dilation_w * 2 - 1) / c.stride_w + 1;
  std::vector<uint8_t> out(static_cast<size_t>(*oh) * *ow * out_c);
  for (int oy = 0; oy < *oh; ++oy)
    for (int ox = 0; ox < *ow; ++ox)
      for (int o = 0; o < out_c; ++o) {
        int64_t acc = c.bias[o];
        for (int ci = 0; ci < in_c; ++ci)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int iy = oy * c.stride_h - c.pad_top + ky * c.dilation_h;
              const int ix = ox * c.stride_w - c.pad_left + kx * c.dilation_w;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
              const int x = input[(static_cast<size_t>(iy) * w + ix) * 3 + ci % 3] - qi.zero_point;
              acc += x * c.weights[((static_cast<size_t>(o) * in_c + ci) * 3 + ky) * 3 + kx];
            }
        const float scale = qi.scale * c.weight_scales[o] / qo.scale;
        const float f = std::min(65536.0f, std::max(-65536.0f, static_cast<float>(acc) * scale));
        const int v = static_cast<int>(std::nearbyint(f)) + qo.zero_point;
        out[(static_cast<size_t>(oy) * *ow + ox) * out_c + o] =
            static_cast<uint8_t>(std::min<int>(op.act_max, std::max<int>(op.act_min, v)));
      }
  return out;
}

// Runs the model through table t with `threads` threads; returns the output tensor and, in
// *winograd, the Winograd tile size of the conv's first path (0: another path). With `timed`, the
// plan takes the path choose_conv_paths measures fastest instead, and *winograd is that one's.
std::vector<uint8_t> run(const ModelSpec& s, const kernels::KernelTable& t, int threads, const std::vector<uint8_t>& input,
                         int h, int w, int* winograd, bool timed = false) {
  check_model(s);
  PreparedModel m(s, t);
  ThreadPool pool(threads);
  auto plan = build_plan(m, h, w, threads);
  if (timed) choose_conv_paths(m, *plan, pool);
  *winograd = winograd_tile_of(m.ops[1].conv.paths[plan->conv_path[1]].path);
  std::copy(input.begin(), input.end(), plan->tensor(s.input));
  execute(m, *plan, pool);
  const Shape os = plan->shapes[s.output];
  const uint8_t* y = plan->tensor(s.output);
  return std::vector<uint8_t>(y, y + os.bytes());
}

// The tile size prepare_conv leads with for a conv of these tests with in_c input channels on
// table t: F(4x4) where the table has it and it leads im2col, else F(2x2) where that does, as far
// as ATTENDSEG_WINOGRAD allows.
int expected_tile(const kernels::KernelTable& t, int in_c) {
  if (winograd_max_tile() >= 4 && t.winograd4x4.run && winograd_leads(t, 4, in_c)) return 4;
  return winograd_max_tile() >= 2 && t.winograd.run && winograd_leads(t, 2, in_c) ? 2 : 0;
}

}  // namespace

TEST_CASE("winograd_conv_selected_and_exact_in_the_engine") {
  struct Shape2 {
    int h, w, copies, out_c;
  };
  // Output widths past 64 split a tile row into several blocks; odd sizes leave partial tiles.
  const Shape2 shapes[] = {{1, 1, 6, 5}, {2, 2, 8, 16}, {7, 9, 11, 17}, {12, 131, 8, 24},
                           {33, 70, 6, 33}, {5, 200, 22, 8}, {40, 3, 8, 64}};
  for (const auto& e : kernels::all_kernel_tables()) {
    if (!e.usable) continue;
    const kernels::KernelTable& t = *e.table;
    for (const Shape2& sh : shapes) {
      for (int threads : {1, 2, 3}) {
        const ModelSpec s = conv_model(sh.copies, sh.out_c, rand_conv(3 * sh.copies, sh.out_c, 1, 1, sh.h, sh.w),
                                       static_cast<uint8_t>(testing::rand_int(0, 121)), 255);
        const auto input = testing::rand_vec<uint8_t>(static_cast<size_t>(sh.h) * sh.w * 3, 0, 255);
        int winograd = 0;
        const auto got = run(s, t, threads, input, sh.h, sh.w, &winograd);
        int oh = 0, ow = 0;
        const auto want = reference(s, input, sh.h, sh.w, &oh, &ow);
        std::ostringstream ctx;
        ctx << t.name << " " << sh.h << "x" << sh.w << "x" << 3 * sh.copies << " -> " << oh << "x" << ow << "x"
            << sh.out_c << " threads " << threads;
        INFO(ctx.str());
        CHECK(winograd == expected_tile(t, 3 * sh.copies));
        CHECK(got.size() == want.size());
        if (got.size() == want.size()) CHECK_BYTES_EQ(want.data(), got.data(), want.size(), ctx.str());
      }
    }
  }
}

// Whichever candidate the timing picks (on a busy machine any of them may win), the output is the
// convolution's, and every candidate was offered: Winograd F(4x4) and F(2x2) where the table has
// them, and im2col.
TEST_CASE("conv_paths_timed_choice_is_exact") {
  for (const auto& e : kernels::all_kernel_tables()) {
    if (!e.usable) continue;
    const kernels::KernelTable& t = *e.table;
    INFO("table " << t.name);
    const int h = 21, w = 37;
    const ModelSpec s = conv_model(8, 24, rand_conv(24, 24, 1, 1, h, w), 0, 255);
    PreparedModel m(s, t);
    std::vector<ConvPath> offered;
    for (const ConvCandidate& cc : m.ops[1].conv.paths) offered.push_back(cc.path);
    CHECK(std::count(offered.begin(), offered.end(), ConvPath::Im2col) == 1);
    CHECK(std::count(offered.begin(), offered.end(), ConvPath::Winograd4) ==
          (winograd_max_tile() >= 4 && t.winograd4x4.run ? 1 : 0));
    CHECK(std::count(offered.begin(), offered.end(), ConvPath::Winograd2) ==
          (winograd_max_tile() >= 2 && t.winograd.run ? 1 : 0));
    const auto input = testing::rand_vec<uint8_t>(static_cast<size_t>(h) * w * 3, 0, 255);
    for (int threads : {1, 2}) {
      int winograd = -1;
      const auto got = run(s, t, threads, input, h, w, &winograd, true);
      int oh = 0, ow = 0;
      const auto want = reference(s, input, h, w, &oh, &ow);
      CHECK(got.size() == want.size());
      if (got.size() == want.size()) CHECK_BYTES_EQ(want.data(), got.data(), want.size(), std::string(t.name) + " timed");
    }
  }
}

// Untimed, a 3x3 conv with 24 input channels leads with the path whose multiplies cost the table
// fewer instructions, and still offers the other for the timed choice.
TEST_CASE("conv_static_order_follows_the_tables_multiply_rates") {
  const ModelSpec s = conv_model(8, 24, rand_conv(24, 24, 1, 1, 21, 37), 0, 255);
  auto paths = [&](const kernels::KernelTable& t) {
    PreparedModel m(s, t);
    std::vector<ConvPath> p;
    for (const ConvCandidate& cc : m.ops[1].conv.paths) p.push_back(cc.path);
    return p;
  };
  if (winograd_max_tile() < 2) return;
  // The scalar kernels with stated rates: F(2x2)'s 36 / 16 fewer multiplies win at equal rates
  // and lose against a GEMM doing 16 per instruction to Winograd's 4 (the dot-product case).
  kernels::KernelTable t = kernels::scalar_table();
  t.winograd4x4 = {};
  t.gemm_macs_per_insn = t.winograd_macs_per_insn = 4;
  CHECK(paths(t) == std::vector<ConvPath>{ConvPath::Winograd2, ConvPath::Im2col});
  t.gemm_macs_per_insn = 16;
  CHECK(paths(t) == std::vector<ConvPath>{ConvPath::Im2col, ConvPath::Winograd2});
  // The NEON tables: SMLAL everywhere on neon; SDOT's GEMM on neon_dotprod.
  for (const auto& e : kernels::all_kernel_tables()) {
    if (!e.usable) continue;
    const std::string name = e.table->name;
    INFO("table " << name);
    if (name == "neon") CHECK(paths(*e.table).front() == ConvPath::Winograd2);
    if (name == "neon_dotprod") CHECK(paths(*e.table) == std::vector<ConvPath>{ConvPath::Im2col, ConvPath::Winograd2});
  }
}

TEST_CASE("winograd_conv_not_selected_outside_its_case") {
  const kernels::KernelTable& t = kernels::scalar_table();
  const auto input = testing::rand_vec<uint8_t>(static_cast<size_t>(11) * 13 * 3, 0, 255);
  struct Variant {
    const char* what;
    int copies, stride, dilation;
  };
  // 15 input channels (below the threshold), stride 2, dilation 2: im2col, and still exact.
  for (const Variant& v : {Variant{"15 channels", 5, 1, 1}, Variant{"stride 2", 8, 2, 1}, Variant{"dilation 2", 8, 1, 2}}) {
    const ModelSpec s = conv_model(v.copies, 9, rand_conv(3 * v.copies, 9, v.stride, v.dilation, 11, 13), 0, 255);
    int winograd = -1;
    const auto got = run(s, t, 2, input, 11, 13, &winograd);
    int oh = 0, ow = 0;
    const auto want = reference(s, input, 11, 13, &oh, &ow);
    CHECK(!winograd);
    CHECK(got.size() == want.size());
    if (got.size() == want.size()) CHECK_BYTES_EQ(want.data(), got.data(), want.size(), v.what);
  }
  // Weights too large for Winograd to be exact (4 * 255 * sum|w| > INT32_MAX): 2100 channels of +-127.
  ConvSpec c = rand_conv(2100, 2, 1, 1, 4, 4);
  for (auto& w : c.weights) w = w < 0 ? -127 : 127;
  PreparedModel m(conv_model(700, 2, c, 0, 255), t);
  for (const ConvCandidate& cc : m.ops[1].conv.paths) CHECK(!winograd_tile_of(cc.path));
}

TEST_CASE("winograd_conv_4x4_fits_boundary_selects_the_path") {
  // 120 input channels; output channel 0 has sum|w| = 131586 (255 * sum|w| = 2^25 - 2: F(4x4) is
  // exact), then 131587 (one past: F(2x2), whose bound is far away); the engine output stays exact.
  const int copies = 40, in_c = 3 * copies, out_c = 3;
  const int h = 9, w = 10;
  const auto input = testing::rand_vec<uint8_t>(static_cast<size_t>(h) * w * 3, 0, 255);
  for (const int extra : {0, 1}) {
    ConvSpec c = rand_conv(in_c, out_c, 1, 1, h, w);
    const size_t k = static_cast<size_t>(9) * in_c;
    for (size_t i = 0; i < k; ++i) c.weights[i] = 0;
    for (size_t i = 0; i < 1028; ++i) c.weights[i] = i % 2 ? 127 : -128;  // sum|w| 131070
    for (size_t i = 1028; i < 1032; ++i) c.weights[i] = 127;               // 131578
    c.weights[1032] = static_cast<int8_t>(8 + extra);                       // 131586 + extra
    const ModelSpec s = conv_model(copies, out_c, c, 0, 255);
    for (const auto& e : kernels::all_kernel_tables()) {
      if (!e.usable) continue;
      const kernels::KernelTable& t = *e.table;
      INFO(t.name << (extra ? " past" : " at") << " the bound");
      int winograd = -1;
      const auto got = run(s, t, 2, input, h, w, &winograd);
      int oh = 0, ow = 0;
      const auto want = reference(s, input, h, w, &oh, &ow);
      const int tile = expected_tile(t, in_c);
      const bool f2 = t.winograd.run && winograd_max_tile() >= 2 && winograd_leads(t, 2, in_c);
      CHECK(winograd == (extra && tile == 4 ? (f2 ? 2 : 0) : tile));
      CHECK(got.size() == want.size());
      if (got.size() == want.size())
        CHECK_BYTES_EQ(want.data(), got.data(), want.size(), "output");
    }
  }
}
