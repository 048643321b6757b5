// Engine: validated model + kernel table + thread pool, plans cached per network input size,
// and the fused frame stages around the network (preprocess, argmax, confidence, label map, overlay).
#include "attendseg/engine.h"

#include <chrono>
#include <cmath>
#include <list>
#include <string>

#include "model_check.h"
#include "network.h"

namespace attendseg {

void check_image(const ImageView& img) {
  const std::string enc = encoding_name(img.encoding);
  if (img.width < 1 || img.height < 1 || img.width > kMaxImageSide || img.height > kMaxImageSide)
    throw Error("image size " + std::to_string(img.width) + "x" + std::to_string(img.height) + " is outside 1..8192 a side");
  if (!img.data) throw Error("image data is missing");
  const size_t min_step_bytes = min_step(img.encoding, img.width);
  if (img.step < min_step_bytes)
    throw Error("step " + std::to_string(img.step) + " is too small for " + std::to_string(img.width) + " " + enc +
                " pixels (needs >= " + std::to_string(min_step_bytes) + ")");
  const size_t need = min_frame_bytes(img.encoding, img.height, img.step);
  if (img.size < need)
    throw Error("image data is truncated: " + std::to_string(img.size) + " bytes, " + enc + " " + std::to_string(img.width) +
                "x" + std::to_string(img.height) + " with step " + std::to_string(img.step) + " needs " + std::to_string(need));
}

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

constexpr size_t kMaxCachedPlans = 4;  // sizes alternate rarely; a bound keeps memory flat

void check_frame(const ImageView& img, const FrameOptions& o) {
  check_image(img);
  if (o.net_width < 1 || o.net_height < 1 || o.net_width > kMaxImageSide || o.net_height > kMaxImageSide)
    throw Error("network size " + std::to_string(o.net_width) + "x" + std::to_string(o.net_height) + " is outside 1..8192");
  if (!std::isfinite(o.overlay_alpha) || o.overlay_alpha < 0.0f || o.overlay_alpha > 1.0f)
    throw Error("overlay_alpha must be within 0..1");
  if ((o.want_colorized || o.want_overlay) && (!o.palette || o.palette_size < 1 || o.palette_size > 256))
    throw Error("a palette of 1..256 colours is needed for colorized and overlay outputs");
}

// Image-size dependent tables; the last set is kept, cameras rarely change size.
struct FrameTables {
  int img_w = 0, img_h = 0, net_w = 0, net_h = 0, lw = 0, lh = 0, out_w = 0, out_h = 0;
  kernels::ResizeAxis ys, xs;                   // image -> network input
  std::vector<int32_t> label_xs, label_ys;      // labels -> label map resolution
  std::vector<int32_t> overlay_xs, overlay_ys;  // labels -> image resolution
};

class EngineImpl final : public Engine {
 public:
  EngineImpl(const ModelSpec& spec, const EngineOptions& options)
      : kernels_(kernels::select_kernels(options.isa.c_str())),
        model_(spec, kernels_),
        pool_(options.threads),
        max_activation_bytes_(options.max_activation_bytes) {}

  OutputGeometry output_geometry(const ImageView& image, const FrameOptions& o) const override {
    check_frame(image, o);  // callers size output buffers from this: never for a frame run() would refuse
    OutputGeometry g;
    g.overlay_width = image.width;
    g.overlay_height = image.height;
    if (o.label_resolution == LabelResolution::Network) {
      g.label_width = o.net_width;
      g.label_height = o.net_height;
    } else {
      g.label_width = image.width;
      g.label_height = image.height;
    }
    return g;
  }

  FrameTiming run(const ImageView& img, const FrameOptions& o, const FrameOutputs& out) override {
    const OutputGeometry geo = output_geometry(img, o);  // validates the frame
    FrameTiming timing;
    auto t0 = Clock::now();
    Plan& plan = plan_for(o.net_height, o.net_width);
    const Shape os = plan.shapes[model_.spec.output];
    update_tables(img, o, os, geo);

    kernels::PreprocessArgs pa{img, o.net_width, o.net_height, &tables_.ys, &tables_.xs, model_.input_lut,
                               plan.tensor(model_.spec.input), model_.input_affine};
    pool_.parallel_for(o.net_height, 4, [&](int64_t b, int64_t e, int) { kernels_.preprocess(pa, int(b), int(e)); });
    timing.preprocess_ms = ms_since(t0);

    t0 = Clock::now();
    labels_.resize(size_t(os.h) * os.w);
    const bool confidence = o.want_confidence && out.confidence;
    if (confidence) confidence_.resize(labels_.size());
    // the argmax (and confidence) is part of the network's last op
    execute(model_, plan, pool_, labels_.data(), confidence ? confidence_.data() : nullptr);
    timing.network_ms = ms_since(t0);

    t0 = Clock::now();
    if ((o.want_label && out.label) || (o.want_colorized && out.colorized)) {
      kernels::LabelMapArgs la{labels_.data(), os.w, os.h, tables_.label_xs.data(), tables_.label_ys.data(),
                               geo.label_width, geo.label_height, o.want_label ? out.label : nullptr,
                               o.want_colorized ? out.colorized : nullptr, o.palette, o.palette_size};
      pool_.parallel_for(geo.label_height, 8, [&](int64_t b, int64_t e, int) { kernels_.label_map(la, int(b), int(e)); });
    }
    if (confidence) {  // upsampled as the labels are
      kernels::LabelMapArgs ca{confidence_.data(), os.w, os.h, tables_.label_xs.data(), tables_.label_ys.data(),
                               geo.label_width, geo.label_height, out.confidence, nullptr, nullptr, 0};
      pool_.parallel_for(geo.label_height, 8, [&](int64_t b, int64_t e, int) { kernels_.label_map(ca, int(b), int(e)); });
    }
    if (o.want_overlay && out.overlay) {
      const int alpha = static_cast<int>(std::lround(o.overlay_alpha * 256.0f));
      kernels::OverlayArgs ov{img, labels_.data(), os.w, os.h, tables_.overlay_xs.data(), tables_.overlay_ys.data(),
                              o.palette, o.palette_size, alpha, out.overlay};
      pool_.parallel_for(img.height, 8, [&](int64_t b, int64_t e, int) { kernels_.overlay(ov, int(b), int(e)); });
    }
    timing.postprocess_ms = ms_since(t0);
    return timing;
  }

  void run_network(const uint8_t* input, int32_t net_h, int32_t net_w, std::vector<uint8_t>* output, int32_t* out_h,
                   int32_t* out_w, int32_t* out_c) override {
    if (net_h < 1 || net_w < 1 || net_h > kMaxImageSide || net_w > kMaxImageSide)
      throw Error("network size " + std::to_string(net_w) + "x" + std::to_string(net_h) + " is outside 1..8192");
    Plan& plan = plan_for(net_h, net_w);
    std::copy(input, input + size_t(net_h) * net_w * 3, plan.tensor(model_.spec.input));
    execute(model_, plan, pool_);
    const Shape os = plan.shapes[model_.spec.output];
    const uint8_t* y = plan.tensor(model_.spec.output);
    output->assign(y, y + os.bytes());
    *out_h = os.h;
    *out_w = os.w;
    *out_c = os.c;
  }

  const char* isa() const override { return kernels_.name; }
  int threads() const override { return pool_.size(); }
  int64_t macs(int32_t net_h, int32_t net_w) override { return plan_for(net_h, net_w).macs; }
  int32_t num_classes() const override { return model_.spec.tensors[model_.spec.output].channels; }

 private:
  Plan& plan_for(int h, int w) {
    for (auto it = plans_.begin(); it != plans_.end(); ++it) {
      if ((*it)->net_h == h && (*it)->net_w == w) {
        plans_.splice(plans_.begin(), plans_, it);  // most recently used first
        return *plans_.front();
      }
    }
    plans_.push_front(build_plan(model_, h, w, pool_.size(), max_activation_bytes_));
    choose_conv_paths(model_, *plans_.front(), pool_);
    if (plans_.size() > kMaxCachedPlans) plans_.pop_back();
    return *plans_.front();
  }

  void update_tables(const ImageView& img, const FrameOptions& o, const Shape& os, const OutputGeometry& geo) {
    FrameTables& t = tables_;
    if (t.img_w == img.width && t.img_h == img.height && t.net_w == o.net_width && t.net_h == o.net_height &&
        t.lw == os.w && t.lh == os.h && t.out_w == geo.label_width && t.out_h == geo.label_height)
      return;
    t.img_w = img.width;
    t.img_h = img.height;
    t.net_w = o.net_width;
    t.net_h = o.net_height;
    t.lw = os.w;
    t.lh = os.h;
    t.out_w = geo.label_width;
    t.out_h = geo.label_height;
    kernels::build_image_axis(img.height, o.net_height, &t.ys);
    kernels::build_image_axis(img.width, o.net_width, &t.xs);
    kernels::label_index_table(os.w, geo.label_width, &t.label_xs);
    kernels::label_index_table(os.h, geo.label_height, &t.label_ys);
    kernels::label_index_table(os.w, img.width, &t.overlay_xs);
    kernels::label_index_table(os.h, img.height, &t.overlay_ys);
  }

  const kernels::KernelTable& kernels_;
  PreparedModel model_;
  ThreadPool pool_;
  size_t max_activation_bytes_;  // per plan (EngineOptions)
  std::list<std::unique_ptr<Plan>> plans_;
  FrameTables tables_;
  std::vector<uint8_t> labels_;
  std::vector<uint8_t> confidence_;  // at the network output's resolution, as labels_
};

}  // namespace

std::unique_ptr<Engine> Engine::create(const ModelSpec& spec, const EngineOptions& options) {
  check_model(spec);
  if (options.threads < 0 || options.threads > 256) throw Error("threads must be 0 (all cores) or 1..256");
  return std::make_unique<EngineImpl>(spec, options);
}

}  // namespace attendseg
