// The public entry point: load a ModelSpec once, then run frames. One frame at a time per Engine.
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "attendseg/image.h"
#include "attendseg/model.h"

namespace attendseg {

// Every rejected model, frame or option throws this, with a message naming the problem.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The default activation-memory budget of one network input size (arena and scratch): a
// 480x360 plan of the shipped model needs about 12 MiB, so this leaves room for large inputs
// and larger models while a model or size that would need gigabytes fails at plan time.
constexpr size_t kDefaultMaxActivationBytes = size_t(1) << 30;

struct EngineOptions {
  int threads = 0;  // 0: all online cores
  std::string isa;  // "" or "auto": best supported; else "scalar", "avx2", "avxvnni", "avx512vnni", "neon", "neon_dotprod"
  size_t max_activation_bytes = kDefaultMaxActivationBytes;  // per plan; 0: no limit
};

enum class LabelResolution : uint8_t { Network, Input };

struct FrameOptions {
  int32_t net_width = 0, net_height = 0;  // network input size; both > 0
  LabelResolution label_resolution = LabelResolution::Input;
  bool want_label = true;
  bool want_colorized = false;
  bool want_overlay = true;
  bool want_confidence = false;           // the winning class's softmax probability x 255, label size
  float overlay_alpha = 0.5f;             // 0..1, weight of the class colour
  const uint8_t* palette = nullptr;       // rgb triplets, palette_size entries; class k uses k % size
  int32_t palette_size = 0;
};

// Caller-owned output buffers; sizes from Engine::output_sizes.
struct FrameOutputs {
  uint8_t* label = nullptr;      // mono8, label_width x label_height, tightly packed
  uint8_t* colorized = nullptr;  // rgb8, label_width x label_height
  uint8_t* overlay = nullptr;    // rgb8, input width x height
  uint8_t* confidence = nullptr; // mono8, label_width x label_height (kernels.h ArgmaxArgs)
};

struct OutputGeometry {
  int32_t label_width = 0, label_height = 0;
  int32_t overlay_width = 0, overlay_height = 0;
};

// The checks every frame passes before anything reads its pixels: size 1..kMaxImageSide a side,
// step at least the encoding's minimum, data at least the encoding's minimum size. Throws Error.
void check_image(const ImageView& image);

// network_ms includes the argmax over classes and the confidence (fused into the network's last op
// where that is a Resize); postprocess_ms is the label map, colorizing, confidence map and overlay.
struct FrameTiming {
  double preprocess_ms = 0, network_ms = 0, postprocess_ms = 0;
};

class Engine {
 public:
  // Validates the spec (shapes, indices, ranges) and packs weights for the selected ISA.
  static std::unique_ptr<Engine> create(const ModelSpec& spec, const EngineOptions& options);
  virtual ~Engine() = default;

  virtual OutputGeometry output_geometry(const ImageView& image, const FrameOptions& options) const = 0;
  // Validates image and options, then runs preprocess, network, argmax and the requested outputs.
  virtual FrameTiming run(const ImageView& image, const FrameOptions& options, const FrameOutputs& out) = 0;
  // Network only, for tests and tools: NHWC uint8 input of net size -> NHWC uint8 output scores.
  // Returns the output's height, width and channels through the pointers.
  virtual void run_network(const uint8_t* input, int32_t net_height, int32_t net_width,
                           std::vector<uint8_t>* output, int32_t* out_h, int32_t* out_w, int32_t* out_c) = 0;

  virtual const char* isa() const = 0;
  virtual int threads() const = 0;
  virtual int64_t macs(int32_t net_height, int32_t net_width) = 0;
  virtual int32_t num_classes() const = 0;
};

}  // namespace attendseg
