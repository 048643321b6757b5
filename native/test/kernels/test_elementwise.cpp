// Add, Mul, LUT, channel copy and argmax: hand-computed reference values, then every SIMD table
// against the scalar reference (all broadcast modes, tie-prone scales, clamps, odd channel counts;
// Add and Mul with the division and with each plan-checked quotient by the reciprocal).
#include <algorithm>
#include <climits>
#include <cmath>
#include <sstream>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;
using testing::rand_int;

TEST_CASE("add_mul_reference_values") {
  const uint8_t a[4] = {10, 1, 3, 200};
  const uint8_t b[4] = {4, 0, 0, 0};
  uint8_t out[4] = {};
  BinaryArgs args{};
  args.a = a;
  args.b = b;
  args.out = out;
  args.channels = 1;
  args.broadcast = Broadcast::Full;
  args.sa = 0.5f;
  args.sb = 0.25f;
  args.sy = 1.0f;
  args.zy = 3;
  args.qmin = 0;
  args.qmax = 100;
  scalar_table().add(args, 0, 4);
  CHECK(+out[0] == 9);    // 5 + 1 + 3
  CHECK(+out[1] == 3);    // 0.5 -> 0 (half to even) + 3
  CHECK(+out[2] == 5);    // 1.5 -> 2 + 3
  CHECK(+out[3] == 100);  // 100 + 3 clamped to qmax
  // The sum is divided by the output scale: (10 + 0) / 4 = 2.5 -> 2, (14 + 0) / 4 = 3.5 -> 4.
  const uint8_t a2[2] = {10, 14}, b2[2] = {0, 0};
  BinaryArgs d{};
  d.a = a2;
  d.b = b2;
  d.out = out;
  d.channels = 2;
  d.broadcast = Broadcast::Full;
  d.sa = d.sb = 1.0f;
  d.sy = 4.0f;
  d.qmax = 255;
  scalar_table().add(d, 0, 1);
  CHECK(+out[0] == 2);
  CHECK(+out[1] == 4);
  // Mul with zero points: ((5 - 1) * 0.5) * ((7 - 2) * 0.5) = 5, + 1 = 6;
  // ((3 - 1) * 0.5) * 2.5 = 2.5 -> 2, + 1 = 3.
  const uint8_t ma[2] = {5, 3}, mb[1] = {7};
  BinaryArgs m{};
  m.a = ma;
  m.b = mb;
  m.out = out;
  m.channels = 2;
  m.broadcast = Broadcast::Pixel;
  m.za = 1;
  m.zb = 2;
  m.zy = 1;
  m.sa = 0.5f;
  m.sb = 0.5f;
  m.sy = 1.0f;
  m.qmax = 255;
  scalar_table().mul(m, 0, 1);
  CHECK(+out[0] == 6);
  CHECK(+out[1] == 3);
}

namespace {

struct BinCase {
  BinaryArgs a;
  std::vector<uint8_t> va, vb;
  size_t pixels, p_begin, p_end;
  std::string desc;
};

// channels 0: a random count of 1..70.
BinCase random_binary(Broadcast bc, int channels = 0) {
  BinCase c;
  BinaryArgs& a = c.a;
  a = BinaryArgs{};
  a.channels = channels ? channels : rand_int(1, 70);
  c.pixels = static_cast<size_t>(rand_int(1, channels > 64 ? 40 : 200));
  c.p_begin = static_cast<size_t>(rand_int(0, static_cast<int>(c.pixels) - 1));
  c.p_end = static_cast<size_t>(rand_int(static_cast<int>(c.p_begin) + 1, static_cast<int>(c.pixels)));
  a.broadcast = bc;
  const size_t n = c.pixels * a.channels;
  c.va = testing::rand_vec<uint8_t>(n, 0, 255);
  const size_t nb = bc == Broadcast::Full ? n : (bc == Broadcast::Channel ? a.channels : c.pixels);
  c.vb = testing::rand_vec<uint8_t>(nb, 0, 255);
  a.a = c.va.data();
  a.b = c.vb.data();
  a.za = rand_int(0, 255);
  a.zb = rand_int(0, 255);
  a.zy = rand_int(0, 255);
  a.sa = kt::tie_scale();
  a.sb = kt::tie_scale();
  a.sy = kt::tie_scale();
  if (rand_int(0, 2) == 0) {  // an output scale of a product's size
    a.sy *= 128.0f;
  }
  a.qmin = rand_int(0, 2) ? 0 : rand_int(0, 128);
  a.qmax = rand_int(0, 2) ? 255 : rand_int(a.qmin, 255);
  std::ostringstream os;
  os << "broadcast " << static_cast<int>(bc) << " C " << a.channels << " pixels [" << c.p_begin << "," << c.p_end
     << ") of " << c.pixels << " z " << a.za << "," << a.zb << "," << a.zy << " s " << a.sa << "," << a.sb << "," << a.sy << " q "
     << a.qmin << ".." << a.qmax;
  c.desc = os.str();
  return c;
}

// An Add's table output in integers (kernels.h "Add in integers") against ref, where the plan's
// search finds parameters; whether it did.
bool check_integer_add(const KernelTable& t, BinaryArgs a, size_t p_begin, size_t p_end, const std::vector<uint8_t>& ref,
                       const std::string& desc) {
  IntegerAdd integer;
  if (!find_integer_add(a, &integer)) return false;
  auto got = kt::out_buffer(ref.size());
  a.out = got.data();
  a.integer = integer;
  t.add(a, p_begin, p_end);
  CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(),
                 "add " + desc + " in integers " + std::to_string(integer.ma) + "," + std::to_string(integer.mb) + "," +
                     std::to_string(integer.c) + " >> " + std::to_string(integer.shift));
  return true;
}

int integer_adds_run = 0;  // cases whose Add also ran in integers

// The table against the reference with each quotient the plan's check admits (kernels.h
// "Quotients by a reciprocal"): the division always, the corrected quotient for every case
// here, the plain product where it is exact; an Add also in integers where the plan's search
// finds them. Returns whether the plain product was admitted.
bool check_binary(const KernelTable& t, bool is_mul, const BinCase& c) {
  BinaryArgs a = c.a;
  const size_t n = c.pixels * a.channels;
  auto ref = kt::out_buffer(n);
  a.out = ref.data();
  (is_mul ? scalar_table().mul : scalar_table().add)(a, c.p_begin, c.p_end);
  CHECK(binary_quotient_exact(a, is_mul, Quotient::Corrected));
  const bool plain = binary_quotient_exact(a, is_mul, Quotient::Reciprocal);
  for (Quotient q : {Quotient::Division, Quotient::Corrected, Quotient::Reciprocal}) {
    if (q == Quotient::Reciprocal && !plain) break;
    auto got = kt::out_buffer(n);
    a.out = got.data();
    a.quotient = q;
    (is_mul ? t.mul : t.add)(a, c.p_begin, c.p_end);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(),
                   std::string(is_mul ? "mul " : "add ") + c.desc + " quotient " + std::to_string(static_cast<int>(q)));
  }
  a.quotient = Quotient::Division;
  if (!is_mul) integer_adds_run += check_integer_add(t, a, c.p_begin, c.p_end, ref, c.desc);
  return plain;
}

void compare_binary(const KernelTable& t, bool is_mul, int cases) {
  int plain = 0;
  for (int i = 0; i < cases; ++i) plain += check_binary(t, is_mul, random_binary(static_cast<Broadcast>(i % 3)));
  CHECK(plain > 0);  // the plain product ran too
}

// Channel counts around the 16, 32 and 64-byte vector widths and the network's widest (352) in
// each broadcast mode: per-pixel runs (C >= 64) that end in a partial vector, and buffered runs.
void compare_binary_channel_counts(const KernelTable& t, bool is_mul) {
  const int counts[] = {1, 2, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 127, 128, 129, 352};
  for (int C : counts)
    for (int bc = 0; bc < 3; ++bc)
      for (int rep = 0; rep < 3; ++rep) check_binary(t, is_mul, random_binary(static_cast<Broadcast>(bc), C));
}

}  // namespace

ISA_TEST(add_matches_scalar) {
  integer_adds_run = 0;
  compare_binary(t, false, 600);
  compare_binary_channel_counts(t, false);
  CHECK(integer_adds_run > 100);  // the integer path ran in every broadcast mode's share of them
}
ISA_TEST(mul_matches_scalar) {
  compare_binary(t, true, 600);
  compare_binary_channel_counts(t, true);
}

namespace {

// Every (a, b) pair under random and tie-making scales, where v * (1 / sy) and v / sy round to
// different integers for some pairs: a SIMD table that multiplied by the reciprocal without the
// correction step where the plan did not admit it would fail. The test counts those pairs so it
// is known to reach them. Each admitted quotient runs.
void compare_binary_near_ties(const KernelTable& t, bool is_mul) {
  std::vector<uint8_t> va(65536), vb(65536);
  for (int i = 0; i < 65536; ++i) {
    va[i] = static_cast<uint8_t>(i >> 8);
    vb[i] = static_cast<uint8_t>(i);
  }
  int64_t reciprocal_differs = 0;
  int plain_refused = 0;
  for (int trial = 0; trial < 40; ++trial) {
    BinaryArgs a{};
    a.a = va.data();
    a.b = vb.data();
    a.channels = 16;
    a.broadcast = Broadcast::Full;
    a.za = rand_int(0, 255);
    a.zb = rand_int(0, 255);
    a.zy = rand_int(0, 255);
    a.sa = testing::rand_float(0.001f, 0.1f);
    a.sb = testing::rand_float(0.001f, 0.1f);
    // Output scales that keep most results inside 0..255, where rounding is visible.
    a.sy = is_mul ? a.sa * a.sb * testing::rand_float(60.0f, 300.0f) : std::max(a.sa, a.sb) * testing::rand_float(1.0f, 4.0f);
    if (trial % 2 == 0) {
      // Exact half-integer quotients whose reciprocal is off by nearly 2^-24: with sa = sb =
      // 1/16 and sy = k/128 (mul) or k/8 (add), k = 15, 61 or 63 (1 / sy among the worst rounded),
      // a product or sum of the centred inputs that is an odd multiple of k ends in .5 exactly.
      static const float ks[] = {15.0f, 61.0f, 63.0f};
      const float k = ks[rand_int(0, 2)];
      a.sa = a.sb = 0.0625f;
      a.sy = is_mul ? k / 128.0f : k / 8.0f;
      a.zy = rand_int(0, 30);
    }
    a.qmax = 255;
    auto ref = kt::out_buffer(65536);
    a.out = ref.data();
    (is_mul ? scalar_table().mul : scalar_table().add)(a, 0, 4096);
    CHECK(binary_quotient_exact(a, is_mul, Quotient::Corrected));
    const bool plain = binary_quotient_exact(a, is_mul, Quotient::Reciprocal);
    plain_refused += !plain;
    for (Quotient q : {Quotient::Division, Quotient::Corrected, Quotient::Reciprocal}) {
      if (q == Quotient::Reciprocal && !plain) break;
      auto got = kt::out_buffer(65536);
      a.out = got.data();
      a.quotient = q;
      (is_mul ? t.mul : t.add)(a, 0, 4096);
      std::ostringstream os;
      os << (is_mul ? "mul" : "add") << " all pairs, z " << a.za << "," << a.zb << "," << a.zy << " s " << a.sa << ","
         << a.sb << "," << a.sy << " quotient " << static_cast<int>(q);
      CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
    }
    if (!is_mul) {
      a.quotient = Quotient::Division;
      std::ostringstream os;
      os << "all pairs, z " << a.za << "," << a.zb << "," << a.zy << " s " << a.sa << "," << a.sb << "," << a.sy;
      check_integer_add(t, a, 0, 4096, ref, os.str());
    }
    const float r = 1.0f / a.sy;
    for (int i = 0; i < 65536; ++i) {
      const float fa = static_cast<float>(va[i] - a.za) * a.sa, fb = static_cast<float>(vb[i] - a.zb) * a.sb;
      const float by_reciprocal = (is_mul ? fa * fb : fa + fb) * r;
      const float y = std::min(std::max(std::nearbyint(by_reciprocal) + a.zy, 0.0f), 255.0f);
      reciprocal_differs += static_cast<int>(y) != ref[i];
    }
  }
  CHECK(reciprocal_differs > 0);
  CHECK(plain_refused > 0);  // the plan's check sees those pairs too
}

}  // namespace

// The plan's check: admits the corrected quotient for ordinary scales, including tie-making ones
// where it refuses the plain product, and refuses both for output scales they cannot take (a
// subnormal scale, whose reciprocal is infinite) and for values that overflow to infinity.
TEST_CASE("binary_quotient_exact_reference_values") {
  BinaryArgs a{};
  a.za = 3;
  a.zb = 250;
  a.zy = 17;
  a.sa = a.sb = 0.0625f;
  a.qmax = 255;
  int plain_refused = 0;
  for (float k : {15.0f, 61.0f, 63.0f}) {
    a.sy = k / 8.0f;
    CHECK(binary_quotient_exact(a, false, Quotient::Corrected));
    plain_refused += !binary_quotient_exact(a, false, Quotient::Reciprocal);
    a.sy = k / 128.0f;
    CHECK(binary_quotient_exact(a, true, Quotient::Corrected));
    plain_refused += !binary_quotient_exact(a, true, Quotient::Reciprocal);
  }
  CHECK(plain_refused > 0);
  a.sy = 0.5f;  // a power of two: the product by 2 is the quotient
  CHECK(binary_quotient_exact(a, false, Quotient::Reciprocal));
  a.sy = 1e-40f;  // subnormal
  CHECK(!binary_quotient_exact(a, false, Quotient::Corrected));
  CHECK(!binary_quotient_exact(a, false, Quotient::Reciprocal));
  a.sy = 0.5f;
  a.sa = a.sb = 1e37f;  // products overflow to infinity, the corrected quotient is NaN
  CHECK(!binary_quotient_exact(a, true, Quotient::Corrected));
}

namespace {

// kernels.h "Add in integers" evaluated in int64, for pair (a, b); -1 where the sum leaves int32.
int integer_add_byte(const BinaryArgs& a, const IntegerAdd& p, int x, int y) {
  const int64_t v = int64_t{p.ma} * x + int64_t{p.mb} * y + p.c;
  if (v < INT32_MIN || v > INT32_MAX) return -1;
  const int64_t f = v >= 0 ? v >> p.shift : -((-v + (int64_t{1} << p.shift) - 1) >> p.shift);  // floor
  return static_cast<int>(std::min<int64_t>(std::max<int64_t>(f, a.qmin), a.qmax));
}

// The reference Add of every pair (a, b) into ref[a * 256 + b].
std::vector<uint8_t> all_pairs_add(BinaryArgs a) {
  std::vector<uint8_t> va(65536), vb(65536), ref(65536);
  for (int i = 0; i < 65536; ++i) {
    va[i] = static_cast<uint8_t>(i >> 8);
    vb[i] = static_cast<uint8_t>(i);
  }
  a.a = va.data();
  a.b = vb.data();
  a.out = ref.data();
  a.channels = 1;
  a.broadcast = Broadcast::Full;
  scalar_table().add(a, 0, 65536);
  return ref;
}

}  // namespace

// The plan's search: found for most scales of a trained network's Adds, and then the formula
// gives the reference's byte for every pair, in either operand order with ma and mb swapped;
// refused where the reference rounds exact ties to even, which no floor of a linear form does.
TEST_CASE("find_integer_add_reference_values") {
  int found = 0;
  const int trials = 60;
  for (int trial = 0; trial < trials; ++trial) {
    BinaryArgs a{};
    a.za = rand_int(0, 255);
    a.zb = rand_int(0, 255);
    a.zy = rand_int(0, 255);
    a.sa = testing::rand_float(0.005f, 0.2f);
    a.sb = testing::rand_float(0.005f, 0.2f);
    a.sy = std::max(a.sa, a.sb) * testing::rand_float(1.0f, 2.5f);
    a.qmin = trial % 3 == 0 ? rand_int(0, 100) : 0;
    a.qmax = trial % 4 == 0 ? rand_int(a.qmin, 255) : 255;
    IntegerAdd p;
    if (!find_integer_add(a, &p)) continue;
    ++found;
    CHECK(p.on);
    const std::vector<uint8_t> ref = all_pairs_add(a);
    BinaryArgs swapped = a;
    std::swap(swapped.za, swapped.zb);
    std::swap(swapped.sa, swapped.sb);
    const std::vector<uint8_t> ref_swapped = all_pairs_add(swapped);
    IntegerAdd ps = p;
    std::swap(ps.ma, ps.mb);
    int wrong = 0;
    for (int x = 0; x < 256; ++x)
      for (int y = 0; y < 256; ++y) {
        wrong += integer_add_byte(a, p, x, y) != ref[x * 256 + y];
        wrong += integer_add_byte(swapped, ps, y, x) != ref_swapped[y * 256 + x];
      }
    CHECK(wrong == 0);
  }
  CHECK(found >= trials * 3 / 4);
  BinaryArgs tie{};  // v = (a + b) / 2: odd sums end in .5 exactly, rounded to even
  tie.sa = tie.sb = 0.5f;
  tie.sy = 1.0f;
  tie.qmax = 255;
  IntegerAdd p;
  CHECK(!find_integer_add(tie, &p));
  CHECK(!p.on);
}

// kernels.h corrected_quotient is the correctly rounded quotient on values where the plain
// product is not: v = 1.5 by the scale 0x1.fffffep0, for which v * RN(1 / s) is 1.25 ulp from v / s.
TEST_CASE("corrected_quotient_reference_values") {
  const float s = 0x1.fffffep0f, r = 1.0f / s;
  for (float v : {1.5f, 0x1.800002p0f, 3.0f, 1.0f, 255.5f}) {
    CHECK(corrected_quotient(v, s, r) == v / s);
    CHECK(corrected_quotient(-v, s, r) == -v / s);
  }
  CHECK(1.5f * r != 1.5f / s);  // the uncorrected product differs here
}

ISA_TEST(add_near_ties_matches_scalar) { compare_binary_near_ties(t, false); }
ISA_TEST(mul_near_ties_matches_scalar) { compare_binary_near_ties(t, true); }

TEST_CASE("lut_reference_values") {
  uint8_t table[512];
  for (int i = 0; i < 256; ++i) {
    table[i] = static_cast<uint8_t>(255 - i);
    table[256 + i] = static_cast<uint8_t>(i / 2);
  }
  const uint8_t in[4] = {0, 200, 255, 9};
  uint8_t out[4] = {};
  LutArgs a{in, out, 2, table, true};
  scalar_table().lut(a, 0, 2);
  CHECK(+out[0] == 255);
  CHECK(+out[1] == 100);
  CHECK(+out[2] == 0);
  CHECK(+out[3] == 4);
}

ISA_TEST(lut_matches_scalar) {
  // Every byte value through a per-tensor table, at every alignment / length 0..70.
  {
    std::vector<uint8_t> table = testing::rand_vec<uint8_t>(256, 0, 255);
    std::vector<uint8_t> in(256 + 80);
    for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<uint8_t>(i * 7 + 3);
    for (int len = 0; len <= 70; ++len) {
      auto ref = kt::out_buffer(in.size()), got = kt::out_buffer(in.size());
      LutArgs a{in.data(), ref.data(), 1, table.data(), false};
      scalar_table().lut(a, 3, 3 + 256 + len);
      a.out = got.data();
      t.lut(a, 3, 3 + 256 + len);
      CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), "per-tensor lut, length " + std::to_string(256 + len));
    }
  }
  for (int i = 0; i < 300; ++i) {
    const int C = rand_int(1, 70);
    const size_t pixels = static_cast<size_t>(rand_int(1, 100));
    const size_t pb = static_cast<size_t>(rand_int(0, static_cast<int>(pixels) - 1));
    const size_t pe = static_cast<size_t>(rand_int(static_cast<int>(pb) + 1, static_cast<int>(pixels)));
    const bool per_channel = rand_int(0, 1);
    std::vector<uint8_t> table = testing::rand_vec<uint8_t>(per_channel ? 256 * C : 256, 0, 255);
    std::vector<uint8_t> in = testing::rand_vec<uint8_t>(pixels * C, 0, 255);
    auto ref = kt::out_buffer(pixels * C), got = kt::out_buffer(pixels * C);
    LutArgs a{in.data(), ref.data(), C, table.data(), per_channel};
    scalar_table().lut(a, pb, pe);
    a.out = got.data();
    t.lut(a, pb, pe);
    std::ostringstream os;
    os << "lut C " << C << " per_channel " << per_channel << " pixels [" << pb << "," << pe << ")";
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
  }
}

TEST_CASE("copy_channels_reference_values") {
  const uint8_t in[4] = {1, 2, 3, 4};  // 2 pixels x 2 channels
  uint8_t out[10];
  for (auto& v : out) v = 0xEE;
  CopyChannelsArgs a{in, 2, out, 5, 1, nullptr};
  scalar_table().copy_channels(a, 0, 2);
  const uint8_t want[10] = {0xEE, 1, 2, 0xEE, 0xEE, 0xEE, 3, 4, 0xEE, 0xEE};
  CHECK_BYTES_EQ(want, out, 10, "copy_channels");
}

ISA_TEST(copy_channels_matches_scalar) {
  for (int i = 0; i < 300; ++i) {
    const int C = rand_int(1, 70);
    const int offset = rand_int(0, 1) ? 0 : rand_int(0, 40);
    const int stride = rand_int(0, 3) == 0 && offset == 0 ? C : C + offset + rand_int(0, 40);
    const size_t pixels = static_cast<size_t>(rand_int(1, 150));
    const size_t pb = static_cast<size_t>(rand_int(0, static_cast<int>(pixels) - 1));
    const size_t pe = static_cast<size_t>(rand_int(static_cast<int>(pb) + 1, static_cast<int>(pixels)));
    std::vector<uint8_t> in = testing::rand_vec<uint8_t>(pixels * C, 0, 255);
    std::vector<uint8_t> table = testing::rand_vec<uint8_t>(256, 0, 255);
    const bool use_lut = rand_int(0, 1);
    auto ref = kt::out_buffer(pixels * stride), got = kt::out_buffer(pixels * stride);
    CopyChannelsArgs a{in.data(), C, ref.data(), stride, offset, use_lut ? table.data() : nullptr};
    scalar_table().copy_channels(a, pb, pe);
    a.out = got.data();
    t.copy_channels(a, pb, pe);
    std::ostringstream os;
    os << "copy_channels C " << C << " stride " << stride << " offset " << offset << " lut " << use_lut;
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
  }
}

TEST_CASE("argmax_reference_values") {
  const uint8_t in[9] = {3, 7, 7, 9, 9, 1, 0, 0, 0};
  uint8_t labels[3] = {};
  ArgmaxArgs a{in, 3, labels};
  scalar_table().argmax(a, 0, 3);
  CHECK(+labels[0] == 1);  // first of the equal maxima
  CHECK(+labels[1] == 0);
  CHECK(+labels[2] == 0);
}

ISA_TEST(argmax_matches_scalar) {
  for (int i = 0; i < 600; ++i) {
    const int C = i < 256 ? i + 1 : rand_int(1, 256);
    const size_t pixels = static_cast<size_t>(rand_int(1, 64));
    const size_t pb = static_cast<size_t>(rand_int(0, static_cast<int>(pixels) - 1));
    // Narrow ranges make repeated maxima (first index wins) common; 0 and 255 extremes included.
    const int range = rand_int(0, 3);
    const int lo = range == 0 ? 0 : (range == 1 ? 252 : 0), hi = range == 0 ? 3 : (range == 1 ? 255 : 255);
    std::vector<uint8_t> in = testing::rand_vec<uint8_t>(pixels * C, lo, hi);
    auto ref = kt::out_buffer(pixels), got = kt::out_buffer(pixels);
    ArgmaxArgs a{in.data(), C, ref.data()};
    scalar_table().argmax(a, pb, pixels);
    a.labels = got.data();
    t.argmax(a, pb, pixels);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), "argmax C " + std::to_string(C));
  }
}
