// MaxPool / AveragePool kernels: hand-computed reference cases, then every SIMD table against the
// scalar reference on random shapes (odd sizes, pads, strides, ceil-mode output sizes).
#include <algorithm>
#include <sstream>
#include <vector>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;
using testing::rand_int;

namespace {

PoolArgs pool_args(const uint8_t* in, int in_h, int in_w, int C, int k, int s, int pad, uint8_t* out) {
  PoolArgs a{};
  a.in = in;
  a.in_h = in_h;
  a.in_w = in_w;
  a.channels = C;
  a.kernel_h = a.kernel_w = k;
  a.stride_h = a.stride_w = s;
  a.pad_top = a.pad_left = a.pad_bottom = a.pad_right = pad;
  a.out_h = (in_h + 2 * pad - k) / s + 1;
  a.out_w = (in_w + 2 * pad - k) / s + 1;
  a.ratio = 1.0f;
  a.out = out;
  return a;
}

}  // namespace

TEST_CASE("maxpool_reference_values") {
  // 3x3 input, one channel, kernel 2, stride 1, no pad.
  const uint8_t in[9] = {1, 9, 3, 4, 5, 6, 7, 8, 2};
  uint8_t out[4] = {};
  PoolArgs a = pool_args(in, 3, 3, 1, 2, 1, 0, out);
  scalar_table().maxpool(a, 0, a.out_h);
  CHECK(+out[0] == 9);
  CHECK(+out[1] == 9);
  CHECK(+out[2] == 8);
  CHECK(+out[3] == 8);
  // With a requantization table (y = 255 - x).
  uint8_t lut[256];
  for (int i = 0; i < 256; ++i) lut[i] = static_cast<uint8_t>(255 - i);
  a.lut = lut;
  scalar_table().maxpool(a, 0, a.out_h);
  CHECK(+out[0] == 246);
  CHECK(+out[3] == 247);
}

TEST_CASE("avgpool_reference_values") {
  // 2x2 input, kernel 2, stride 2, pad 1 => 2x2 outputs, each window holds one in-image pixel.
  const uint8_t in[4] = {10, 20, 30, 41};
  uint8_t out[4] = {};
  PoolArgs a = pool_args(in, 2, 2, 1, 2, 2, 1, out);
  CHECK(a.out_h == 2);
  a.in_zp = 10;
  a.out_zp = 3;
  scalar_table().avgpool(a, 0, 2);  // exclude pad: n = 1
  CHECK(+out[0] == 3);              // (10-10)/1 + 3
  CHECK(+out[1] == 13);             // 10 + 3
  CHECK(+out[2] == 23);             // 20 + 3
  CHECK(+out[3] == 34);             // 31 + 3
  a.count_include_pad = true;       // n = 4 (window fully inside the padded extent)
  scalar_table().avgpool(a, 0, 2);
  CHECK(+out[0] == 3);   // 0 / 4 + 3
  CHECK(+out[1] == 5);   // 10 / 4 = 2.5 -> 2 (half to even) + 3
  CHECK(+out[2] == 8);   // 20 / 4 = 5 -> 5 + 3
  CHECK(+out[3] == 11);  // 31 / 4 = 7.75 -> 8 + 3
}

namespace {

// Output size per ONNX: floor or ceil of (in + pads - k) / s, plus one.
int pool_out(int in, int pads, int k, int s, bool ceil_mode) {
  const int span = in + pads - k;
  return (ceil_mode ? (span + s - 1) / s : span / s) + 1;
}

struct PoolCase {
  PoolArgs a;
  std::vector<uint8_t> in, lut;
  std::string desc;
};

PoolCase random_pool_case(bool max) {
  PoolCase pc;
  PoolArgs& a = pc.a;
  a = PoolArgs{};
  a.kernel_h = rand_int(1, 7);
  a.kernel_w = rand_int(1, 7);
  if (rand_int(0, 9) == 0) a.kernel_w = a.kernel_h;
  a.stride_h = rand_int(1, 8);
  a.stride_w = rand_int(1, 8);
  a.pad_top = rand_int(0, a.kernel_h - 1);
  a.pad_bottom = rand_int(0, a.kernel_h - 1);
  a.pad_left = rand_int(0, a.kernel_w - 1);
  a.pad_right = rand_int(0, a.kernel_w - 1);
  a.channels = rand_int(1, 70);
  do {
    a.in_h = rand_int(1, 40);
    a.in_w = rand_int(1, 40);
  } while (a.in_h + a.pad_top + a.pad_bottom < a.kernel_h || a.in_w + a.pad_left + a.pad_right < a.kernel_w ||
           a.in_h * a.in_w * a.channels > 30000);
  const bool ceil_mode = rand_int(0, 1);
  a.out_h = pool_out(a.in_h, a.pad_top + a.pad_bottom, a.kernel_h, a.stride_h, ceil_mode);
  a.out_w = pool_out(a.in_w, a.pad_left + a.pad_right, a.kernel_w, a.stride_w, ceil_mode);
  a.count_include_pad = rand_int(0, 1);
  a.in_zp = rand_int(0, 255);
  a.out_zp = rand_int(0, 255);
  a.ratio = kt::tie_scale();
  if (rand_int(0, 5) == 0) {  // global average pooling
    a.kernel_h = a.in_h;
    a.kernel_w = a.in_w;
    a.pad_top = a.pad_left = a.pad_bottom = a.pad_right = 0;
    a.out_h = a.out_w = 1;
  }
  pc.in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * a.channels, 0, 255);
  if (rand_int(0, 3) == 0) {  // narrow value range: many equal maxima / tie sums
    for (auto& v : pc.in) v = static_cast<uint8_t>(v % 4 + a.in_zp / 2);
  }
  a.in = pc.in.data();
  if (max && rand_int(0, 1)) {
    pc.lut = testing::rand_vec<uint8_t>(256, 0, 255);
    a.lut = pc.lut.data();
  }
  std::ostringstream os;
  os << (max ? "maxpool" : "avgpool") << " in " << a.in_h << "x" << a.in_w << "x" << a.channels << " k "
     << a.kernel_h << "x" << a.kernel_w << " s " << a.stride_h << "," << a.stride_w << " pads " << a.pad_top << ","
     << a.pad_left << "," << a.pad_bottom << "," << a.pad_right << " out " << a.out_h << "x" << a.out_w
     << " cip " << a.count_include_pad << " ratio " << a.ratio << " lut " << (a.lut != nullptr);
  pc.desc = os.str();
  return pc;
}

void compare_pool(const KernelTable& t, bool max, int cases) {
  for (int i = 0; i < cases; ++i) {
    PoolCase pc = random_pool_case(max);
    PoolArgs a = pc.a;
    const size_t n = static_cast<size_t>(a.out_h) * a.out_w * a.channels;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    a.out = ref.data();
    (max ? scalar_table().maxpool : scalar_table().avgpool)(a, 0, a.out_h);
    a.out = got.data();
    kt::split_range(a.out_h, [&](int b, int e) { (max ? t.maxpool : t.avgpool)(a, b, e); });
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), pc.desc);
  }
}

// Rows wider than the NEON separable max pool's column buffer (256 columns), overlapping and
// not, with and without padding.
void compare_wide_pool(const KernelTable& t, bool max) {
  for (int i = 0; i < 12; ++i) {
    PoolCase pc = random_pool_case(max);
    PoolArgs& a = pc.a;
    a.kernel_h = rand_int(1, 5);
    a.kernel_w = rand_int(2, 9);
    a.stride_h = rand_int(1, 2);
    a.stride_w = rand_int(1, a.kernel_w);
    a.pad_left = rand_int(0, a.kernel_w - 1);
    a.pad_right = rand_int(0, a.kernel_w - 1);
    a.pad_top = a.pad_bottom = 0;
    a.channels = rand_int(16, 40);
    a.in_h = rand_int(a.kernel_h, 6);
    a.in_w = rand_int(257, 700);
    a.out_h = pool_out(a.in_h, 0, a.kernel_h, a.stride_h, false);
    a.out_w = pool_out(a.in_w, a.pad_left + a.pad_right, a.kernel_w, a.stride_w, false);
    pc.in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * a.channels, 0, 255);
    a.in = pc.in.data();
    const size_t n = static_cast<size_t>(a.out_h) * a.out_w * a.channels;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    a.out = ref.data();
    (max ? scalar_table().maxpool : scalar_table().avgpool)(a, 0, a.out_h);
    a.out = got.data();
    kt::split_range(a.out_h, [&](int b, int e) { (max ? t.maxpool : t.avgpool)(a, b, e); });
    std::ostringstream os;
    os << "wide pool in " << a.in_h << "x" << a.in_w << "x" << a.channels << " k " << a.kernel_h << "x" << a.kernel_w
       << " s " << a.stride_h << "," << a.stride_w << " pad l" << a.pad_left << " r" << a.pad_right;
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
  }
}

// Max pooling over every kernel size 1..7 (square and not), strides 1..3, pads 0..3 per side
// (asymmetric, and pads as large as the kernel, giving empty border windows), small odd images
// and channel counts around the 8 / 16 / 32 / 64-byte vector widths, with and without a table.
void compare_maxpool_sweep(const KernelTable& t) {
  const int channel_counts[] = {1, 3, 8, 17, 32, 63, 64, 65, 96, 100, 129};
  for (int C : channel_counts)
    for (int kh = 1; kh <= 7; ++kh)
      for (int i = 0; i < 6; ++i) {
        PoolArgs a{};
        a.channels = C;
        a.kernel_h = kh;
        a.kernel_w = i < 2 ? kh : rand_int(1, 7);
        a.stride_h = rand_int(1, 3);
        a.stride_w = rand_int(1, 3);
        a.pad_top = rand_int(0, 3);
        a.pad_bottom = rand_int(0, 3);
        a.pad_left = rand_int(0, 3);
        a.pad_right = rand_int(0, 3);
        do {
          a.in_h = rand_int(1, 13);
          a.in_w = rand_int(1, 13);
        } while (a.in_h + a.pad_top + a.pad_bottom < a.kernel_h || a.in_w + a.pad_left + a.pad_right < a.kernel_w);
        a.out_h = pool_out(a.in_h, a.pad_top + a.pad_bottom, a.kernel_h, a.stride_h, false);
        a.out_w = pool_out(a.in_w, a.pad_left + a.pad_right, a.kernel_w, a.stride_w, false);
        std::vector<uint8_t> in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * C, 0, 255), lut;
        a.in = in.data();
        if (i % 2) {
          lut = testing::rand_vec<uint8_t>(256, 0, 255);
          a.lut = lut.data();
        }
        const size_t n = static_cast<size_t>(a.out_h) * a.out_w * C;
        auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
        a.out = ref.data();
        scalar_table().maxpool(a, 0, a.out_h);
        a.out = got.data();
        kt::split_range(a.out_h, [&](int b, int e) { t.maxpool(a, b, e); });
        std::ostringstream os;
        os << "maxpool sweep in " << a.in_h << "x" << a.in_w << "x" << C << " k " << a.kernel_h << "x" << a.kernel_w
           << " s " << a.stride_h << "," << a.stride_w << " pads " << a.pad_top << "," << a.pad_left << ","
           << a.pad_bottom << "," << a.pad_right << " lut " << (a.lut != nullptr);
        CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
      }
}

// The chained residual pooling shape (5x5, stride 1, pad 2, 96 channels), its rows run in
// several calls in a shuffled order, as the thread pool may.
void compare_maxpool_crp(const KernelTable& t) {
  for (int use_lut = 0; use_lut < 2; ++use_lut) {
    PoolArgs a{};
    a.channels = 96;
    a.in_h = a.out_h = rand_int(20, 40) | 1;
    a.in_w = a.out_w = rand_int(20, 60) | 1;
    a.kernel_h = a.kernel_w = 5;
    a.stride_h = a.stride_w = 1;
    a.pad_top = a.pad_left = a.pad_bottom = a.pad_right = 2;
    std::vector<uint8_t> in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * a.channels, 0, 255);
    std::vector<uint8_t> lut = testing::rand_vec<uint8_t>(256, 0, 255);
    a.in = in.data();
    a.lut = use_lut ? lut.data() : nullptr;
    const size_t n = static_cast<size_t>(a.out_h) * a.out_w * a.channels;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    a.out = ref.data();
    scalar_table().maxpool(a, 0, a.out_h);
    a.out = got.data();
    std::vector<int> cuts = {0, a.out_h};
    for (int i = 0; i < 4; ++i) cuts.push_back(rand_int(0, a.out_h));
    std::sort(cuts.begin(), cuts.end());
    std::vector<int> order(cuts.size() - 1);
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rand_int(0, static_cast<int>(i) - 1)]);
    for (int i : order)
      if (cuts[i + 1] > cuts[i]) t.maxpool(a, cuts[i], cuts[i + 1]);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), use_lut ? "crp maxpool with table" : "crp maxpool");
  }
}

}  // namespace

ISA_TEST(maxpool_matches_scalar) {
  compare_pool(t, true, 300);
  compare_wide_pool(t, true);
  compare_maxpool_sweep(t);
  compare_maxpool_crp(t);
}
ISA_TEST(avgpool_matches_scalar) {
  compare_pool(t, false, 300);
  compare_wide_pool(t, false);
}
