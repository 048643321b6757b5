// The Node binding: a thin wrapper over attendseg::Engine. Pixels never pass through
// JavaScript code: frames are read from the caller's buffer and outputs are written into
// Buffers allocated here, on a worker thread for `run`.
#include <napi.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "cdr_binding.h"
#include "js_convert.h"
#include "kernels/kernels.h"
#include "label_pairs_binding.h"
#include "model_binding.h"

namespace attendseg_addon {

using attendseg::Engine;

namespace {

struct Outputs {
  Napi::Buffer<uint8_t> label, colorized, overlay, confidence;
  attendseg::OutputGeometry geometry;
};

// With a header, each output is a whole CDR sensor_msgs/Image carrying it, and the engine writes
// its pixels straight into the message's data region: publishing needs no further copy.
Outputs allocate_outputs(Napi::Env env, Engine& engine, const attendseg::ImageView& img,
                         const attendseg::FrameOptions& o, attendseg::FrameOutputs* out,
                         const cdr::Header* header = nullptr) {
  const attendseg::OutputGeometry g = engine.output_geometry(img, o);  // validates the frame first
  Outputs bufs;
  bufs.geometry = g;
  auto make = [&](int32_t w, int32_t h, const char* encoding, int channels, uint8_t** data) {
    if (header) return new_image_message(env, *header, w, h, encoding, channels, data);
    Napi::Buffer<uint8_t> b = Napi::Buffer<uint8_t>::New(env, size_t(w) * h * channels);
    *data = b.Data();
    return b;
  };
  if (o.want_label) bufs.label = make(g.label_width, g.label_height, "mono8", 1, &out->label);
  if (o.want_colorized) bufs.colorized = make(g.label_width, g.label_height, "rgb8", 3, &out->colorized);
  if (o.want_overlay) bufs.overlay = make(g.overlay_width, g.overlay_height, "rgb8", 3, &out->overlay);
  if (o.want_confidence) bufs.confidence = make(g.label_width, g.label_height, "mono8", 1, &out->confidence);
  return bufs;
}

std::optional<cdr::Header> optional_header(const Napi::Value& v) {
  if (v.IsUndefined() || v.IsNull()) return std::nullopt;
  return cdr_header_from_js(v);
}

Napi::Object result_object(Napi::Env env, const Outputs& bufs, const attendseg::FrameTiming& t) {
  const attendseg::OutputGeometry& g = bufs.geometry;
  Napi::Object r = Napi::Object::New(env);
  r.Set("label", bufs.label.IsEmpty() ? env.Null() : Napi::Value(bufs.label));
  r.Set("colorized", bufs.colorized.IsEmpty() ? env.Null() : Napi::Value(bufs.colorized));
  r.Set("overlay", bufs.overlay.IsEmpty() ? env.Null() : Napi::Value(bufs.overlay));
  r.Set("confidence", bufs.confidence.IsEmpty() ? env.Null() : Napi::Value(bufs.confidence));
  r.Set("labelWidth", g.label_width);
  r.Set("labelHeight", g.label_height);
  r.Set("overlayWidth", g.overlay_width);
  r.Set("overlayHeight", g.overlay_height);
  Napi::Object timing = Napi::Object::New(env);
  timing.Set("preprocessMs", t.preprocess_ms);
  timing.Set("networkMs", t.network_ms);
  timing.Set("postprocessMs", t.postprocess_ms);
  r.Set("timing", timing);
  return r;
}

// Shared by the wrapper and its in-flight workers, so a garbage-collected wrapper cannot free
// the engine under a running frame.
struct EngineHolder {
  std::unique_ptr<Engine> engine;
  std::mutex busy;  // one frame at a time per engine
};

class RunWorker : public Napi::AsyncWorker {
 public:
  // The frame's bytes are copied here, on the JavaScript thread, once: JavaScript runs while the
  // worker does, and may shrink (resizable ArrayBuffer), transfer or refill the caller's buffer;
  // no reference to it could stop that.
  RunWorker(Napi::Env env, std::shared_ptr<EngineHolder> holder, const attendseg::ImageView& img,
            const attendseg::FrameOptions& opts, std::vector<uint8_t> palette, const std::optional<cdr::Header>& header)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), holder_(std::move(holder)),
        pixels_(img.data, img.data + img.size), img_(img), opts_(opts), palette_(std::move(palette)) {
    img_.data = pixels_.data();
    opts_.palette = palette_.empty() ? nullptr : palette_.data();
    bufs_ = allocate_outputs(env, *holder_->engine, img_, opts_, &out_, header ? &*header : nullptr);
    refs_[0] = bufs_.label.IsEmpty() ? Napi::ObjectReference() : Napi::Persistent(bufs_.label.As<Napi::Object>());
    refs_[1] = bufs_.colorized.IsEmpty() ? Napi::ObjectReference() : Napi::Persistent(bufs_.colorized.As<Napi::Object>());
    refs_[2] = bufs_.overlay.IsEmpty() ? Napi::ObjectReference() : Napi::Persistent(bufs_.overlay.As<Napi::Object>());
    refs_[3] = bufs_.confidence.IsEmpty() ? Napi::ObjectReference() : Napi::Persistent(bufs_.confidence.As<Napi::Object>());
  }
  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override {
    try {
      std::lock_guard<std::mutex> lock(holder_->busy);
      timing_ = holder_->engine->run(img_, opts_, out_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  // The handles in bufs_ belonged to the scope of the call that queued this worker; the
  // persistent references are what still points at the Buffers now.
  void OnOK() override {
    Outputs live;
    live.geometry = bufs_.geometry;
    if (!refs_[0].IsEmpty()) live.label = refs_[0].Value().As<Napi::Buffer<uint8_t>>();
    if (!refs_[1].IsEmpty()) live.colorized = refs_[1].Value().As<Napi::Buffer<uint8_t>>();
    if (!refs_[2].IsEmpty()) live.overlay = refs_[2].Value().As<Napi::Buffer<uint8_t>>();
    if (!refs_[3].IsEmpty()) live.confidence = refs_[3].Value().As<Napi::Buffer<uint8_t>>();
    deferred_.Resolve(result_object(Env(), live, timing_));
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  std::shared_ptr<EngineHolder> holder_;
  std::vector<uint8_t> pixels_;
  attendseg::ImageView img_;
  attendseg::FrameOptions opts_;
  std::vector<uint8_t> palette_;
  Outputs bufs_;
  Napi::ObjectReference refs_[4];
  attendseg::FrameOutputs out_;
  attendseg::FrameTiming timing_;
};

class NativeEngine : public Napi::ObjectWrap<NativeEngine> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeEngine",
                       {InstanceMethod("run", &NativeEngine::Run), InstanceMethod("runSync", &NativeEngine::RunSync),
                        InstanceMethod("runNetwork", &NativeEngine::RunNetwork), InstanceMethod("macs", &NativeEngine::Macs),
                        InstanceAccessor("isa", &NativeEngine::Isa, nullptr),
                        InstanceAccessor("threads", &NativeEngine::Threads, nullptr),
                        InstanceAccessor("numClasses", &NativeEngine::NumClasses, nullptr)});
  }

  NativeEngine(const Napi::CallbackInfo& info) : Napi::ObjectWrap<NativeEngine>(info) {
    Napi::Env env = info.Env();
    try {
      if (!info[0].IsObject()) throw attendseg::Error("createEngine(spec, options): spec must be an object");
      const attendseg::ModelSpec spec = spec_from_js(info[0].As<Napi::Object>());
      holder_ = std::make_shared<EngineHolder>();
      holder_->engine = Engine::create(spec, engine_options_from_js(info[1]));
    } catch (const std::exception& e) {
      Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    }
  }

 private:
  Napi::Value Run(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    auto deferred = Napi::Promise::Deferred::New(env);
    try {
      if (!info[0].IsObject()) throw attendseg::Error("run(image, options): image must be an object");
      // Options and header first: their getters are JavaScript, which must not run between taking
      // the frame's bytes and copying them.
      std::vector<uint8_t> palette;
      const attendseg::FrameOptions opts = frame_options_from_js(info[1], &palette);
      const std::optional<cdr::Header> header = optional_header(info[2]);
      const attendseg::ImageView img = image_from_js(info[0].As<Napi::Object>());
      auto* worker = new RunWorker(env, holder_, img, opts, std::move(palette), header);
      Napi::Promise p = worker->promise();
      worker->Queue();
      return p;
    } catch (const std::exception& e) {
      deferred.Reject(Napi::Error::New(env, e.what()).Value());
      return deferred.Promise();
    }
  }

  Napi::Value RunSync(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      if (!info[0].IsObject()) throw attendseg::Error("runSync(image, options): image must be an object");
      // The frame last: no JavaScript (a getter) may run between taking its bytes and the run.
      std::vector<uint8_t> palette;
      const attendseg::FrameOptions opts = frame_options_from_js(info[1], &palette);
      const std::optional<cdr::Header> header = optional_header(info[2]);
      const attendseg::ImageView img = image_from_js(info[0].As<Napi::Object>());
      std::unique_lock<std::mutex> lock(holder_->busy, std::try_to_lock);
      if (!lock.owns_lock()) throw attendseg::Error("engine is busy with an asynchronous frame");
      attendseg::FrameOutputs out;
      Outputs bufs = allocate_outputs(env, *holder_->engine, img, opts, &out, header ? &*header : nullptr);
      const attendseg::FrameTiming t = holder_->engine->run(img, opts, out);
      return result_object(env, bufs, t);
    } catch (const std::exception& e) {
      Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }

  // runNetwork(input: Uint8Array NHWC uint8, height, width) -> {data, height, width, channels}
  Napi::Value RunNetwork(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
        throw attendseg::Error("runNetwork(input, height, width): input must be a Uint8Array");
      if (!info[1].IsNumber() || !info[2].IsNumber()) throw attendseg::Error("runNetwork: height and width must be numbers");
      auto in = info[0].As<Napi::Uint8Array>();
      const int32_t h = info[1].As<Napi::Number>().Int32Value(), w = info[2].As<Napi::Number>().Int32Value();
      if (h < 1 || w < 1 || h > attendseg::kMaxImageSide || w > attendseg::kMaxImageSide)
        throw attendseg::Error("runNetwork: size must be 1.." + std::to_string(attendseg::kMaxImageSide) + " a side");
      if (in.ElementLength() != size_t(h) * w * 3)
        throw attendseg::Error("runNetwork: input must hold height * width * 3 bytes");
      std::unique_lock<std::mutex> lock(holder_->busy, std::try_to_lock);
      if (!lock.owns_lock()) throw attendseg::Error("engine is busy with an asynchronous frame");
      std::vector<uint8_t> out;
      int32_t oh, ow, oc;
      holder_->engine->run_network(in.Data(), h, w, &out, &oh, &ow, &oc);
      Napi::Object r = Napi::Object::New(env);
      r.Set("data", Napi::Buffer<uint8_t>::Copy(env, out.data(), out.size()));
      r.Set("height", oh);
      r.Set("width", ow);
      r.Set("channels", oc);
      return r;
    } catch (const std::exception& e) {
      Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }

  Napi::Value Macs(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    try {
      if (!info[0].IsNumber() || !info[1].IsNumber()) throw attendseg::Error("macs(height, width): numbers expected");
      const int32_t h = info[0].As<Napi::Number>().Int32Value(), w = info[1].As<Napi::Number>().Int32Value();
      if (h < 1 || w < 1 || h > attendseg::kMaxImageSide || w > attendseg::kMaxImageSide)
        throw attendseg::Error("macs: size must be 1.." + std::to_string(attendseg::kMaxImageSide) + " a side");
      std::unique_lock<std::mutex> lock(holder_->busy, std::try_to_lock);
      if (!lock.owns_lock()) throw attendseg::Error("engine is busy with an asynchronous frame");
      return Napi::Number::New(env, double(holder_->engine->macs(h, w)));
    } catch (const std::exception& e) {
      Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }

  Napi::Value Isa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), holder_->engine->isa()); }
  Napi::Value Threads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), holder_->engine->threads()); }
  Napi::Value NumClasses(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), holder_->engine->num_classes());
  }

  std::shared_ptr<EngineHolder> holder_;
};

// kernelTables() -> [{name, usable}], plainest first: what this binary and CPU offer.
Napi::Value KernelTables(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto tables = attendseg::kernels::all_kernel_tables();
  Napi::Array a = Napi::Array::New(env, tables.size());
  for (size_t i = 0; i < tables.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", tables[i].table->name);
    o.Set("usable", tables[i].usable);
    a.Set(uint32_t(i), o);
  }
  return a;
}

// int8PeakGmacs(isa, threads, milliseconds): the ISA's multiply-accumulate ceiling on this CPU,
// all threads running the peak loop at once (they share cores with nothing of ours).
Napi::Value Int8PeakGmacs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    const std::string isa = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "auto";
    const int threads = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : 1;
    const double ms = info[2].IsNumber() ? info[2].As<Napi::Number>().DoubleValue() : 300.0;
    if (threads < 1 || threads > 256 || !(ms > 0 && ms < 60000)) throw attendseg::Error("int8PeakGmacs: bad arguments");
    const attendseg::kernels::KernelTable& k = attendseg::kernels::select_kernels(isa.c_str());
    // Calibrate one thread's iteration count to the requested time, then run all at once.
    using Clock = std::chrono::steady_clock;
    int64_t iters = 1 << 16;
    for (;;) {
      const auto t0 = Clock::now();
      k.peak_loop(iters);
      const double el = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      if (el > 20) {
        iters = static_cast<int64_t>(iters * ms / el);
        break;
      }
      iters *= 4;
    }
    std::vector<std::thread> pool;
    std::vector<int64_t> macs(threads);
    const auto t0 = Clock::now();
    for (int t = 0; t < threads; ++t) pool.emplace_back([&, t] { macs[t] = k.peak_loop(iters); });
    for (auto& t : pool) t.join();
    const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
    int64_t total = 0;
    for (int64_t m : macs) total += m;
    return Napi::Number::New(env, double(total) / sec / 1e9);
  } catch (const std::exception& e) {
    Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

// checkImage(frame): the frame checks of run without a run, so a decoder can refuse a frame
// before anything reads its pixels (one table of encodings and sizes: the engine's).
Napi::Value CheckImage(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!info[0].IsObject()) throw attendseg::Error("checkImage(image): image must be an object");
    attendseg::check_image(image_from_js(info[0].As<Napi::Object>()));
    return env.Undefined();
  } catch (const std::exception& e) {
    Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("checkImage", Napi::Function::New(env, CheckImage));
  exports.Set("maxImageSide", Napi::Number::New(env, attendseg::kMaxImageSide));
  exports.Set("int8PeakGmacs", Napi::Function::New(env, Int8PeakGmacs));
  exports.Set("NativeEngine", NativeEngine::Define(env));
  exports.Set("kernelTables", Napi::Function::New(env, KernelTables));
  register_cdr_exports(env, exports);
  register_model_exports(env, exports);
  register_label_pairs_exports(env, exports);
  return exports;
}

}  // namespace

}  // namespace attendseg_addon

static Napi::Object InitAttendseg(Napi::Env env, Napi::Object exports) { return attendseg_addon::Init(env, exports); }
NODE_API_MODULE(attendseg, InitAttendseg)
