// attendseg_run_frame: loads a spec file (dump_spec.ts), runs camera frames and then the network
// alone through one kernel table on one thread, and prints checksums of the outputs. Used to
// count instructions per frame under qemu (scripts/count-insns-aarch64.sh) and to check that
// every table computes the same bytes for the real network (scripts/test-aarch64.sh).
//   attendseg_run_frame model.spec <isa> <frames> <network_runs> [width height]
// A frame is a deterministic rgb8 pattern of width x height (default 480x360) through
// Engine::run at that network size, with a label map and an overlay at input resolution. A
// network run is Engine::run_network on the same bytes taken as the quantized input.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "attendseg/engine.h"
#include "spec_file.h"

namespace {

// FNV-1a, enough to tell identical outputs from different ones.
uint64_t fnv1a(const std::vector<uint8_t>& v, uint64_t h = 1469598103934665603ull) {
  for (uint8_t b : v) h = (h ^ b) * 1099511628211ull;
  return h;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5 && argc != 7) {
    std::fprintf(stderr, "usage: %s model.spec <isa> <frames> <network_runs> [width height]\n", argv[0]);
    return 2;
  }
  try {
    const attendseg::ModelSpec spec = attendseg::read_spec_file(argv[1]);
    attendseg::EngineOptions eo;
    eo.threads = 1;
    eo.isa = argv[2];
    auto engine = attendseg::Engine::create(spec, eo);
    const int frames = std::atoi(argv[3]), network_runs = std::atoi(argv[4]);
    const int W = argc == 7 ? std::atoi(argv[5]) : 480, H = argc == 7 ? std::atoi(argv[6]) : 360;
    std::vector<uint8_t> pixels(static_cast<size_t>(W) * H * 3);
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
    attendseg::ImageView im;
    im.encoding = attendseg::Encoding::RGB8;
    im.width = W;
    im.height = H;
    im.step = static_cast<size_t>(W) * 3;
    im.data = pixels.data();
    im.size = pixels.size();
    std::vector<uint8_t> palette(3 * 256);
    for (size_t i = 0; i < palette.size(); ++i) palette[i] = static_cast<uint8_t>(i * 37 + 11);
    attendseg::FrameOptions fo;
    fo.net_width = W;
    fo.net_height = H;
    fo.palette = palette.data();
    fo.palette_size = 256;
    const attendseg::OutputGeometry g = engine->output_geometry(im, fo);
    std::vector<uint8_t> label(static_cast<size_t>(g.label_width) * g.label_height);
    std::vector<uint8_t> overlay(static_cast<size_t>(g.overlay_width) * g.overlay_height * 3);
    attendseg::FrameOutputs out;
    out.label = label.data();
    out.overlay = overlay.data();
    for (int f = 0; f < frames; ++f) engine->run(im, fo, out);
    std::vector<uint8_t> scores;
    int32_t oh = 0, ow = 0, oc = 0;
    for (int r = 0; r < network_runs; ++r) engine->run_network(pixels.data(), H, W, &scores, &oh, &ow, &oc);
    std::printf("%s %dx%d frames=%d network_runs=%d label=%016llx overlay=%016llx network=%016llx\n", engine->isa(), W,
                H, frames, network_runs,
                static_cast<unsigned long long>(fnv1a(label)), static_cast<unsigned long long>(fnv1a(overlay)),
                static_cast<unsigned long long>(fnv1a(scores)));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "attendseg_run_frame: %s\n", e.what());
    return 1;
  }
  return 0;
}
