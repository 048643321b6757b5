// Resize: axis tables (ONNX coordinate / nearest modes, the image axis, the label index table)
// against hand-computed values, a hand-computed bilinear pixel, then every SIMD table against
// the scalar reference in every mode, up- and down-scaling, every channel count up to 20.
#include <cmath>
#include <limits>
#include <sstream>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;
using testing::rand_int;

namespace {
enum { kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric };
enum { kRoundPreferFloor, kRoundPreferCeil, kFloor, kCeil };

// Image axes: indices and the integer weight of i1.
void check_axis(const ResizeAxis& ax, std::vector<int32_t> i0, std::vector<int32_t> i1, std::vector<int16_t> w) {
  CHECK(ax.i0 == i0);
  CHECK(ax.i1 == i1);
  CHECK(ax.w == w);
}
// Linear resize axes: indices and the float weights w0 (of i0) and w1 (of i1), compared exactly.
void check_linear(const ResizeAxis& ax, std::vector<int32_t> i0, std::vector<int32_t> i1, std::vector<float> w0,
                  std::vector<float> w1) {
  CHECK(ax.i0 == i0);
  CHECK(ax.i1 == i1);
  CHECK(ax.w0 == w0);
  CHECK(ax.w1 == w1);
}
// Nearest axes: indices only (i1 == i0), no weights.
void check_nearest(const ResizeAxis& ax, std::vector<int32_t> i0) {
  CHECK(ax.i0 == i0);
  CHECK(ax.i1 == i0);
  CHECK(ax.w0.empty());
  CHECK(ax.w1.empty());
}
}  // namespace

TEST_CASE("resize_axis_reference_values") {
  ResizeAxis ax;
  // half_pixel linear 2 -> 4: x = (d + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to [0, 1].
  // w1 = |x - i0|, w0 = |x - i1|; the last clamps to i0 == i1 = 1: 0.5 / 0.5 as ONNX Runtime.
  build_resize_axis(2, 4, 0.0f, kHalfPixel, 0, true, &ax);
  check_linear(ax, {0, 0, 0, 1}, {1, 1, 1, 1}, {1.0f, 0.75f, 0.25f, 0.5f}, {0.0f, 0.25f, 0.75f, 0.5f});
  // align_corners linear 3 -> 5: x = d * 2 / 4 = 0, 0.5, 1, 1.5, 2.
  build_resize_axis(3, 5, 0.0f, kAlignCorners, 0, true, &ax);
  check_linear(ax, {0, 0, 1, 1, 2}, {1, 1, 2, 2, 2}, {1.0f, 0.5f, 1.0f, 0.5f, 0.5f}, {0.0f, 0.5f, 0.0f, 0.5f, 0.5f});
  // pytorch_half_pixel with one output: coordinate 0.
  build_resize_axis(7, 1, 0.0f, kPytorchHalfPixel, 0, true, &ax);
  check_linear(ax, {0}, {1}, {1.0f}, {0.0f});
  // half_pixel with one output: x = 0.5 / (1/7.f) - 0.5 is 3 - 2^-22 in single precision (as in
  // ONNX Runtime), so i0 = 2, w1 = 1 - 2^-22, w0 = 2^-22.
  build_resize_axis(7, 1, 0.0f, kHalfPixel, 0, true, &ax);
  check_linear(ax, {2}, {3}, {std::ldexp(1.0f, -22)}, {1.0f - std::ldexp(1.0f, -22)});
  // half_pixel 4 -> 2: x = 0.5, 2.5 exactly.
  build_resize_axis(4, 2, 0.0f, kHalfPixel, 0, true, &ax);
  check_linear(ax, {0, 2}, {1, 3}, {0.5f, 0.5f}, {0.5f, 0.5f});
  // asymmetric linear with an explicit scale 2.5 (out 5 from in 2): x = d / 2.5f = 0, 0.4f, 0.8f,
  // 1.2f -> 1, 1.6f -> 1 (the last two clamp to i0 == i1 = 1).
  build_resize_axis(2, 5, 2.5f, kAsymmetric, 0, true, &ax);
  check_linear(ax, {0, 0, 0, 1, 1}, {1, 1, 1, 1, 1}, {1.0f, 1.0f - 0.4f, 1.0f - 0.8f, 0.5f, 0.5f},
               {0.0f, 0.4f, 0.8f, 0.5f, 0.5f});
  // scale 1 uses the output index itself (as ONNX Runtime), whatever the coordinate mode.
  build_resize_axis(3, 3, 0.0f, kAlignCorners, 0, true, &ax);
  check_linear(ax, {0, 1, 2}, {1, 2, 2}, {1.0f, 1.0f, 0.5f}, {0.0f, 0.0f, 0.5f});
  // nearest, half_pixel 2 -> 4 (x = -0.25, 0.25, 0.75, 1.25).
  build_resize_axis(2, 4, 0.0f, kHalfPixel, kRoundPreferFloor, false, &ax);
  check_nearest(ax, {0, 0, 1, 1});
  // nearest ties, asymmetric 2 -> 4 (x = 0, 0.5, 1, 1.5): prefer floor vs prefer ceil vs floor vs ceil.
  build_resize_axis(2, 4, 0.0f, kAsymmetric, kRoundPreferFloor, false, &ax);
  check_nearest(ax, {0, 0, 1, 1});
  build_resize_axis(2, 4, 0.0f, kAsymmetric, kRoundPreferCeil, false, &ax);
  check_nearest(ax, {0, 1, 1, 1});
  build_resize_axis(2, 4, 0.0f, kAsymmetric, kFloor, false, &ax);
  check_nearest(ax, {0, 0, 1, 1});
  build_resize_axis(3, 6, 0.0f, kAsymmetric, kCeil, false, &ax);  // x = 0, .5, 1, 1.5, 2, 2.5
  check_nearest(ax, {0, 1, 1, 2, 2, 2});
  // downscale nearest half_pixel 4 -> 2: x = 0.5, 2.5 -> prefer floor 0, 2.
  build_resize_axis(4, 2, 0.0f, kHalfPixel, kRoundPreferFloor, false, &ax);
  check_nearest(ax, {0, 2});
}

TEST_CASE("image_axis_reference_values") {
  ResizeAxis ax;
  // 4 -> 2: scale 2, src = (d + 0.5) * 2 - 0.5 = 0.5, 2.5.
  build_image_axis(4, 2, &ax);
  check_axis(ax, {0, 2}, {1, 3}, {1024, 1024});
  // 2 -> 4: scale 0.5, src = -0.25 -> 0, 0.25, 0.75, 1.25 (>= in - 1).
  build_image_axis(2, 4, &ax);
  check_axis(ax, {0, 0, 0, 1}, {1, 1, 1, 1}, {0, 512, 1536, 0});
  // identity: every weight 0.
  build_image_axis(5, 5, &ax);
  check_axis(ax, {0, 1, 2, 3, 4}, {1, 2, 3, 4, 4}, {0, 0, 0, 0, 0});
  // 3 -> 2: scale 1.5, src = 0.25, 1.75 -> w = floor(0.25 * 2048 + 0.5) = 512, 1536.
  build_image_axis(3, 2, &ax);
  check_axis(ax, {0, 1}, {1, 2}, {512, 1536});
  // 1 -> 3: a single source pixel.
  build_image_axis(1, 3, &ax);
  check_axis(ax, {0, 0, 0}, {0, 0, 0}, {0, 0, 0});
  // Every legal side at the same size is the identity (the SIMD preprocess relies on it).
  for (int n = 1; n <= 8192; ++n) {
    build_image_axis(n, n, &ax);
    bool identity = true;
    for (int d = 0; d < n; ++d) identity = identity && ax.i0[d] == d && ax.w[d] == 0;
    INFO("side " << n);
    CHECK(identity);
  }
}

TEST_CASE("label_index_table_reference_values") {
  std::vector<int32_t> t;
  label_index_table(2, 5, &t);  // (2d + 1) * 2 / 10
  CHECK(t == std::vector<int32_t>{0, 0, 1, 1, 1});
  label_index_table(5, 2, &t);  // (2d + 1) * 5 / 4 = 1, 3
  CHECK(t == std::vector<int32_t>{1, 3});
  label_index_table(8192, 8191, &t);
  CHECK(t.back() == 8191);
}

TEST_CASE("resize_linear_reference_values") {
  // 2x2 single channel, one output at the centre: every weight product 0.25.
  const uint8_t in[4] = {0, 100, 200, 255};
  ResizeAxis ax;
  ax.i0 = {0};
  ax.i1 = {1};
  ax.w0 = {0.5f};
  ax.w1 = {0.5f};
  uint8_t out[1] = {};
  ResizeArgs a{};
  a.in = in;
  a.in_h = a.in_w = 2;
  a.channels = 1;
  a.out_h = a.out_w = 1;
  a.ys = a.xs = &ax;
  a.in_scale = 1.0f;
  a.out_scale = 1.0f;
  a.out = out;
  scalar_table().resize_linear(a, 0, 1);
  CHECK(+out[0] == 139);  // 555 / 4 = 138.75
  // With zero points: X = -10, 90, 190, 245 -> 128.75; divided by the output scale 2: 64.375 -> 64; + 7.
  a.in_zp = 10;
  a.out_zp = 7;
  a.out_scale = 2.0f;
  scalar_table().resize_linear(a, 0, 1);
  CHECK(+out[0] == 71);
  // QuantizeLinear divides and rounds half to even: one neighbour with weight 1, values 10 and 14
  // at input scale 1 and output scale 4: 2.5 -> 2, 3.5 -> 4.
  ResizeAxis one;
  one.i0 = {0};
  one.i1 = {0};
  one.w0 = {1.0f};
  one.w1 = {0.0f};
  const uint8_t px[2] = {10, 14};
  uint8_t o2[2] = {};
  a.in = px;
  a.in_h = a.in_w = 1;
  a.channels = 2;
  a.ys = a.xs = &one;
  a.in_zp = a.out_zp = 0;
  a.out_scale = 4.0f;
  a.out = o2;
  scalar_table().resize_linear(a, 0, 1);
  CHECK(+o2[0] == 2);
  CHECK(+o2[1] == 4);
  // A 2 -> 4 half_pixel upscale of one row [0, 255]: 0, 63.75 -> 64, 191.25 -> 191, 255 (the
  // 1 -> 1 row axis has i0 == i1 and weights 0.5 / 0.5).
  ResizeAxis xs, ys;
  build_resize_axis(2, 4, 0.0f, kHalfPixel, 0, true, &xs);
  build_resize_axis(1, 1, 0.0f, kHalfPixel, 0, true, &ys);
  const uint8_t row[2] = {0, 255};
  uint8_t o4[4] = {};
  a.in = row;
  a.in_h = 1;
  a.in_w = 2;
  a.channels = 1;
  a.out_w = 4;
  a.xs = &xs;
  a.ys = &ys;
  a.out_scale = 1.0f;
  a.out = o4;
  scalar_table().resize_linear(a, 0, 1);
  CHECK(+o4[0] == 0);
  CHECK(+o4[1] == 64);
  CHECK(+o4[2] == 191);
  CHECK(+o4[3] == 255);
}

namespace {

// An output scale: one that makes exact .5 ties common (kt::tie_scale's), or one of 16 random
// significands at a random power of two: few significands, as the corrected quotient's check
// runs every significand of v per significand of the scale (and must stay quick under qemu).
float out_scale() {
  static const float ties[] = {0.5f, 0.25f, 1.0f, 2.0f, 0.125f, 1.5f};
  static const std::vector<float> random = [] {
    std::vector<float> v;
    for (int i = 0; i < 16; ++i) v.push_back(testing::rand_float(1.0f, 2.0f));
    return v;
  }();
  const int i = rand_int(0, 7);
  return i < 6 ? ties[i] : std::ldexp(random[rand_int(0, 15)], rand_int(-7, 1));
}

// Completes a (sizes and channels set) with axes for the coordinate mode, random quantization,
// random input and, for nearest with `maybe_lut`, sometimes a requantization table; runs the
// scalar table whole and t over split row ranges, and compares the bytes.
void check_against_scalar(const KernelTable& t, ResizeArgs a, bool linear, int coord, int nmode, float sh, float sw,
                          bool maybe_lut) {
  ResizeAxis ys, xs;
  build_resize_axis(a.in_h, a.out_h, sh, coord, nmode, linear, &ys);
  build_resize_axis(a.in_w, a.out_w, sw, coord, nmode, linear, &xs);
  a.ys = &ys;
  a.xs = &xs;
  a.in_zp = rand_int(0, 255);
  a.out_zp = rand_int(0, 255);
  a.in_scale = kt::tie_scale();
  a.out_scale = out_scale();
  std::vector<uint8_t> in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * a.channels, 0, 255);
  a.in = in.data();
  std::vector<uint8_t> lut;
  if (maybe_lut && !linear && rand_int(0, 1)) {
    lut = testing::rand_vec<uint8_t>(256, 0, 255);
    a.lut = lut.data();
  }
  std::ostringstream os;
  os << (linear ? "linear" : "nearest") << " " << a.in_h << "x" << a.in_w << " -> " << a.out_h << "x" << a.out_w
     << " C " << a.channels << " coord " << coord << " nearest " << nmode << " zp " << a.in_zp << "/" << a.out_zp
     << " scales " << a.in_scale << "/" << a.out_scale << " lut " << (a.lut != nullptr);
  const size_t n = static_cast<size_t>(a.out_h) * a.out_w * a.channels;
  auto ref = kt::out_buffer(n);
  a.out = ref.data();
  (linear ? scalar_table().resize_linear : scalar_table().resize_nearest)(a, 0, a.out_h);
  // Linear: with the division, then with the corrected quotient, which the plan's check admits
  // for every scale drawn here.
  if (linear) CHECK(resize_corrected_quotient_exact(a.in_scale, a.out_scale));
  for (Quotient q : {Quotient::Division, Quotient::Corrected}) {
    if (q == Quotient::Corrected && !linear) break;
    auto got = kt::out_buffer(n);
    a.out = got.data();
    a.quotient = q;
    kt::split_range(a.out_h, [&](int b, int e) { (linear ? t.resize_linear : t.resize_nearest)(a, b, e); });
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str() + (q == Quotient::Corrected ? " corrected" : ""));
  }
}

void compare_resize(const KernelTable& t, bool linear, int cases) {
  for (int i = 0; i < cases; ++i) {
    ResizeArgs a{};
    a.channels = rand_int(1, 70);
    do {
      a.in_h = rand_int(1, 40);
      a.in_w = rand_int(1, 40);
      a.out_h = rand_int(1, 40);
      a.out_w = rand_int(1, 40);
      if (rand_int(0, 3) == 0) {  // integer factor up / down
        const int f = rand_int(2, 4);
        if (rand_int(0, 1)) {
          a.out_h = a.in_h * f;
          a.out_w = a.in_w * f;
        } else {
          a.in_h = a.out_h * f;
          a.in_w = a.out_w * f;
        }
      }
    } while ((a.in_h * a.in_w + a.out_h * a.out_w) * a.channels > 40000);
    const int coord = rand_int(0, 3), nmode = rand_int(0, 3);
    // Sometimes an explicit ONNX scale that differs slightly from out / in.
    const bool explicit_scale = rand_int(0, 3) == 0;
    const float sh = explicit_scale ? static_cast<float>(a.out_h) / a.in_h * 1.01f : 0.0f;
    const float sw = explicit_scale ? static_cast<float>(a.out_w) / a.in_w * 0.99f : 0.0f;
    check_against_scalar(t, a, linear, coord, nmode, sh, sw, true);
  }
}

// Long rows: around 4096 values, and up to 24000 (a 60-pixel row of 96 channels has 5760), all
// through the NEON linear kernel's dequantized rows, which grow to the row.
void compare_long_rows(const KernelTable& t) {
  for (int i = 0; i < 8; ++i) {
    ResizeArgs a{};
    a.channels = rand_int(4, 100);
    a.in_w = (i < 4 ? (i % 2 ? 4097 : 4000) : 6000 * (i - 3)) / a.channels + rand_int(0, 3);
    a.in_h = rand_int(1, 4);
    a.out_w = rand_int(1, 2 * a.in_w);
    a.out_h = rand_int(1, 8);
    check_against_scalar(t, a, true, kHalfPixel, 0, 0.0f, 0.0f, false);
  }
}

// Nearest or linear resize of C channels from in_h x in_w to out_h x out_w.
struct Size {
  int in_h, in_w, out_h, out_w;
};
ResizeArgs args_of(int C, const Size& sz) {
  ResizeArgs a{};
  a.channels = C;
  a.in_h = sz.in_h;
  a.in_w = sz.in_w;
  a.out_h = sz.out_h;
  a.out_w = sz.out_w;
  return a;
}

// Every channel count 1..20 (dense flat rows below 16 channels, per-pixel blocks above) on odd
// widths, up- and down-scaling by integer and other factors, in each coordinate mode.
void compare_channel_counts(const KernelTable& t) {
  const Size sizes[] = {{3, 5, 12, 20}, {7, 9, 14, 27}, {5, 11, 13, 31}, {12, 21, 6, 7},
                        {9, 17, 4, 5},  {1, 3, 3, 1},   {2, 1, 5, 7},    {4, 13, 4, 13}};
  for (int C = 1; C <= 20; ++C)
    for (const Size& sz : sizes)
      for (int coord = kHalfPixel; coord <= kAsymmetric; ++coord)
        check_against_scalar(t, args_of(C, sz), true, coord, 0, 0.0f, 0.0f, false);
}

// Channel counts from 16 up (per-pixel blocks) around the 16 and 64-lane vector widths and the
// network's widest (352), on odd widths and the network's half-pixel 2x and 4x upscales.
void compare_wide_channel_counts(const KernelTable& t, bool linear) {
  const Size sizes[] = {{3, 5, 6, 10}, {2, 7, 8, 28}, {5, 3, 4, 7}, {1, 1, 2, 3}};
  const int counts[] = {16, 17, 31, 32, 33, 48, 63, 64, 65, 96, 127, 128, 129, 352};
  for (int C : counts)
    for (const Size& sz : sizes) check_against_scalar(t, args_of(C, sz), linear, kHalfPixel, 0, 0.0f, 0.0f, true);
}

// resize_linear_argmax against the reference (scalar resize_linear, then argmax): the labels
// only; a.out is scratch. Inputs are class maps: blocks of source pixels share a winner, each
// pixel ahead of the others by its own margin of 0..3 in a narrow band of values, so skippable
// pixels, near-ties and exact ties all occur; the quantization is mostly equal in and out (where
// pixels may be skipped). With confidence, its bytes too (no pixel may then be skipped).
void compare_resize_argmax(const KernelTable& t, int cases, bool with_confidence) {
  for (int i = 0; i < cases; ++i) {
    ResizeArgs a{};
    a.channels = rand_int(0, 3) ? rand_int(2, 15) : rand_int(1, 40);
    a.in_h = rand_int(1, 24);
    a.in_w = rand_int(1, 24);
    const int f = rand_int(1, 4);
    a.out_h = rand_int(0, 2) ? a.in_h * f : rand_int(1, 60);
    a.out_w = rand_int(0, 2) ? a.in_w * f : rand_int(1, 60);
    const int coord = rand_int(0, 3);
    ResizeAxis ys, xs;
    build_resize_axis(a.in_h, a.out_h, 0.0f, coord, 0, true, &ys);
    build_resize_axis(a.in_w, a.out_w, 0.0f, coord, 0, true, &xs);
    a.ys = &ys;
    a.xs = &xs;
    a.in_zp = rand_int(0, 255);
    a.in_scale = out_scale();
    const bool same_q = rand_int(0, 4) != 0;
    a.out_zp = same_q ? a.in_zp : rand_int(0, 255);
    a.out_scale = same_q ? a.in_scale : out_scale();
    const int C = a.channels, base = rand_int(0, 250), bs = rand_int(1, 4);
    const std::vector<uint8_t> winners = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h + 4) * (a.in_w + 4), 0, C - 1);
    std::vector<uint8_t> in(static_cast<size_t>(a.in_h) * a.in_w * C);
    for (int y = 0; y < a.in_h; ++y)
      for (int x = 0; x < a.in_w; ++x) {
        const size_t p = static_cast<size_t>(y) * a.in_w + x;
        const int winner = winners[static_cast<size_t>(y / bs) * (a.in_w + 4) + x / bs], margin = rand_int(0, 3);
        for (int c = 0; c < C; ++c) in[p * C + c] = static_cast<uint8_t>(base + rand_int(0, 2));
        in[p * C + winner] = static_cast<uint8_t>(std::min(255, base + 2 + margin));
      }
    a.in = in.data();
    std::ostringstream os;
    os << "resize_linear_argmax " << a.in_h << "x" << a.in_w << " -> " << a.out_h << "x" << a.out_w << " C " << C
       << " coord " << coord << " zp " << a.in_zp << "/" << a.out_zp << " scales " << a.in_scale << "/" << a.out_scale;
    const size_t pixels = static_cast<size_t>(a.out_h) * a.out_w;
    std::vector<uint8_t> out(pixels * C);
    auto ref = kt::out_buffer(pixels), got = kt::out_buffer(pixels);
    auto ref_c = kt::out_buffer(pixels), got_c = kt::out_buffer(pixels);
    uint32_t softmax[256];
    build_softmax_table(a.out_scale, softmax);
    uint8_t* rc = with_confidence ? ref_c.data() : nullptr;
    uint8_t* gc = with_confidence ? got_c.data() : nullptr;
    a.out = out.data();
    scalar_table().resize_linear_argmax(ResizeArgmaxArgs{a, ref.data(), rc, softmax}, 0, a.out_h);
    CHECK(resize_corrected_quotient_exact(a.in_scale, a.out_scale));
    for (Quotient q : {Quotient::Division, Quotient::Corrected}) {
      a.quotient = q;
      std::fill(out.begin(), out.end(), 0x5A);  // stale values the kernel must not rely on
      std::fill(got.begin(), got.end(), 0xA5);
      std::fill(got_c.begin(), got_c.end(), 0xA5);
      kt::split_range(a.out_h, [&](int b, int e) { t.resize_linear_argmax(ResizeArgmaxArgs{a, got.data(), gc, softmax}, b, e); });
      const std::string desc = os.str() + (q == Quotient::Corrected ? " corrected" : "");
      CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), desc);
      CHECK_BYTES_EQ(ref_c.data(), got_c.data(), ref_c.size(), desc + " confidence");
    }
  }
}

}  // namespace

TEST_CASE("resize_linear_argmax_reference_is_resize_then_argmax") {
  const uint8_t in[] = {10, 20, 30, 5, 7, 9, 40, 1, 1, 1, 1, 90};  // 2x2 pixels, 3 channels
  ResizeAxis ys, xs;
  build_resize_axis(2, 3, 0.0f, kHalfPixel, 0, true, &ys);
  build_resize_axis(2, 3, 0.0f, kHalfPixel, 0, true, &xs);
  uint8_t out[27], want_out[27], labels[9], want[9];
  ResizeArgs a{in, 2, 2, 3, 3, 3, &ys, &xs, 0.1f, 0, 0.1f, 0, nullptr, want_out};
  scalar_table().resize_linear(a, 0, 3);
  scalar_table().argmax(ArgmaxArgs{want_out, 3, want}, 0, 9);
  a.out = out;
  scalar_table().resize_linear_argmax(ResizeArgmaxArgs{a, labels}, 0, 3);
  CHECK_BYTES_EQ(want, labels, 9, "labels");
  CHECK(+labels[0] == 2);  // the first pixel is the first source pixel's: channel 2 (30)
  CHECK(+labels[8] == 2);  // the last is the last source pixel's: channel 2 (90)
}

ISA_TEST(resize_linear_argmax_matches_scalar) { compare_resize_argmax(t, 600, false); }
ISA_TEST(resize_linear_argmax_confidence_matches_scalar) { compare_resize_argmax(t, 400, true); }

// Few pixels without a certain label, computed one by one: one channel well ahead everywhere but
// at isolated source pixels (a tie at the top), some in the last column (the last row's too), so
// that the last output pixels of rows, and of the tensor, are among those computed; their values
// must not be written past the tensor (guard bytes after it). 2x and 3x half-pixel, as the network's final upsampling.
ISA_TEST(resize_linear_argmax_sparse_unsure_matches_scalar) {
  for (int C : {2, 3, 7, 8, 11, 15})
    for (int f : {2, 3}) {
      ResizeArgs a{};
      a.channels = C;
      a.in_h = 9;
      a.in_w = 13;
      a.out_h = a.in_h * f;
      a.out_w = a.in_w * f;
      ResizeAxis ys, xs;
      build_resize_axis(a.in_h, a.out_h, 0.0f, kHalfPixel, 0, true, &ys);
      build_resize_axis(a.in_w, a.out_w, 0.0f, kHalfPixel, 0, true, &xs);
      a.ys = &ys;
      a.xs = &xs;
      a.in_zp = a.out_zp = 10;
      a.in_scale = a.out_scale = 0.25f;
      std::vector<uint8_t> in(static_cast<size_t>(a.in_h) * a.in_w * C);
      for (int y = 0; y < a.in_h; ++y)
        for (int x = 0; x < a.in_w; ++x) {
          uint8_t* p = in.data() + (static_cast<size_t>(y) * a.in_w + x) * C;
          for (int c = 0; c < C; ++c) p[c] = static_cast<uint8_t>(40 + rand_int(0, 2));
          p[0] = 120;
          if ((x == a.in_w - 1 && (y % 3 == 1 || y == a.in_h - 1)) || rand_int(0, 15) == 0) p[1] = 120;  // a tie
        }
      a.in = in.data();
      const size_t pixels = static_cast<size_t>(a.out_h) * a.out_w;
      auto out = kt::out_buffer(pixels * C), ref = kt::out_buffer(pixels), got = kt::out_buffer(pixels);
      a.out = out.data();
      scalar_table().resize_linear_argmax(ResizeArgmaxArgs{a, ref.data()}, 0, a.out_h);
      std::fill(out.begin(), out.end(), 0xA5);
      kt::split_range(a.out_h, [&](int b, int e) { t.resize_linear_argmax(ResizeArgmaxArgs{a, got.data()}, b, e); });
      std::ostringstream os;
      os << "C " << C << " x" << f;
      CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
      const std::vector<uint8_t> guard(kt::kGuard, 0xA5);
      CHECK_BYTES_EQ(guard.data(), out.data() + pixels * C, guard.size(), os.str() + " guard after the values");
    }
}

ISA_TEST(resize_nearest_matches_scalar) {
  compare_resize(t, false, 300);
  compare_wide_channel_counts(t, false);
}
ISA_TEST(resize_linear_matches_scalar) {
  compare_resize(t, true, 300);
  compare_long_rows(t);
  compare_channel_counts(t);
  compare_wide_channel_counts(t, true);
}

// Quotients past int32, where x86's conversion would give INT_MIN (byte 0) without the clamp at
// 65536 that the kernels leave out only under resize_quotient_bounded: an output scale 2^24 times
// finer than the input's puts v / out_scale up to 255 * 2^24. Dense rows (11 channels) and
// per-pixel blocks (64), 2x half-pixel as the network's, and an odd size.
ISA_TEST(resize_linear_quotients_past_int32_match_scalar) {
  for (int C : {11, 64})
    for (const Size& sz : {Size{6, 7, 12, 14}, Size{5, 9, 13, 20}}) {
      ResizeArgs a = args_of(C, sz);
      ResizeAxis ys, xs;
      build_resize_axis(a.in_h, a.out_h, 0.0f, kHalfPixel, 0, true, &ys);
      build_resize_axis(a.in_w, a.out_w, 0.0f, kHalfPixel, 0, true, &xs);
      a.ys = &ys;
      a.xs = &xs;
      a.in_zp = 0;
      a.out_zp = rand_int(0, 255);
      a.in_scale = 1.0f;
      a.out_scale = 0x1p-24f;
      CHECK(!resize_quotient_bounded(a));
      std::vector<uint8_t> in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * C, 0, 255);
      a.in = in.data();
      const size_t n = static_cast<size_t>(a.out_h) * a.out_w * C;
      auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
      a.out = ref.data();
      scalar_table().resize_linear(a, 0, a.out_h);
      a.out = got.data();
      kt::split_range(a.out_h, [&](int b, int e) { t.resize_linear(a, b, e); });
      std::ostringstream os;
      os << "C " << C << " " << sz.in_h << "x" << sz.in_w << " -> " << sz.out_h << "x" << sz.out_w;
      CHECK_BYTES_EQ(ref.data(), got.data(), n, os.str());
    }
}

TEST_CASE("resize_quotient_bounded_limits") {
  ResizeArgs a{};
  a.in_scale = 1.0f;
  a.out_scale = 0x1p-20f;
  CHECK(resize_quotient_bounded(a));
  a.out_scale = 0x1.fffffep-21f;
  CHECK(!resize_quotient_bounded(a));
  a.out_scale = 0.0f;
  CHECK(!resize_quotient_bounded(a));
  a.out_scale = 1.0f;
  a.in_scale = std::numeric_limits<float>::infinity();
  CHECK(!resize_quotient_bounded(a));
}

namespace {

// A random float of the given sign-less magnitude range [2^lo, 2^hi), uniform in the exponent.
float log_uniform(int lo, int hi) {
  return std::ldexp(testing::rand_float(1.0f, 2.0f), rand_int(lo, hi - 1));
}

// An output scale: a full 24-bit significand, one with few bits (so that (k + 0.5) * s is exact
// and v / s is an exact tie), or a significand next to 1 or 2 (the reciprocal's worst roundings).
float adversarial_scale(int lo, int hi) {
  const int e = rand_int(lo, hi - 1);
  switch (rand_int(0, 3)) {
    case 0: return std::ldexp(static_cast<float>(rand_int(1, 4095)) / 4096.0f + 1.0f, e);
    case 1: return std::ldexp(2.0f - static_cast<float>(rand_int(1, 64)) * 0x1p-23f, e);
    case 2: return std::ldexp(1.0f + static_cast<float>(rand_int(1, 64)) * 0x1p-23f, e);
    default: return log_uniform(lo, hi);
  }
}

}  // namespace

// kernels.h "Quotients by a reciprocal": the check admits every scale in its range and refuses
// the others; for admitted scales, corrected_quotient equals the division on millions of v in
// every binade the Resize can form (the check itself only runs v in [1, 2)): near ties
// (k + 0.5) * s, random values, and tiny ones, which must at least round to the same integer.
TEST_CASE("resize_corrected_quotient_equals_division") {
  CHECK(!resize_corrected_quotient_exact(1.0f, 0x1p-61f));
  CHECK(!resize_corrected_quotient_exact(1.0f, 0x1p61f));
  CHECK(!resize_corrected_quotient_exact(1.0f, 1e-40f));
  CHECK(!resize_corrected_quotient_exact(1.0f, std::nanf("")));
  CHECK(!resize_corrected_quotient_exact(0x1p95f, 0x1p-10f));  // |v| could pass 2^100 * s
  CHECK(!resize_corrected_quotient_exact(std::nanf(""), 1.0f));
  int64_t values = 0;
  for (int trial = 0; trial < 16; ++trial) {
    const float s = trial == 0 ? 0x1.fffffep0f : adversarial_scale(-60, 60);
    const float in_scale = s * testing::rand_float(0.001f, 100.0f);
    CHECK(resize_corrected_quotient_exact(in_scale, s));
    const float r = 1.0f / s;
    const float vmax = 1024.0f * in_scale;
    for (int i = 0; i < 250000; ++i) {
      float v;
      const int kind = i % 4;
      if (kind == 0) {  // within a few ulps of a tie
        const float k = static_cast<float>(rand_int(0, 1 << rand_int(1, 24)));
        v = (k + 0.5f) * s;
        for (int j = rand_int(-3, 3); j != 0; j += j > 0 ? -1 : 1) v = std::nextafter(v, j > 0 ? 2 * v + 1 : -1.0f);
      } else if (kind == 1) {  // anywhere in the kernel's range
        v = vmax * testing::rand_float(0.0f, 1.0f);
      } else if (kind == 2) {  // a random significand in a random binade down to the tiny
        v = std::ldexp(testing::rand_float(1.0f, 2.0f), std::ilogb(vmax) - rand_int(0, 140));
      } else {  // next to s / 4, where the proof switches argument
        v = std::nextafter(s * 0.25f, rand_int(0, 1) ? 0.0f : s) * testing::rand_float(0.99f, 1.01f);
      }
      if (rand_int(0, 1)) v = -v;
      const float q = corrected_quotient(v, s, r), d = v / s;
      const bool ok = std::fabs(d) >= 0.25f ? q == d : std::nearbyint(q) == std::nearbyint(d);
      if (!ok) {
        std::ostringstream os;
        os << std::hexfloat << "v " << v << " s " << s << ": " << q << " != " << d;
        FAIL_CHECK(os.str());
        return;
      }
      ++values;
    }
  }
  CHECK(values == 16 * 250000);
}

// The SIMD kernels' quotient itself: a 1x1 source whose channels are +-X, upsampled to thousands
// of columns whose x weights are chosen values alpha (the other weights 0), so that v = alpha * X
// exactly and each output value is round(v / out_scale) of a chosen v: values a few ulps from the
// ties (k + 0.5) * out_scale (exact ties where the scale has few significant bits) and random
// ones, at input scales from 2^-40 to 2^40; the dense path (5 channels) and the per-pixel blocks
// (8, 16). Every table with the corrected quotient against the scalar division.
ISA_TEST(resize_linear_corrected_near_ties_matches_scalar) {
  std::vector<float> scales;  // significands for the check, which runs per significand
  for (int i = 0; i < 12; ++i) scales.push_back(adversarial_scale(0, 1));
  int64_t values = 0;
  for (int trial = 0; trial < 90; ++trial) {
    const int C = trial % 3 == 0 ? 5 : (trial % 3 == 1 ? 8 : 16);
    const int j = rand_int(-40, 40);
    const float s = std::ldexp(scales[trial % 12], rand_int(-12, -9));  // (k + 0.5) * s <= 1 for k < 128
    std::vector<float> alpha;
    for (int k = 0; k < 128; ++k)
      for (int u = -3; u <= 3; ++u) {
        float v = (static_cast<float>(k) + 0.5f) * s;
        for (int m = u; m != 0; m += m > 0 ? -1 : 1) v = std::nextafter(v, m > 0 ? 2.0f : 0.0f);
        alpha.push_back(std::min(v, 1.0f));
      }
    while (alpha.size() < 4096) alpha.push_back(testing::rand_float(0.0f, 1.0f));
    ResizeAxis ys, xs;
    ys.i0.assign(1, 0);
    ys.i1.assign(1, 0);
    ys.w0 = {1.0f};
    ys.w1 = {0.0f};
    xs.i0.assign(alpha.size(), 0);
    xs.i1.assign(alpha.size(), 0);
    xs.w0 = alpha;
    xs.w1.assign(alpha.size(), 0.0f);
    std::vector<uint8_t> in(static_cast<size_t>(C));
    for (int c = 0; c < C; ++c) in[c] = c % 2 ? 127 : 129;  // X = -+2^j with in_zp 128
    ResizeArgs a{};
    a.in = in.data();
    a.in_h = a.in_w = 1;
    a.channels = C;
    a.out_h = 1;
    a.out_w = static_cast<int>(alpha.size());
    a.ys = &ys;
    a.xs = &xs;
    a.in_scale = std::ldexp(1.0f, j);
    a.in_zp = 128;
    a.out_scale = std::ldexp(s, j);
    a.out_zp = 128;
    CHECK(resize_corrected_quotient_exact(a.in_scale, a.out_scale));
    a.quotient = Quotient::Corrected;
    const size_t n = alpha.size() * C;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    a.out = ref.data();
    scalar_table().resize_linear(a, 0, 1);
    a.out = got.data();
    t.resize_linear(a, 0, 1);
    std::ostringstream os;
    os << std::hexfloat << "C " << C << " scales " << a.in_scale << "/" << a.out_scale;
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), os.str());
    values += static_cast<int64_t>(n);
  }
  CHECK(values > 2000000);
}
