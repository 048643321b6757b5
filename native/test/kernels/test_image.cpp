// Image stages: preprocess (every encoding), label map + colorize, overlay. Hand-computed
// colour conversions anchor the scalar reference; every SIMD table is compared with it on
// padded rows, odd widths, up- / down-scaling and identity sizes.
#include <algorithm>
#include <climits>
#include <sstream>
#include <string>

#include "attendseg/image.h"
#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg;
using namespace attendseg::kernels;
using testing::rand_int;

namespace {

const Encoding kEncodings[] = {Encoding::RGB8, Encoding::BGR8, Encoding::RGBA8, Encoding::BGRA8, Encoding::MONO8,
                               Encoding::UYVY, Encoding::YUYV, Encoding::NV21,  Encoding::NV24};

// Frame geometry as in native/src/image.cpp (restated: this test binary links only the kernels).
size_t frame_min_step(Encoding e, int w) {
  switch (e) {
    case Encoding::RGB8:
    case Encoding::BGR8: return 3 * static_cast<size_t>(w);
    case Encoding::RGBA8:
    case Encoding::BGRA8: return 4 * static_cast<size_t>(w);
    case Encoding::UYVY:
    case Encoding::YUYV: return (static_cast<size_t>(w) + 1) / 2 * 4;
    case Encoding::NV21: return (static_cast<size_t>(w) + 1) / 2 * 2;
    default: return static_cast<size_t>(w);
  }
}
size_t frame_bytes(Encoding e, int h, size_t step) {
  const size_t hh = static_cast<size_t>(h);
  if (e == Encoding::NV21) return step * hh + step * ((hh + 1) / 2);
  if (e == Encoding::NV24) return step * hh + 2 * step * hh;
  return step * hh;
}
const char* enc_name(Encoding e) {
  static const char* names[] = {"rgb8", "bgr8", "rgba8", "bgra8", "mono8", "uyvy", "yuyv", "nv21", "nv24"};
  return names[static_cast<int>(e)];
}

std::vector<uint8_t> identity_lut() {
  std::vector<uint8_t> lut(768);
  for (int i = 0; i < 768; ++i) lut[i] = static_cast<uint8_t>(i & 255);
  return lut;
}

// Runs the scalar preprocess at identity size with an identity table: the RGB of each pixel.
std::vector<uint8_t> to_rgb(const ImageView& im) {
  ResizeAxis xs, ys;
  build_image_axis(im.width, im.width, &xs);
  build_image_axis(im.height, im.height, &ys);
  const std::vector<uint8_t> lut = identity_lut();
  std::vector<uint8_t> out(static_cast<size_t>(im.width) * im.height * 3);
  PreprocessArgs a{im, im.width, im.height, &ys, &xs, lut.data(), out.data()};
  scalar_table().preprocess(a, 0, im.height);
  return out;
}

ImageView view(Encoding e, int w, int h, size_t step, const std::vector<uint8_t>& data) {
  ImageView v;
  v.encoding = e;
  v.width = w;
  v.height = h;
  v.step = step;
  v.data = data.data();
  v.size = data.size();
  return v;
}

}  // namespace

TEST_CASE("yuv_reference_values") {
  // UYVY, 2x1: (U, Y0, V, Y1) = (128, 235, 128, 16): white then black.
  std::vector<uint8_t> uyvy = {128, 235, 128, 16};
  std::vector<uint8_t> rgb = to_rgb(view(Encoding::UYVY, 2, 1, 4, uyvy));
  const uint8_t want[6] = {255, 255, 255, 0, 0, 0};
  CHECK_BYTES_EQ(want, rgb.data(), 6, "uyvy");
  // YUYV with the same pixels, and a saturated red: Y=81, U=90, V=240 (BT.601 video range red).
  std::vector<uint8_t> yuyv = {235, 128, 16, 128, 81, 90, 81, 240};
  rgb = to_rgb(view(Encoding::YUYV, 4, 1, 8, yuyv));
  CHECK_BYTES_EQ(want, rgb.data(), 6, "yuyv");
  // y = 65 * 1220542, u = -38, v = 112: R = (y + 2^19 + 1673527 * 112) >> 20 = 254;
  // G = (y + 2^19 - 852492 * 112 + 409993 * 38) >> 20 < 0 -> 0; B = (y + 2^19 - 2116026 * 38) >> 20 < 0 -> 0.
  const int32_t y = 65 * 1220542;
  CHECK(+rgb[6] == std::min(255, (y + (1 << 19) + 1673527 * 112) >> 20));
  CHECK(+rgb[7] == std::max(0, (y + (1 << 19) - 852492 * 112 + 409993 * 38) >> 20));
  CHECK(+rgb[8] == std::max(0, (y + (1 << 19) - 2116026 * 38) >> 20));
  CHECK(+rgb[6] == 254);
  CHECK(+rgb[7] == 0);
  CHECK(+rgb[8] == 0);
  // NV21 2x2 with padded step 3: Y plane then one V U pair.
  std::vector<uint8_t> nv21 = {235, 235, 9, 16, 235, 9, /*VU*/ 128, 128, 9};
  rgb = to_rgb(view(Encoding::NV21, 2, 2, 3, nv21));
  const uint8_t want21[12] = {255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255};
  CHECK_BYTES_EQ(want21, rgb.data(), 12, "nv21");
  // NV24 1x2 (step 1): Y = 235, 16; U V pairs at full resolution, row stride 2.
  std::vector<uint8_t> nv24 = {235, 16, 128, 128, 128, 128};
  rgb = to_rgb(view(Encoding::NV24, 1, 2, 1, nv24));
  CHECK_BYTES_EQ(want, rgb.data(), 6, "nv24");
  // bgr8 / bgra8 / mono8 orderings.
  std::vector<uint8_t> bgra = {1, 2, 3, 4};
  rgb = to_rgb(view(Encoding::BGRA8, 1, 1, 4, bgra));
  CHECK(+rgb[0] == 3);
  CHECK(+rgb[1] == 2);
  CHECK(+rgb[2] == 1);
  std::vector<uint8_t> mono = {77};
  rgb = to_rgb(view(Encoding::MONO8, 1, 1, 1, mono));
  CHECK(+rgb[0] == 77);
  CHECK(+rgb[2] == 77);
}

TEST_CASE("preprocess_reference_values") {
  // rgb8 2x2 -> 1x1: the mean of the four pixels per channel, then the table (here c * 0 + pix).
  std::vector<uint8_t> img = {0, 10, 255, 100, 10, 255, /*row 1*/ 200, 10, 0, 255, 11, 0};
  ResizeAxis xs, ys;
  build_image_axis(2, 1, &xs);
  build_image_axis(2, 1, &ys);
  const std::vector<uint8_t> lut = identity_lut();
  uint8_t out[3] = {};
  PreprocessArgs a{view(Encoding::RGB8, 2, 2, 6, img), 1, 1, &ys, &xs, lut.data(), out};
  scalar_table().preprocess(a, 0, 1);
  CHECK(+out[0] == 139);  // 555 / 4 = 138.75
  CHECK(+out[1] == 10);   // 41 / 4 = 10.25
  CHECK(+out[2] == 128);  // 510 / 4 = 127.5 rounds up ((v + 2^21) >> 22)
}

namespace {

struct Frame {
  std::vector<uint8_t> data;
  ImageView im;
};

Frame random_frame(Encoding e, int w, int h) {
  Frame f;
  const size_t step = frame_min_step(e, w) + (rand_int(0, 1) ? 0 : static_cast<size_t>(rand_int(1, 9)));
  f.data = testing::rand_vec<uint8_t>(frame_bytes(e, h, step), 0, 255);
  f.im = view(e, w, h, step, f.data);
  return f;
}

std::string frame_desc(const ImageView& im) {
  std::ostringstream os;
  os << enc_name(im.encoding) << " " << im.width << "x" << im.height << " step " << im.step;
  return os.str();
}

}  // namespace

namespace {

// A model's input table (build_input_lut) for a random normalisation and input quantization
// (the normalised range of the channels' extremes spread over most of the bytes, as a calibrated
// input is), with its integers where find_input_affine finds them.
struct InputTable {
  std::vector<uint8_t> lut = std::vector<uint8_t>(768);
  InputAffine affine;
  std::string desc;
};
InputTable random_input_table() {
  InputTable t;
  float mean[3], std_dev[3], lo = 0, hi = 0;
  for (int c = 0; c < 3; ++c) {
    mean[c] = testing::rand_float(0.0f, 1.0f);
    std_dev[c] = testing::rand_float(0.05f, 1.5f);
    lo = std::min(lo, -mean[c] / std_dev[c]);
    hi = std::max(hi, (1.0f - mean[c]) / std_dev[c]);
  }
  const float scale = (hi - lo) / testing::rand_float(150.0f, 300.0f);
  const int zp = std::clamp(static_cast<int>(-lo / scale) + rand_int(-20, 20), 0, 255);
  build_input_lut(mean, std_dev, scale, zp, t.lut.data());
  find_input_affine(t.lut.data(), &t.affine);
  std::ostringstream d;
  d << "mean " << mean[0] << " " << mean[1] << " " << mean[2] << " std " << std_dev[0] << " " << std_dev[1] << " "
    << std_dev[2] << " scale " << scale << " zp " << zp;
  t.desc = d.str();
  return t;
}

// Frame f preprocessed to nw x nh with table lut (a random one by default): table t (over split
// row ranges) against the reference.
void check_preprocess(const KernelTable& t, const Frame& f, int nw, int nh, const InputTable* table = nullptr) {
  ResizeAxis xs, ys;
  build_image_axis(f.im.width, nw, &xs);
  build_image_axis(f.im.height, nh, &ys);
  const std::vector<uint8_t> lut = table ? table->lut : testing::rand_vec<uint8_t>(768, 0, 255);
  const size_t n = static_cast<size_t>(nw) * nh * 3;
  auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
  PreprocessArgs a{f.im, nw, nh, &ys, &xs, lut.data(), ref.data(), table ? table->affine : InputAffine{}};
  scalar_table().preprocess(a, 0, nh);
  a.out = got.data();
  kt::split_range(nh, [&](int b, int en) { t.preprocess(a, b, en); });
  CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(),
                 frame_desc(f.im) + " -> " + std::to_string(nw) + "x" + std::to_string(nh) + (table ? ", " + table->desc : ""));
}

}  // namespace

ISA_TEST(preprocess_matches_scalar) {
  for (int i = 0; i < 360; ++i) {
    const Encoding e = kEncodings[i % 9];
    const int w = rand_int(1, 40), h = rand_int(1, 40);
    const Frame f = random_frame(e, w, h);
    if (i % 5 == 0)  // identity size
      check_preprocess(t, f, w, h);
    else
      check_preprocess(t, f, rand_int(1, 40), rand_int(1, 40));
  }
}

// Images at the network size, wide enough for several steps of the vector lookups (21 or 16
// pixels with AVX-512 VBMI) and their partial last step, in the four byte orders.
ISA_TEST(preprocess_same_size_rows_match_scalar) {
  for (Encoding e : {Encoding::RGB8, Encoding::BGR8, Encoding::RGBA8, Encoding::BGRA8})
    for (int w : {1, 15, 16, 17, 20, 21, 22, 42, 63, 64, 100, 213}) {
      const int h = rand_int(1, 4);
      check_preprocess(t, random_frame(e, w, h), w, h);
    }
}

// The integers find_input_affine admits give every entry of the table, and it finds them for
// the normalisations models have; a table that is no rounded line gets none.
TEST_CASE("find_input_affine_reproduces_input_tables") {
  int found = 0;
  constexpr int kTables = 400;
  for (int i = 0; i < kTables; ++i) {
    const InputTable t = random_input_table();
    if (!t.affine.on) continue;
    ++found;
    for (int c = 0; c < 3; ++c)
      for (int p = 0; p < 256; ++p) {
        const int64_t v = int64_t{t.affine.m[c]} * p + t.affine.add[c];
        REQUIRE(v >= INT32_MIN);
        REQUIRE(v <= INT32_MAX);
        const int64_t y = std::clamp<int64_t>(v >> t.affine.shift, 0, 255);
        INFO(t.desc << ", channel " << c << ", byte " << p);
        REQUIRE(y == t.lut[c * 256 + p]);
      }
  }
  CHECK(found >= kTables * 99 / 100);
  // The shipped model's ImageNet normalisation.
  const float mean[3] = {0.485f, 0.456f, 0.406f}, std_dev[3] = {0.229f, 0.224f, 0.225f};
  std::vector<uint8_t> lut(768);
  build_input_lut(mean, std_dev, 4.76f / 255.0f, 114, lut.data());
  InputAffine f;
  CHECK(find_input_affine(lut.data(), &f));
  // Not monotone in p: no line.
  lut[300] = 200;
  lut[301] = 10;
  CHECK_FALSE(find_input_affine(lut.data(), &f));
  CHECK_FALSE(f.on);
}

// With a model's table in integers, every encoding at the same size and resized.
ISA_TEST(preprocess_in_integers_matches_scalar) {
  for (int i = 0; i < 240; ++i) {
    const InputTable table = random_input_table();
    const Encoding e = kEncodings[i % 9];
    const int w = rand_int(1, 70), h = rand_int(1, 12);
    const Frame f = random_frame(e, w, h);
    if (i % 2 == 0)
      check_preprocess(t, f, w, h, &table);
    else
      check_preprocess(t, f, rand_int(1, 70), rand_int(1, 12), &table);
  }
}

TEST_CASE("label_map_reference_values") {
  const uint8_t labels[4] = {0, 1, 2, 3};  // 2x2
  std::vector<int32_t> xs, ys;
  label_index_table(2, 4, &xs);  // 0 0 1 1
  label_index_table(2, 1, &ys);  // (1 * 2) / 2 = 1
  const uint8_t palette[6] = {10, 11, 12, 20, 21, 22};  // 2 colours for 4 labels
  uint8_t lab[4] = {}, col[12] = {};
  LabelMapArgs a{labels, 2, 2, xs.data(), ys.data(), 4, 1, lab, col, palette, 2};
  scalar_table().label_map(a, 0, 1);
  const uint8_t want_lab[4] = {2, 2, 3, 3};
  const uint8_t want_col[12] = {10, 11, 12, 10, 11, 12, 20, 21, 22, 20, 21, 22};
  CHECK_BYTES_EQ(want_lab, lab, 4, "labels");
  CHECK_BYTES_EQ(want_col, col, 12, "colours");
}

ISA_TEST(label_map_matches_scalar) {
  for (int i = 0; i < 300; ++i) {
    const int lw = rand_int(1, 40), lh = rand_int(1, 40);
    const int ow = rand_int(0, 2) ? rand_int(1, 120) : lw, oh = rand_int(0, 2) ? rand_int(1, 120) : lh;
    const int classes = rand_int(1, 40);
    const int palette_size = rand_int(1, classes);
    std::vector<uint8_t> labels = testing::rand_vec<uint8_t>(static_cast<size_t>(lw) * lh, 0, classes - 1);
    if (i % 10 == 0) labels = testing::rand_vec<uint8_t>(static_cast<size_t>(lw) * lh, 0, 255);
    std::vector<uint8_t> palette = testing::rand_vec<uint8_t>(3 * static_cast<size_t>(palette_size), 0, 255);
    std::vector<int32_t> xs, ys;
    label_index_table(lw, ow, &xs);
    label_index_table(lh, oh, &ys);
    const bool want_labels = i % 3 != 1, want_colour = i % 3 != 2;
    const size_t n = static_cast<size_t>(ow) * oh;
    auto rl = kt::out_buffer(n), gl = kt::out_buffer(n), rc = kt::out_buffer(3 * n), gc = kt::out_buffer(3 * n);
    LabelMapArgs a{labels.data(), lw, lh, xs.data(), ys.data(), ow, oh,
                   want_labels ? rl.data() : nullptr, want_colour ? rc.data() : nullptr, palette.data(), palette_size};
    scalar_table().label_map(a, 0, oh);
    a.label_out = want_labels ? gl.data() : nullptr;
    a.colorized_out = want_colour ? gc.data() : nullptr;
    kt::split_range(oh, [&](int b, int e) { t.label_map(a, b, e); });
    std::ostringstream os;
    os << "label_map " << lw << "x" << lh << " -> " << ow << "x" << oh << " palette " << palette_size;
    CHECK_BYTES_EQ(rl.data(), gl.data(), rl.size(), os.str() + " labels");
    CHECK_BYTES_EQ(rc.data(), gc.data(), rc.size(), os.str() + " colours");
  }
}

TEST_CASE("overlay_reference_values") {
  const std::vector<uint8_t> img = {100, 0, 255};  // rgb8 1x1
  const uint8_t labels[1] = {3};
  const int32_t xs[1] = {0}, ys[1] = {0};
  const uint8_t palette[6] = {1, 2, 3, 200, 50, 0};  // label 3 -> colour 1
  uint8_t out[3] = {};
  OverlayArgs a{view(Encoding::RGB8, 1, 1, 3, img), labels, 1, 1, xs, ys, palette, 2, 128, out};
  scalar_table().overlay(a, 0, 1);
  CHECK(+out[0] == 150);  // (100 * 128 + 200 * 128 + 128) >> 8
  CHECK(+out[1] == 25);
  CHECK(+out[2] == 128);  // (255 * 128 + 128) >> 8 = 128
  a.alpha = 0;
  scalar_table().overlay(a, 0, 1);
  CHECK(+out[0] == 100);
  CHECK(+out[2] == 255);
  a.alpha = 256;
  scalar_table().overlay(a, 0, 1);
  CHECK(+out[0] == 200);
  CHECK(+out[2] == 0);
}

ISA_TEST(overlay_matches_scalar) {
  const int alphas[4] = {0, 128, 256, -1};
  for (int i = 0; i < 360; ++i) {
    const Encoding e = kEncodings[i % 9];
    const int w = rand_int(0, 9) == 0 ? rand_int(250, 300) : rand_int(1, 40), h = rand_int(1, 40);
    Frame f = random_frame(e, w, h);
    const int lw = rand_int(1, 20), lh = rand_int(1, 20);
    const int classes = rand_int(1, 40);
    const int palette_size = rand_int(1, classes);
    std::vector<uint8_t> labels = testing::rand_vec<uint8_t>(static_cast<size_t>(lw) * lh, 0, classes - 1);
    std::vector<uint8_t> palette = testing::rand_vec<uint8_t>(3 * static_cast<size_t>(palette_size), 0, 255);
    std::vector<int32_t> xs, ys;
    label_index_table(lw, w, &xs);
    label_index_table(lh, h, &ys);
    int alpha = alphas[(i / 9) % 4];
    if (alpha < 0) alpha = rand_int(0, 256);
    const size_t n = static_cast<size_t>(w) * h * 3;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    OverlayArgs a{f.im, labels.data(), lw, lh, xs.data(), ys.data(), palette.data(), palette_size, alpha, ref.data()};
    scalar_table().overlay(a, 0, h);
    a.out = got.data();
    kt::split_range(h, [&](int b, int en) { t.overlay(a, b, en); });
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), frame_desc(f.im) + " alpha " + std::to_string(alpha));
  }
}
