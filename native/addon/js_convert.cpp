#include "js_convert.h"

#include <cmath>
#include <string>

namespace attendseg_addon {

using attendseg::Error;

namespace {

Napi::Value field(const Napi::Object& o, const char* name, const std::string& path) {
  Napi::Value v = o.Get(name);
  if (v.IsUndefined()) throw Error(path + "." + name + " is missing");
  return v;
}

double number(const Napi::Object& o, const char* name, const std::string& path) {
  Napi::Value v = field(o, name, path);
  if (!v.IsNumber()) throw Error(path + "." + name + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d)) throw Error(path + "." + name + " must be finite");
  return d;
}

int32_t integer(const Napi::Object& o, const char* name, const std::string& path, int32_t lo, int32_t hi) {
  const double d = number(o, name, path);
  if (d != std::floor(d) || d < lo || d > hi)
    throw Error(path + "." + name + " must be an integer within " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int32_t>(d);
}

int32_t optional_integer(const Napi::Object& o, const char* name, const std::string& path, int32_t lo, int32_t hi,
                         int32_t fallback) {
  return o.Get(name).IsUndefined() ? fallback : integer(o, name, path, lo, hi);
}

bool boolean(const Napi::Object& o, const char* name, bool fallback) {
  Napi::Value v = o.Get(name);
  return v.IsUndefined() ? fallback : v.ToBoolean().Value();
}

std::string string(const Napi::Object& o, const char* name, const std::string& path) {
  Napi::Value v = field(o, name, path);
  if (!v.IsString()) throw Error(path + "." + name + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Object object(const Napi::Object& o, const char* name, const std::string& path) {
  Napi::Value v = field(o, name, path);
  if (!v.IsObject()) throw Error(path + "." + name + " must be an object");
  return v.As<Napi::Object>();
}

template <class T, napi_typedarray_type kType>
std::vector<T> typed(const Napi::Object& o, const char* name, const std::string& path, const char* type_name) {
  Napi::Value v = field(o, name, path);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != kType)
    throw Error(path + "." + name + " must be a " + type_name);
  auto a = v.As<Napi::TypedArrayOf<T>>();
  return std::vector<T>(a.Data(), a.Data() + a.ElementLength());
}

void int_tuple(const Napi::Object& o, const char* name, const std::string& path, int n, int lo, int hi, int32_t* out) {
  Napi::Value v = field(o, name, path);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != uint32_t(n))
    throw Error(path + "." + name + " must be an array of " + std::to_string(n) + " integers");
  Napi::Array a = v.As<Napi::Array>();
  for (int i = 0; i < n; ++i) {
    Napi::Value e = a.Get(uint32_t(i));
    const double d = e.IsNumber() ? e.As<Napi::Number>().DoubleValue() : NAN;
    if (!(d == std::floor(d)) || d < lo || d > hi)
      throw Error(path + "." + name + "[" + std::to_string(i) + "] must be an integer within " + std::to_string(lo) +
                  ".." + std::to_string(hi));
    out[i] = static_cast<int32_t>(d);
  }
}

void float_tuple(const Napi::Object& o, const char* name, const std::string& path, int n, float* out) {
  Napi::Value v = field(o, name, path);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != uint32_t(n))
    throw Error(path + "." + name + " must be an array of " + std::to_string(n) + " numbers");
  Napi::Array a = v.As<Napi::Array>();
  for (int i = 0; i < n; ++i) {
    Napi::Value e = a.Get(uint32_t(i));
    if (!e.IsNumber()) throw Error(path + "." + name + "[" + std::to_string(i) + "] must be a number");
    out[i] = e.As<Napi::Number>().FloatValue();
  }
}

attendseg::OpKind op_kind(const std::string& s, const std::string& path) {
  using K = attendseg::OpKind;
  if (s == "Conv") return K::Conv;
  if (s == "MaxPool") return K::MaxPool;
  if (s == "AveragePool") return K::AveragePool;
  if (s == "GlobalAveragePool") return K::GlobalAveragePool;
  if (s == "Resize") return K::Resize;
  if (s == "Add") return K::Add;
  if (s == "Mul") return K::Mul;
  if (s == "Concat") return K::Concat;
  if (s == "Lut") return K::Lut;
  throw Error(path + ".kind '" + s + "' is not an op the engine runs");
}

void resize_from_js(const Napi::Object& r, const std::string& path, attendseg::ResizeSpec* out) {
  using namespace attendseg;
  const std::string mode = string(r, "mode", path);
  if (mode == "nearest") out->mode = ResizeMode::Nearest;
  else if (mode == "linear") out->mode = ResizeMode::Linear;
  else throw Error(path + ".mode '" + mode + "' is not nearest or linear");
  const std::string coord = string(r, "coord", path);
  if (coord == "half_pixel") out->coord = CoordMode::HalfPixel;
  else if (coord == "pytorch_half_pixel") out->coord = CoordMode::PytorchHalfPixel;
  else if (coord == "align_corners") out->coord = CoordMode::AlignCorners;
  else if (coord == "asymmetric") out->coord = CoordMode::Asymmetric;
  else throw Error(path + ".coord '" + coord + "' is not supported");
  const std::string nearest = string(r, "nearest", path);
  if (nearest == "round_prefer_floor") out->nearest = NearestMode::RoundPreferFloor;
  else if (nearest == "round_prefer_ceil") out->nearest = NearestMode::RoundPreferCeil;
  else if (nearest == "floor") out->nearest = NearestMode::Floor;
  else if (nearest == "ceil") out->nearest = NearestMode::Ceil;
  else throw Error(path + ".nearest '" + nearest + "' is not supported");
  if (!r.Get("scales").IsUndefined()) {
    float s[2];
    float_tuple(r, "scales", path, 2, s);
    out->scale_h = s[0];
    out->scale_w = s[1];
  }
  if (!r.Get("size").IsUndefined()) {
    int32_t s[2];
    int_tuple(r, "size", path, 2, 1, kMaxImageSide, s);
    out->out_h = s[0];
    out->out_w = s[1];
  }
  if (!r.Get("sizeOf").IsUndefined()) out->size_of = integer(r, "sizeOf", path, 0, INT32_MAX);
}

}  // namespace

attendseg::ModelSpec spec_from_js(const Napi::Object& obj) {
  using namespace attendseg;
  ModelSpec spec;
  Napi::Value tv = field(obj, "tensors", "spec");
  Napi::Value ov = field(obj, "ops", "spec");
  if (!tv.IsArray() || !ov.IsArray()) throw Error("spec.tensors and spec.ops must be arrays");
  Napi::Array tensors = tv.As<Napi::Array>();
  for (uint32_t i = 0; i < tensors.Length(); ++i) {
    const std::string path = "spec.tensors[" + std::to_string(i) + "]";
    Napi::Value e = tensors.Get(i);
    if (!e.IsObject()) throw Error(path + " must be an object");
    Napi::Object t = e.As<Napi::Object>();
    TensorSpec ts;
    ts.name = string(t, "name", path);
    ts.channels = integer(t, "channels", path, 1, 1 << 20);
    Napi::Object q = object(t, "q", path);
    ts.q.scale = static_cast<float>(number(q, "scale", path + ".q"));
    ts.q.zero_point = integer(q, "zeroPoint", path + ".q", 0, 255);
    spec.tensors.push_back(std::move(ts));
  }
  Napi::Array ops = ov.As<Napi::Array>();
  for (uint32_t i = 0; i < ops.Length(); ++i) {
    const std::string path = "spec.ops[" + std::to_string(i) + "]";
    Napi::Value e = ops.Get(i);
    if (!e.IsObject()) throw Error(path + " must be an object");
    Napi::Object o = e.As<Napi::Object>();
    OpSpec op;
    op.kind = op_kind(string(o, "kind", path), path);
    op.name = string(o, "name", path);
    Napi::Value inputs = field(o, "inputs", path);
    if (!inputs.IsArray()) throw Error(path + ".inputs must be an array");
    Napi::Array in = inputs.As<Napi::Array>();
    for (uint32_t k = 0; k < in.Length(); ++k) {
      Napi::Value x = in.Get(k);
      if (!x.IsNumber()) throw Error(path + ".inputs must hold tensor indices");
      op.inputs.push_back(x.As<Napi::Number>().Int32Value());
    }
    op.output = integer(o, "output", path, 0, INT32_MAX);
    op.act_min = static_cast<uint8_t>(optional_integer(o, "actMin", path, 0, 255, 0));
    op.act_max = static_cast<uint8_t>(optional_integer(o, "actMax", path, 0, 255, 255));
    if (op.kind == OpKind::Conv) {
      Napi::Object c = object(o, "conv", path);
      const std::string cp = path + ".conv";
      int32_t v[4];
      int_tuple(c, "kernel", cp, 2, 1, 64, v);
      op.conv.kernel_h = v[0], op.conv.kernel_w = v[1];
      int_tuple(c, "stride", cp, 2, 1, 64, v);
      op.conv.stride_h = v[0], op.conv.stride_w = v[1];
      int_tuple(c, "pads", cp, 4, 0, 64, v);
      op.conv.pad_top = v[0], op.conv.pad_left = v[1], op.conv.pad_bottom = v[2], op.conv.pad_right = v[3];
      int_tuple(c, "dilation", cp, 2, 1, 64, v);
      op.conv.dilation_h = v[0], op.conv.dilation_w = v[1];
      op.conv.groups = integer(c, "groups", cp, 1, 1 << 20);
      op.conv.weights = typed<int8_t, napi_int8_array>(c, "weights", cp, "Int8Array");
      op.conv.bias = typed<int32_t, napi_int32_array>(c, "bias", cp, "Int32Array");
      op.conv.weight_scales = typed<float, napi_float32_array>(c, "weightScales", cp, "Float32Array");
    } else if (op.kind == OpKind::MaxPool || op.kind == OpKind::AveragePool) {
      Napi::Object p = object(o, "pool", path);
      const std::string pp = path + ".pool";
      int32_t v[4];
      int_tuple(p, "kernel", pp, 2, 1, 1024, v);
      op.pool.kernel_h = v[0], op.pool.kernel_w = v[1];
      int_tuple(p, "stride", pp, 2, 1, 1024, v);
      op.pool.stride_h = v[0], op.pool.stride_w = v[1];
      int_tuple(p, "pads", pp, 4, 0, 1024, v);
      op.pool.pad_top = v[0], op.pool.pad_left = v[1], op.pool.pad_bottom = v[2], op.pool.pad_right = v[3];
      op.pool.ceil_mode = boolean(p, "ceilMode", false);
      op.pool.count_include_pad = boolean(p, "countIncludePad", false);
    } else if (op.kind == OpKind::Resize) {
      resize_from_js(object(o, "resize", path), path + ".resize", &op.resize);
    } else if (op.kind == OpKind::Lut) {
      op.lut.table = typed<uint8_t, napi_uint8_array>(o, "lut", path, "Uint8Array");
    }
    spec.ops.push_back(std::move(op));
  }
  spec.input = integer(obj, "input", "spec", 0, INT32_MAX);
  spec.output = integer(obj, "output", "spec", 0, INT32_MAX);
  Napi::Object norm = object(obj, "norm", "spec");
  float_tuple(norm, "mean", "spec.norm", 3, spec.norm.mean);
  float_tuple(norm, "std", "spec.norm", 3, spec.norm.std);
  return spec;
}

attendseg::EngineOptions engine_options_from_js(const Napi::Value& v) {
  attendseg::EngineOptions o;
  if (v.IsUndefined() || v.IsNull()) return o;
  if (!v.IsObject()) throw Error("engine options must be an object");
  Napi::Object obj = v.As<Napi::Object>();
  o.threads = optional_integer(obj, "threads", "options", 0, 256, 0);
  if (!obj.Get("isa").IsUndefined()) o.isa = string(obj, "isa", "options");
  // MiB, 0: no limit; up to 1 TiB.
  o.max_activation_bytes = size_t(optional_integer(obj, "maxActivationMb", "options", 0, 1 << 20,
                                                   int32_t(attendseg::kDefaultMaxActivationBytes >> 20)))
                           << 20;
  return o;
}

attendseg::ImageView image_from_js(const Napi::Object& obj) {
  attendseg::ImageView img;
  const std::string enc = string(obj, "encoding", "image");
  if (!attendseg::parse_encoding(enc.c_str(), &img.encoding))
    throw Error("unsupported encoding '" + enc +
                "' (supported: rgb8, bgr8, rgba8, bgra8, mono8, uyvy/yuv422, yuyv/yuv422_yuy2, nv21, nv24)");
  img.width = integer(obj, "width", "image", 0, INT32_MAX);
  img.height = integer(obj, "height", "image", 0, INT32_MAX);
  const double step = number(obj, "step", "image");
  if (step < 0 || step != std::floor(step) || step > 4.0 * 8192 * 8192) throw Error("image.step must be a non-negative integer");
  img.step = static_cast<size_t>(step);
  Napi::Value data = field(obj, "data", "image");
  if (!data.IsTypedArray() || data.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Error("image.data must be a Uint8Array or Buffer");
  auto a = data.As<Napi::Uint8Array>();
  img.data = a.Data();
  img.size = a.ElementLength();
  return img;
}

attendseg::FrameOptions frame_options_from_js(const Napi::Value& v, std::vector<uint8_t>* palette_storage) {
  if (!v.IsObject()) throw Error("frame options must be an object");
  Napi::Object o = v.As<Napi::Object>();
  attendseg::FrameOptions f;
  f.net_width = integer(o, "networkWidth", "options", 1, attendseg::kMaxImageSide);
  f.net_height = integer(o, "networkHeight", "options", 1, attendseg::kMaxImageSide);
  Napi::Value lr = o.Get("labelResolution");
  if (!lr.IsUndefined()) {
    const std::string s = lr.IsString() ? lr.As<Napi::String>().Utf8Value() : "";
    if (s == "network") f.label_resolution = attendseg::LabelResolution::Network;
    else if (s == "input") f.label_resolution = attendseg::LabelResolution::Input;
    else throw Error("options.labelResolution must be 'input' or 'network'");
  }
  f.want_label = boolean(o, "label", true);
  f.want_colorized = boolean(o, "colorized", false);
  f.want_overlay = boolean(o, "overlay", true);
  f.want_confidence = boolean(o, "confidence", false);
  if (!o.Get("overlayAlpha").IsUndefined()) f.overlay_alpha = static_cast<float>(number(o, "overlayAlpha", "options"));
  Napi::Value pal = o.Get("palette");
  if (!pal.IsUndefined()) {
    if (!pal.IsTypedArray() || pal.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw Error("options.palette must be a Uint8Array of rgb triplets");
    auto a = pal.As<Napi::Uint8Array>();
    if (a.ElementLength() % 3 != 0 || a.ElementLength() == 0 || a.ElementLength() > 768)
      throw Error("options.palette must hold 1..256 rgb triplets");
    palette_storage->assign(a.Data(), a.Data() + a.ElementLength());
    f.palette = palette_storage->data();
    f.palette_size = static_cast<int32_t>(a.ElementLength() / 3);
  }
  return f;
}

}  // namespace attendseg_addon
