// Winograd F(2x2, 3x3) and F(4x4, 3x3) convolutions (kernels.h, WinogradKernel): the scalar
// references against a direct convolution, then every table that has a Winograd kernel of that
// tile size against both, bit for bit, on seeded random shapes, and at the edge of each exactness
// bound where intermediate sums wrap.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "aligned_buffer.h"
#include "isa_test.h"
#include "kernels/kernels.h"
#include "kernels/row_blocks.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {

struct WinoCase {
  int tile;  // 2: F(2x2), 4: F(4x4)
  int in_h, in_w, in_c, out_c;
  int pt, pl, pb, pr;
  int max_call_tiles;  // run is called on tile ranges of 1..max_call_tiles tiles
  int out_h() const { return in_h + pt + pb - 2; }
  int out_w() const { return in_w + pl + pr - 2; }
  std::string str() const {
    std::ostringstream os;
    os << "winograd " << tile << "x" << tile << " in " << in_h << "x" << in_w << "x" << in_c << " out_c " << out_c << " pad t" << pt << " l" << pl
       << " b" << pb << " r" << pr << " calls of <= " << max_call_tiles << " tiles";
    return os.str();
  }
};

struct ConvData {
  std::vector<uint8_t> in;  // NHWC, exactly in_h * in_w * in_c bytes
  uint8_t in_zp = 0;
  std::vector<int8_t> w;  // [out_c][3][3][in_c]
  std::vector<int32_t> bias;
  std::vector<float> scale;
  Requant rq;
};

// Direct 3x3 stride-1 convolution with int64 sums, written independently of the kernels.
std::vector<uint8_t> direct_conv(const WinoCase& c, const ConvData& d) {
  std::vector<uint8_t> out(static_cast<size_t>(c.out_h()) * c.out_w() * c.out_c);
  for (int oy = 0; oy < c.out_h(); ++oy)
    for (int ox = 0; ox < c.out_w(); ++ox)
      for (int n = 0; n < c.out_c; ++n) {
        int64_t acc = d.rq.bias ? d.rq.bias[n] : 0;
        for (int ky = 0; ky < 3; ++ky)
          for (int kx = 0; kx < 3; ++kx) {
            const int iy = oy - c.pt + ky, ix = ox - c.pl + kx;
            const bool inside = iy >= 0 && iy < c.in_h && ix >= 0 && ix < c.in_w;
            for (int ch = 0; ch < c.in_c; ++ch) {
              const int x = inside ? d.in[(static_cast<size_t>(iy) * c.in_w + ix) * c.in_c + ch] : d.in_zp;
              acc += x * d.w[((static_cast<size_t>(n) * 3 + ky) * 3 + kx) * c.in_c + ch];
            }
          }
        const float f = std::min(65536.0f, std::max(-65536.0f, static_cast<float>(acc) * d.rq.scale[n]));
        const int v = static_cast<int>(std::nearbyint(f)) + d.rq.out_zp;
        out[(static_cast<size_t>(oy) * c.out_w() + ox) * c.out_c + n] =
            static_cast<uint8_t>(std::min(d.rq.qmax, std::max(d.rq.qmin, v)));
      }
  return out;
}

// The convolution through t's Winograd kernel: tile rows in reverse order, each split into calls
// of random length, every call on scratch refilled with garbage. Output bytes past the tensor
// (a guard band) must survive.
std::vector<uint8_t> winograd_conv(const KernelTable& t, const WinoCase& c, const ConvData& d) {
  const WinogradKernel& k = winograd_kernel(t, c.tile);
  const size_t bytes = k.packed_bytes(c.in_c, c.out_c);
  attendseg::AlignedBuffer packed(bytes), packed2(bytes);
  std::memset(packed.data(), 0x00, bytes);
  std::memset(packed2.data(), 0xA5, bytes);
  k.pack(d.w.data(), c.in_c, c.out_c, packed.data());
  k.pack(d.w.data(), c.in_c, c.out_c, packed2.data());
  CHECK_BYTES_EQ(packed.data(), packed2.data(), bytes, std::string(t.name) + " pack " + c.str());

  const size_t out_bytes = static_cast<size_t>(c.out_h()) * c.out_w() * c.out_c;
  std::vector<uint8_t> out = kt::out_buffer(out_bytes);
  WinogradArgs a{d.in.data(), c.in_h,  c.in_w,         c.in_c, c.out_h(), c.out_w(), c.out_c, c.pt, c.pl,
                 d.in_zp,     packed.data(), d.rq, out.data()};
  const size_t scratch_bytes = k.scratch_bytes(c.in_c, c.max_call_tiles);
  attendseg::AlignedBuffer scratch(scratch_bytes);
  const int tiles_h = (c.out_h() + c.tile - 1) / c.tile, tiles_w = (c.out_w() + c.tile - 1) / c.tile;
  for (int ty = tiles_h - 1; ty >= 0; --ty) {
    for (int tx = 0; tx < tiles_w;) {
      const int n = std::min(tiles_w - tx, testing::rand_int(1, c.max_call_tiles));
      std::memset(scratch.data(), 0xA5, scratch_bytes);
      k.run(a, ty, tx, tx + n, scratch.data());
      tx += n;
    }
  }
  const std::vector<uint8_t> guard = kt::out_buffer(0);
  CHECK_BYTES_EQ(guard.data(), out.data() + out_bytes, kt::kGuard, std::string(t.name) + " guard band " + c.str());
  out.resize(out_bytes);
  return out;
}

// Random data for c; extreme: weights in {-128, 127}, inputs 0/255 in a checkerboard or at
// random, zero point 0 or 255.
ConvData rand_data(const WinoCase& c, bool extreme) {
  ConvData d;
  d.in = testing::rand_vec<uint8_t>(static_cast<size_t>(c.in_h) * c.in_w * c.in_c, 0, 255);
  d.w = testing::rand_vec<int8_t>(static_cast<size_t>(c.out_c) * 9 * c.in_c, -128, 127);
  d.in_zp = static_cast<uint8_t>(testing::rand_int(0, 255));
  if (extreme) {
    const bool checker = testing::rand_int(0, 1);
    for (size_t i = 0; i < d.in.size(); ++i) {
      const size_t px = i / c.in_c;
      const bool hi = checker ? ((px / c.in_w + px % c.in_w + i % c.in_c) & 1) : testing::rand_int(0, 1);
      d.in[i] = hi ? 255 : 0;
    }
    const int mode = testing::rand_int(0, 2);  // all +127, all -128, or mixed
    for (auto& x : d.w) x = mode == 0 ? 127 : mode == 1 ? -128 : (testing::rand_int(0, 1) ? 127 : -128);
    d.in_zp = testing::rand_int(0, 1) ? 255 : 0;
  }
  // As the engine folds it: a true bias minus in_zp * sum(w); sometimes no bias at all.
  d.bias.resize(c.out_c);
  for (int n = 0; n < c.out_c; ++n) {
    int64_t s = 0;
    for (int i = 0; i < 9 * c.in_c; ++i) s += d.w[static_cast<size_t>(n) * 9 * c.in_c + i];
    d.bias[n] = static_cast<int32_t>(testing::rand_int(-40000, 40000) - d.in_zp * s);
  }
  kt::rand_requant(c.out_c, -5.0f, &d.scale, &d.rq);
  d.rq.bias = testing::rand_int(0, 15) == 0 ? nullptr : d.bias.data();
  return d;
}

WinoCase rand_case(int tile, int in_c, int out_c) {
  static const int kSides[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 25, 30};
  for (;;) {
    WinoCase c;
    c.tile = tile;
    c.in_h = kSides[testing::rand_int(0, 16)];
    c.in_w = kSides[testing::rand_int(0, 16)];
    c.in_c = in_c;
    c.out_c = out_c;
    // Mostly "same" padding, otherwise each side 0..2 on its own.
    const bool same = testing::rand_int(0, 1);
    c.pt = same ? 1 : testing::rand_int(0, 2);
    c.pl = same ? 1 : testing::rand_int(0, 2);
    c.pb = same ? 1 : testing::rand_int(0, 2);
    c.pr = same ? 1 : testing::rand_int(0, 2);
    c.max_call_tiles = testing::rand_int(1, 20);
    if (c.out_h() >= 1 && c.out_w() >= 1) return c;
  }
}

const int kInChannels[] = {1, 2, 3, 5, 8, 15, 16, 17, 23, 24, 31, 32, 33, 48, 64, 70};
const int kOutChannels[] = {1, 3, 7, 8, 9, 15, 16, 17, 24, 25, 32, 33, 64, 70};

void check_case(const KernelTable* t, const WinoCase& c, bool extreme) {
  const ConvData d = rand_data(c, extreme);
  INFO(c.str() << (extreme ? " extreme" : ""));
  CHECK((c.tile == 2 ? winograd_fits(d.w.data(), c.in_c, c.out_c) : winograd4_fits(d.w.data(), c.in_c, c.out_c)));
  const std::vector<uint8_t> want = direct_conv(c, d);
  const std::vector<uint8_t> ref = winograd_conv(scalar_table(), c, d);
  CHECK_BYTES_EQ(want.data(), ref.data(), want.size(), "scalar");
  if (t) {
    const std::vector<uint8_t> got = winograd_conv(*t, c, d);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), t->name);
  }
}

// Every listed channel count on both sides, then random shapes, a tenth of them extreme.
void against_reference(const KernelTable* t, int tile) {
  for (int in_c : kInChannels)
    for (int out_c : kOutChannels) check_case(t, rand_case(tile, in_c, out_c), false);
  for (int i = 0; i < 300; ++i)
    check_case(t, rand_case(tile, testing::rand_int(1, 80), testing::rand_int(1, 80)), testing::rand_int(0, 9) == 0);
  for (int in_c : {1, 3, 16, 17, 24, 64, 70})
    for (int out_c : {1, 3, 16, 17, 32, 64, 70}) check_case(t, rand_case(tile, in_c, out_c), true);
}

// A window and one weight per channel (tap (2, 0) = -128) that drive the int32 intermediates of
// M and of the output transform to twice the int32 range, with in_c at the largest count
// winograd_fits accepts for them: each output still fits, so only sums that wrap consistently
// (mod 2^32, in any order) come out right. A second output channel with +127 on every tap and
// a third with mixed signs ride along.
void at_the_bound_2x2(const KernelTable* t) {
  WinoCase c{2, 4, 4, 0, 3, 0, 0, 0, 0, 1};
  c.in_c = static_cast<int>(INT32_MAX / (4 * 255 * 128));
  static const uint8_t kWindow[4][4] = {{1, 1, 1, 0}, {1, 1, 0, 1}, {0, 1, 1, 1}, {0, 1, 1, 0}};
  ConvData d;
  d.in.resize(static_cast<size_t>(16) * c.in_c);
  for (int p = 0; p < 16; ++p)
    for (int ch = 0; ch < c.in_c; ++ch) d.in[static_cast<size_t>(p) * c.in_c + ch] = kWindow[p / 4][p % 4] ? 255 : 0;
  d.w.assign(static_cast<size_t>(3) * 9 * c.in_c, 0);
  const size_t k = static_cast<size_t>(9) * c.in_c;
  for (int ch = 0; ch < c.in_c; ++ch) d.w[(2 * 3 + 0) * c.in_c + ch] = -128;
  // Channel 1: +127 on the first taps, as far as the bound allows.
  const int64_t limit = INT32_MAX / (4 * 255);
  for (size_t i = 0; i < k && 127 * static_cast<int64_t>(i + 1) <= limit; ++i) d.w[k + i] = 127;
  for (size_t i = 0; i < k; ++i) d.w[2 * k + i] = static_cast<int8_t>(testing::rand_int(-2, 2));
  CHECK(winograd_fits(d.w.data(), c.in_c, c.out_c));
  d.bias = {12345, -6789, 0};
  d.scale = {2e-7f, 1e-7f, 2e-4f};  // outputs well inside 0..255, so a wrong sum shows
  d.rq.bias = d.bias.data();
  d.rq.scale = d.scale.data();
  d.rq.out_zp = 128;
  const std::vector<uint8_t> want = direct_conv(c, d);
  const std::vector<uint8_t> ref = winograd_conv(scalar_table(), c, d);
  CHECK_BYTES_EQ(want.data(), ref.data(), want.size(), "scalar at the exactness bound");
  if (t) {
    const std::vector<uint8_t> got = winograd_conv(*t, c, d);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), std::string(t->name) + " at the exactness bound");
  }
}

// As at_the_bound_2x2 for F(4x4): one 6x6 window, tap (2, 2) = -128 on every channel (its U' has
// the largest entries), in_c the largest count winograd4_fits accepts for it, so that outputs
// come within 2^16 of 2^25 in magnitude while M' and R wrap many times; channel 1 +127 on the
// first taps as far as the bound allows, channel 2 mixed signs.
void at_the_bound_4x4(const KernelTable* t) {
  WinoCase c{4, 6, 6, 0, 3, 0, 0, 0, 0, 1};
  c.in_c = static_cast<int>(((int64_t{1} << 25) - 1) / (255 * 128));
  static const uint8_t kWindow[6][6] = {{1, 0, 1, 1, 0, 1}, {0, 1, 1, 0, 1, 1}, {1, 1, 1, 1, 1, 1},
                                        {0, 1, 1, 1, 1, 1}, {1, 0, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}};
  ConvData d;
  d.in.resize(static_cast<size_t>(36) * c.in_c);
  for (int p = 0; p < 36; ++p)
    for (int ch = 0; ch < c.in_c; ++ch) d.in[static_cast<size_t>(p) * c.in_c + ch] = kWindow[p / 6][p % 6] ? 255 : 0;
  d.w.assign(static_cast<size_t>(3) * 9 * c.in_c, 0);
  const size_t k = static_cast<size_t>(9) * c.in_c;
  for (int ch = 0; ch < c.in_c; ++ch) d.w[(2 * 3 + 2) * c.in_c + ch] = -128;
  const int64_t limit = ((int64_t{1} << 25) - 1) / 255;
  for (size_t i = 0; i < k && 127 * static_cast<int64_t>(i + 1) <= limit; ++i) d.w[k + i] = 127;
  for (size_t i = 0; i < k; ++i) d.w[2 * k + i] = static_cast<int8_t>(testing::rand_int(-2, 2));
  CHECK(winograd4_fits(d.w.data(), c.in_c, c.out_c));
  d.bias = {12345, -6789, 0};
  d.scale = {4e-6f, 2e-6f, 2e-4f};  // outputs well inside 0..255, so a wrong sum shows
  d.rq.bias = d.bias.data();
  d.rq.scale = d.scale.data();
  d.rq.out_zp = 128;
  const std::vector<uint8_t> want = direct_conv(c, d);
  const std::vector<uint8_t> ref = winograd_conv(scalar_table(), c, d);
  CHECK_BYTES_EQ(want.data(), ref.data(), want.size(), "scalar F(4x4) at the exactness bound");
  if (t) {
    const std::vector<uint8_t> got = winograd_conv(*t, c, d);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), std::string(t->name) + " F(4x4) at the exactness bound");
  }
}

void at_the_bound(const KernelTable* t, int tile) { tile == 2 ? at_the_bound_2x2(t) : at_the_bound_4x4(t); }

}  // namespace

TEST_CASE("conv_winograd_fits_bound") {
  // 4 * 255 * sum|w| <= INT32_MAX per output channel, i.e. sum|w| <= 2105376.
  const int in_c = 2000;
  const size_t k = static_cast<size_t>(9) * in_c;
  std::vector<int8_t> w(2 * k, 0);
  size_t i = 0;
  for (int64_t s = 0; s + 128 <= 2105376; s += 128) w[i++] = -128;  // 16448 x 128 = 2105344
  w[i] = 32;                                                         // channel 0 exactly at the bound
  w[k] = 1;
  CHECK(winograd_fits(w.data(), in_c, 2));
  w[i + 1] = -1;  // one past it
  CHECK(!winograd_fits(w.data(), in_c, 2));
  CHECK(winograd_fits(w.data() + k, in_c, 1));
}

TEST_CASE("conv_winograd4_fits_bound") {
  // 255 * sum|w| < 2^25 per output channel, i.e. sum|w| <= 131586.
  const int in_c = 200;
  const size_t k = static_cast<size_t>(9) * in_c;
  std::vector<int8_t> w(2 * k, 0);
  size_t i = 0;
  for (int64_t s = 0; s + 128 <= 131586; s += 128) w[i++] = -128;  // 1028 x 128 = 131584
  w[i] = 2;                                                         // channel 0 exactly at the bound
  w[k] = 1;
  CHECK(winograd4_fits(w.data(), in_c, 2));
  w[i + 1] = -1;  // one past it
  CHECK(!winograd4_fits(w.data(), in_c, 2));
  CHECK(winograd4_fits(w.data() + k, in_c, 1));
}

TEST_CASE("conv_winograd_weights_hand_computed") {
  // One channel pair, g = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]: U = G g G^T with the doubled G.
  const int8_t w[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int16_t u[16];
  winograd_weights(w, 1, 1, u);
  const int16_t want[16] = {4, 12, 4, 12, 24, 45, 15, 36, 8, 15, 5, 12, 28, 48, 16, 36};
  CHECK(std::vector<int16_t>(u, u + 16) == std::vector<int16_t>(want, want + 16));
}

TEST_CASE("conv_winograd4_weights_hand_computed") {
  // g = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]: U' = G' g G'^T with G' the row-scaled textbook G.
  const int8_t w[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  int16_t u[36];
  winograd4_weights(w, 1, 1, u);
  const int16_t want_row0[6] = {1, -6, -2, 17, 9, 3};  // g row 0 times G'^T
  CHECK(std::vector<int16_t>(u, u + 6) == std::vector<int16_t>(want_row0, want_row0 + 6));
  CHECK(u[21] == 329);  // (1, 2, 4) g (1, 2, 4)^T
  CHECK(u[35] == 9);
  static const int G[6][3] = {{1, 0, 0}, {-1, -1, -1}, {-1, 1, -1}, {1, 2, 4}, {1, -2, 4}, {0, 0, 1}};
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) {
      int s = 0;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) s += G[i][a] * w[3 * a + b] * G[j][b];
      INFO("U'[" << i << "][" << j << "]");
      CHECK(u[6 * i + j] == s);
    }
}

TEST_CASE("conv_scalar_winograd_matches_direct_conv") {
  against_reference(nullptr, 2);
  at_the_bound(nullptr, 2);
}

TEST_CASE("conv_scalar_winograd4_matches_direct_conv") {
  against_reference(nullptr, 4);
  at_the_bound(nullptr, 4);
}

namespace {

// A Winograd kernel is all four entries or none.
bool has_winograd(const KernelTable& t, int tile) {
  const WinogradKernel& k = winograd_kernel(t, tile);
  const int set = !!k.packed_bytes + !!k.pack + !!k.scratch_bytes + !!k.run;
  INFO(t.name << " F(" << tile << "x" << tile << "): " << set << " of the 4 entries set");
  CHECK((set == 0 || set == 4));
  return set == 4;
}

// Every SIMD table with a Winograd kernel of this tile size; a table without one has nothing to
// test here.
void simd_tables_against_reference(int tile) {
  kt::for_each_table([tile](const KernelTable& t) { return kt::is_simd(t) && has_winograd(t, tile); },
                     [tile](const KernelTable& t) {
                       against_reference(&t, tile);
                       at_the_bound(&t, tile);
                     });
}

}  // namespace

TEST_CASE("conv_winograd") { simd_tables_against_reference(2); }
TEST_CASE("conv_winograd4x4") { simd_tables_against_reference(4); }

TEST_CASE("conv_winograd_entries_complete") {
  for (const auto& e : all_kernel_tables()) {
    has_winograd(*e.table, 2);
    has_winograd(*e.table, 4);
  }
  CHECK(has_winograd(scalar_table(), 2));
  CHECK(has_winograd(scalar_table(), 4));
}

// The tile groups of the avx512vnni Winograd GEMM: every tile once, in order, in ceil(n / 6)
// groups of at most 6 whose sizes differ by at most one (15 as 5 + 5 + 5).
TEST_CASE("balanced_row_blocks_cover_every_row_once") {
  for (int n = 0; n <= 40; ++n) {
    std::vector<int> sizes;
    int next = 0;
    for_balanced_row_blocks<6>(n, [&](int m, auto rows) {
      CHECK(m == next);
      next += decltype(rows)::value;
      sizes.push_back(decltype(rows)::value);
    });
    INFO(n << " rows");
    CHECK(next == n);
    CHECK(static_cast<int>(sizes.size()) == (n + 5) / 6);
    if (!sizes.empty()) {
      CHECK(*std::max_element(sizes.begin(), sizes.end()) <= 6);
      CHECK(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()) <= 1);
    }
  }
}
