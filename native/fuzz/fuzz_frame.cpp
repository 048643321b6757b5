// libFuzzer target: a camera frame from anywhere (encoding, sizes, step, bytes, frame options)
// through frame validation, preprocessing of every encoding, a small network and the label,
// colorized and overlay outputs. The first 16 bytes choose the frame and options, the rest are
// its pixels. Every rejection must be an attendseg::Error.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "attendseg/engine.h"

namespace {

// 3 -> 4 channels, 1x1 conv, 4 classes.
std::unique_ptr<attendseg::Engine> make_engine() {
  using namespace attendseg;
  ModelSpec spec;
  spec.tensors = {{"input", 3, {1.0f / 64, 128}}, {"scores", 4, {0.1f, 128}}};
  OpSpec conv;
  conv.kind = OpKind::Conv;
  conv.name = "conv";
  conv.inputs = {0};
  conv.output = 1;
  for (int i = 0; i < 12; ++i) conv.conv.weights.push_back(static_cast<int8_t>(i * 23 - 128));
  conv.conv.weight_scales = {0.01f};
  spec.ops = {conv};
  spec.input = 0;
  spec.output = 1;
  EngineOptions options;
  options.threads = 1;
  options.isa = "scalar";
  options.max_activation_bytes = size_t(64) << 20;
  return Engine::create(spec, options);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static std::unique_ptr<attendseg::Engine> engine = make_engine();
  if (size < 16) return 0;
  using namespace attendseg;
  auto u16 = [&](size_t at) { return int32_t(data[at] | (data[at + 1] << 8)); };
  ImageView img;
  img.encoding = static_cast<Encoding>(data[0] % (size_t(Encoding::NV24) + 1));
  // Sizes stay small so that one input runs in milliseconds; 0 and odd sizes included.
  img.width = u16(1) % 200;
  img.height = u16(3) % 200;
  img.step = size_t(u16(5)) % 1024;
  FrameOptions o;
  o.net_width = u16(7) % 96;
  o.net_height = u16(9) % 96;
  o.label_resolution = data[11] & 1 ? LabelResolution::Network : LabelResolution::Input;
  o.want_label = data[11] & 2;
  o.want_colorized = data[11] & 4;
  o.want_overlay = data[11] & 8;
  o.overlay_alpha = data[12] / 200.0f;  // past 1 included
  std::vector<uint8_t> palette(3 * (1 + data[13] % 8));
  for (size_t i = 0; i < palette.size(); ++i) palette[i] = static_cast<uint8_t>(i * 41);
  o.palette = data[11] & 16 ? palette.data() : nullptr;
  o.palette_size = o.palette ? int32_t(palette.size() / 3) : 0;
  // The pixels in a buffer of their own size, so that ASan sees any read past it.
  std::vector<uint8_t> pixels(data + 16, data + size);
  img.data = pixels.empty() ? nullptr : pixels.data();
  img.size = pixels.size();
  try {
    const OutputGeometry g = engine->output_geometry(img, o);
    std::vector<uint8_t> label(size_t(g.label_width) * g.label_height);
    std::vector<uint8_t> colorized(label.size() * 3);
    std::vector<uint8_t> overlay(size_t(g.overlay_width) * g.overlay_height * 3);
    FrameOutputs out;
    out.label = o.want_label ? label.data() : nullptr;
    out.colorized = o.want_colorized ? colorized.data() : nullptr;
    out.overlay = o.want_overlay ? overlay.data() : nullptr;
    engine->run(img, o, out);
  } catch (const attendseg::Error&) {
  }
  return 0;
}
