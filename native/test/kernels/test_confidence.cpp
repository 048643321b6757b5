// The argmax's confidence (kernels.h ArgmaxArgs): hand-computed values, agreement to +-1 with the
// float softmax, then every SIMD table's argmax and fused resize_linear_argmax with confidence
// against the scalar reference, byte for byte.
#include <algorithm>
#include <cmath>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;
using testing::rand_int;

namespace {

// round(255 * softmax of the winner) in double precision, from one pixel's values.
int float_confidence(const uint8_t* x, int C, float scale) {
  int m = 0;
  for (int c = 0; c < C; ++c) m = std::max(m, int(x[c]));
  double sum = 0;
  for (int c = 0; c < C; ++c) sum += std::exp(double(scale) * (int(x[c]) - m));
  return int(std::lround(255.0 / sum));
}

// Scales from near 0 (every class almost equally likely) to large (the winner near certain).
float rand_scale() {
  const int r = rand_int(0, 5);
  if (r == 0) return testing::rand_float(1e-4f, 1e-2f);
  if (r == 1) return testing::rand_float(1.0f, 8.0f);
  return testing::rand_float(0.01f, 1.0f);
}

// Pixel values: narrow bands make near-ties common, full range makes confident winners.
std::vector<uint8_t> rand_values(size_t n) {
  const int band = rand_int(0, 2);
  const int lo = band == 0 ? rand_int(0, 250) : 0;
  const int hi = band == 0 ? std::min(255, lo + rand_int(0, 5)) : 255;
  return testing::rand_vec<uint8_t>(n, lo, hi);
}

}  // namespace

TEST_CASE("confidence_reference_values") {
  uint32_t table[256];
  build_softmax_table(0.5f, table);
  CHECK(table[0] == 65536u);
  CHECK(table[2] == 24109u);  // 65536 * exp(-1) = 24109.3
  // Two equal classes: 255 / 2 rounds up to 128; one class: certain; a winner by 200 at scale
  // 0.5: certain; three classes 0, -2, -2 (exp(-1) each): 255 / (1 + 2 / e) = 146.9 -> 147.
  const uint8_t in[] = {9, 9, /**/ 7, 0, /**/ 200, 0, /**/ 50, 52, 50};
  uint8_t labels[4] = {}, conf[4] = {};
  scalar_table().argmax(ArgmaxArgs{in, 2, labels, conf, table}, 0, 3);
  scalar_table().argmax(ArgmaxArgs{in + 6, 3, labels + 3, conf + 3, table}, 0, 1);
  CHECK(+labels[0] == 0);
  CHECK(+conf[0] == 128);
  CHECK(+conf[1] == 248);  // 255 / (1 + exp(-3.5)) = 247.5 -> 248
  CHECK(+conf[2] == 255);
  CHECK(+labels[3] == 1);
  CHECK(+conf[3] == 147);
  const uint8_t one[] = {17};
  scalar_table().argmax(ArgmaxArgs{one, 1, labels, conf, table}, 0, 1);
  CHECK(+conf[0] == 255);
}

TEST_CASE("confidence_within_one_of_float_softmax") {
  uint32_t table[256];
  int worst = 0;
  for (int i = 0; i < 2000; ++i) {
    const int C = i < 256 ? i + 1 : rand_int(1, 256);
    const float scale = rand_scale();
    build_softmax_table(scale, table);
    const size_t pixels = 16;
    const std::vector<uint8_t> in = rand_values(pixels * C);
    std::vector<uint8_t> labels(pixels), conf(pixels);
    scalar_table().argmax(ArgmaxArgs{in.data(), C, labels.data(), conf.data(), table}, 0, pixels);
    for (size_t p = 0; p < pixels; ++p) {
      const int want = float_confidence(in.data() + p * C, C, scale), d = std::abs(int(conf[p]) - want);
      worst = std::max(worst, d);
      if (d > 1) FAIL("C " << C << " scale " << scale << " pixel " << p << ": " << int(conf[p]) << " vs float " << want);
    }
  }
  CHECK(worst <= 1);
}

ISA_TEST(argmax_confidence_matches_scalar) {
  uint32_t table[256];
  for (int i = 0; i < 800; ++i) {
    const int C = i < 256 ? i + 1 : rand_int(1, 256);
    build_softmax_table(rand_scale(), table);
    const size_t pixels = static_cast<size_t>(rand_int(1, 70));
    const size_t pb = static_cast<size_t>(rand_int(0, static_cast<int>(pixels) - 1));
    const std::vector<uint8_t> in = rand_values(pixels * C);
    auto ref_l = kt::out_buffer(pixels), got_l = kt::out_buffer(pixels);
    auto ref_c = kt::out_buffer(pixels), got_c = kt::out_buffer(pixels);
    scalar_table().argmax(ArgmaxArgs{in.data(), C, ref_l.data(), ref_c.data(), table}, pb, pixels);
    t.argmax(ArgmaxArgs{in.data(), C, got_l.data(), got_c.data(), table}, pb, pixels);
    const std::string ctx = "argmax confidence C " + std::to_string(C) + " pixels " + std::to_string(pb) + ".." +
                            std::to_string(pixels);
    CHECK_BYTES_EQ(ref_l.data(), got_l.data(), ref_l.size(), ctx + " labels");
    CHECK_BYTES_EQ(ref_c.data(), got_c.data(), ref_c.size(), ctx);
  }
}

// The division of every sum from 65539 to 256 * 65536 (a float quotient alone is wrong for
// one of them, 4774766: 3 truncated from 4.0f): 4 classes valued 255, 255 - j, 254, 254 over a
// table of softmax[0] = 65536 and softmax[k] = base + k give the sums 65538 + 3 base + j,
// j = 1..255, so bases 85 apart cover every sum.
ISA_TEST(argmax_confidence_division_every_sum) {
  constexpr int C = 4;
  uint8_t in[255 * C];
  for (int j = 1; j <= 255; ++j) {
    uint8_t* px = in + (j - 1) * C;
    px[0] = 255;
    px[1] = static_cast<uint8_t>(255 - j);
    px[2] = px[3] = 254;
  }
  uint32_t table[256];
  uint8_t labels[255], conf[255];
  table[0] = 65536;
  for (uint32_t base = 0; 65538 + 3 * base + 1 <= 256u * 65536u; base += 85) {
    for (uint32_t k = 1; k < 256; ++k) table[k] = base + k;
    t.argmax(ArgmaxArgs{in, C, labels, conf, table}, 0, 255);
    for (uint32_t j = 1; j <= 255; ++j) {
      const uint32_t sum = 65538 + 3 * base + j;
      if (sum > 256u * 65536u) break;
      if (conf[j - 1] != confidence_of_sum(sum) || labels[j - 1] != 0)
        FAIL("sum " << sum << ": label " << int(labels[j - 1]) << ", confidence " << int(conf[j - 1]) << ", want 0, "
                    << int(confidence_of_sum(sum)));
    }
  }
}
