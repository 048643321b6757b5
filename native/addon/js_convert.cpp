#include "js_convert.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
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

// An enum from its contract name (attendseg/model.h), the error listing the accepted ones.
template <class E, size_t N>
E enum_named(const char* const (&names)[N], const std::string& s, const std::string& field, const char* what) {
  std::string all;
  for (size_t i = 0; i < N; ++i) {
    if (s == names[i]) return static_cast<E>(i);
    all += (i ? ", " : "") + std::string(names[i]);
  }
  throw Error(field + " '" + s + "' is not " + what + " (" + all + ")");
}

void resize_from_js(const Napi::Object& r, const std::string& path, attendseg::ResizeSpec* out) {
  using namespace attendseg;
  out->mode = enum_named<ResizeMode>(kResizeModeNames, string(r, "mode", path), path + ".mode", "a resize mode");
  out->coord = enum_named<CoordMode>(kCoordModeNames, string(r, "coord", path), path + ".coord", "a supported coordinate mode");
  out->nearest = enum_named<NearestMode>(kNearestModeNames, string(r, "nearest", path), path + ".nearest", "a supported nearest mode");
  if (!r.Get("scales").IsUndefined()) {
    float s[2];
    float_tuple(r, "scales", path, 2, s);
    out->scale_h = s[0];
    out->scale_w = s[1];
  }
  if (!r.Get("size").IsUndefined()) {
    int32_t s[2];
    int_tuple(r, "size", path, 2, INT32_MIN, INT32_MAX, s);
    out->out_h = s[0];
    out->out_w = s[1];
  }
  if (!r.Get("sizeOf").IsUndefined()) out->size_of = integer(r, "sizeOf", path, INT32_MIN, INT32_MAX);
}

template <class T>
Napi::TypedArrayOf<T> typed_to_js(Napi::Env env, const std::vector<T>& v) {
  auto a = Napi::TypedArrayOf<T>::New(env, v.size());
  if (!v.empty()) std::memcpy(a.Data(), v.data(), v.size() * sizeof(T));
  return a;
}

Napi::Array ints_to_js(Napi::Env env, std::initializer_list<int32_t> v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  uint32_t i = 0;
  for (int32_t x : v) a.Set(i++, x);
  return a;
}

Napi::Array floats_to_js(Napi::Env env, const float* v, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) a.Set(uint32_t(i), double(v[i]));
  return a;
}

Napi::Array names_to_js(Napi::Env env, const char* const* names, size_t n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (size_t i = 0; i < n; ++i) a.Set(uint32_t(i), names[i]);
  return a;
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
    ts.channels = integer(t, "channels", path, INT32_MIN, INT32_MAX);
    Napi::Object q = object(t, "q", path);
    ts.q.scale = static_cast<float>(number(q, "scale", path + ".q"));
    ts.q.zero_point = integer(q, "zeroPoint", path + ".q", INT32_MIN, INT32_MAX);
    spec.tensors.push_back(std::move(ts));
  }
  Napi::Array ops = ov.As<Napi::Array>();
  for (uint32_t i = 0; i < ops.Length(); ++i) {
    const std::string path = "spec.ops[" + std::to_string(i) + "]";
    Napi::Value e = ops.Get(i);
    if (!e.IsObject()) throw Error(path + " must be an object");
    Napi::Object o = e.As<Napi::Object>();
    OpSpec op;
    op.kind = enum_named<OpKind>(kOpKindNames, string(o, "kind", path), path + ".kind", "an op the engine runs");
    op.name = string(o, "name", path);
    Napi::Value inputs = field(o, "inputs", path);
    if (!inputs.IsArray()) throw Error(path + ".inputs must be an array");
    Napi::Array in = inputs.As<Napi::Array>();
    for (uint32_t k = 0; k < in.Length(); ++k) {
      Napi::Value x = in.Get(k);
      const double d = x.IsNumber() ? x.As<Napi::Number>().DoubleValue() : NAN;
      if (!(d == std::floor(d)) || d < INT32_MIN || d > INT32_MAX) throw Error(path + ".inputs must hold tensor indices");
      op.inputs.push_back(static_cast<int32_t>(d));
    }
    op.output = integer(o, "output", path, INT32_MIN, INT32_MAX);
    op.act_min = static_cast<uint8_t>(optional_integer(o, "actMin", path, 0, 255, 0));
    op.act_max = static_cast<uint8_t>(optional_integer(o, "actMax", path, 0, 255, 255));
    if (op.kind == OpKind::Conv) {
      Napi::Object c = object(o, "conv", path);
      const std::string cp = path + ".conv";
      int32_t v[4];
      int_tuple(c, "kernel", cp, 2, INT32_MIN, INT32_MAX, v);
      op.conv.kernel_h = v[0], op.conv.kernel_w = v[1];
      int_tuple(c, "stride", cp, 2, INT32_MIN, INT32_MAX, v);
      op.conv.stride_h = v[0], op.conv.stride_w = v[1];
      int_tuple(c, "pads", cp, 4, INT32_MIN, INT32_MAX, v);
      op.conv.pad_top = v[0], op.conv.pad_left = v[1], op.conv.pad_bottom = v[2], op.conv.pad_right = v[3];
      int_tuple(c, "dilation", cp, 2, INT32_MIN, INT32_MAX, v);
      op.conv.dilation_h = v[0], op.conv.dilation_w = v[1];
      op.conv.groups = integer(c, "groups", cp, INT32_MIN, INT32_MAX);
      op.conv.weights = typed<int8_t, napi_int8_array>(c, "weights", cp, "Int8Array");
      op.conv.bias = typed<int32_t, napi_int32_array>(c, "bias", cp, "Int32Array");
      op.conv.weight_scales = typed<float, napi_float32_array>(c, "weightScales", cp, "Float32Array");
    } else if (op.kind == OpKind::MaxPool || op.kind == OpKind::AveragePool) {
      Napi::Object p = object(o, "pool", path);
      const std::string pp = path + ".pool";
      int32_t v[4];
      int_tuple(p, "kernel", pp, 2, INT32_MIN, INT32_MAX, v);
      op.pool.kernel_h = v[0], op.pool.kernel_w = v[1];
      int_tuple(p, "stride", pp, 2, INT32_MIN, INT32_MAX, v);
      op.pool.stride_h = v[0], op.pool.stride_w = v[1];
      int_tuple(p, "pads", pp, 4, INT32_MIN, INT32_MAX, v);
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
  spec.input = integer(obj, "input", "spec", INT32_MIN, INT32_MAX);
  spec.output = integer(obj, "output", "spec", INT32_MIN, INT32_MAX);
  Napi::Object norm = object(obj, "norm", "spec");
  float_tuple(norm, "mean", "spec.norm", 3, spec.norm.mean);
  float_tuple(norm, "std", "spec.norm", 3, spec.norm.std);
  return spec;
}

Napi::Object spec_to_js(Napi::Env env, const attendseg::ModelSpec& spec) {
  using namespace attendseg;
  Napi::Array tensors = Napi::Array::New(env, spec.tensors.size());
  for (size_t i = 0; i < spec.tensors.size(); ++i) {
    const TensorSpec& t = spec.tensors[i];
    Napi::Object o = Napi::Object::New(env), q = Napi::Object::New(env);
    o.Set("name", t.name);
    o.Set("channels", t.channels);
    q.Set("scale", double(t.q.scale));
    q.Set("zeroPoint", t.q.zero_point);
    o.Set("q", q);
    tensors.Set(uint32_t(i), o);
  }
  Napi::Array ops = Napi::Array::New(env, spec.ops.size());
  for (size_t i = 0; i < spec.ops.size(); ++i) {
    const OpSpec& op = spec.ops[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("kind", kOpKindNames[size_t(op.kind)]);
    o.Set("name", op.name);
    Napi::Array inputs = Napi::Array::New(env, op.inputs.size());
    for (size_t k = 0; k < op.inputs.size(); ++k) inputs.Set(uint32_t(k), op.inputs[k]);
    o.Set("inputs", inputs);
    o.Set("output", op.output);
    o.Set("actMin", op.act_min);
    o.Set("actMax", op.act_max);
    if (op.kind == OpKind::Conv) {
      const ConvSpec& c = op.conv;
      Napi::Object co = Napi::Object::New(env);
      co.Set("kernel", ints_to_js(env, {c.kernel_h, c.kernel_w}));
      co.Set("stride", ints_to_js(env, {c.stride_h, c.stride_w}));
      co.Set("pads", ints_to_js(env, {c.pad_top, c.pad_left, c.pad_bottom, c.pad_right}));
      co.Set("dilation", ints_to_js(env, {c.dilation_h, c.dilation_w}));
      co.Set("groups", c.groups);
      co.Set("weights", typed_to_js(env, c.weights));
      co.Set("bias", typed_to_js(env, c.bias));
      co.Set("weightScales", typed_to_js(env, c.weight_scales));
      o.Set("conv", co);
    } else if (op.kind == OpKind::MaxPool || op.kind == OpKind::AveragePool) {
      const PoolSpec& p = op.pool;
      Napi::Object po = Napi::Object::New(env);
      po.Set("kernel", ints_to_js(env, {p.kernel_h, p.kernel_w}));
      po.Set("stride", ints_to_js(env, {p.stride_h, p.stride_w}));
      po.Set("pads", ints_to_js(env, {p.pad_top, p.pad_left, p.pad_bottom, p.pad_right}));
      po.Set("ceilMode", p.ceil_mode);
      po.Set("countIncludePad", p.count_include_pad);
      o.Set("pool", po);
    } else if (op.kind == OpKind::Resize) {
      const ResizeSpec& r = op.resize;
      Napi::Object ro = Napi::Object::New(env);
      ro.Set("mode", kResizeModeNames[size_t(r.mode)]);
      ro.Set("coord", kCoordModeNames[size_t(r.coord)]);
      ro.Set("nearest", kNearestModeNames[size_t(r.nearest)]);
      if (r.scale_h > 0 || r.scale_w > 0) {
        const float s[2] = {r.scale_h, r.scale_w};
        ro.Set("scales", floats_to_js(env, s, 2));
      }
      if (r.out_h > 0 || r.out_w > 0) ro.Set("size", ints_to_js(env, {r.out_h, r.out_w}));
      if (r.size_of >= 0) ro.Set("sizeOf", r.size_of);
      o.Set("resize", ro);
    } else if (op.kind == OpKind::Lut) {
      o.Set("lut", typed_to_js(env, op.lut.table));
    }
    ops.Set(uint32_t(i), o);
  }
  Napi::Object out = Napi::Object::New(env), norm = Napi::Object::New(env);
  out.Set("tensors", tensors);
  out.Set("ops", ops);
  out.Set("input", spec.input);
  out.Set("output", spec.output);
  norm.Set("mean", floats_to_js(env, spec.norm.mean, 3));
  norm.Set("std", floats_to_js(env, spec.norm.std, 3));
  out.Set("norm", norm);
  return out;
}

Napi::Object model_contract_to_js(Napi::Env env) {
  using namespace attendseg;
  Napi::Object c = Napi::Object::New(env), limits = Napi::Object::New(env);
  c.Set("opKinds", names_to_js(env, kOpKindNames, kOpKindCount));
  c.Set("resizeModes", names_to_js(env, kResizeModeNames, kResizeModeCount));
  c.Set("coordModes", names_to_js(env, kCoordModeNames, kCoordModeCount));
  c.Set("nearestModes", names_to_js(env, kNearestModeNames, kNearestModeCount));
  limits.Set("maxChannels", kMaxChannels);
  limits.Set("maxClasses", kMaxClasses);
  limits.Set("maxConvKernel", kMaxConvKernel);
  limits.Set("maxConvStride", kMaxConvStride);
  limits.Set("maxConvDilation", kMaxConvDilation);
  limits.Set("maxPoolKernel", kMaxPoolKernel);
  limits.Set("maxPoolStride", kMaxPoolStride);
  limits.Set("maxPad", kMaxPad);
  limits.Set("minScale", double(kMinScale));
  limits.Set("maxScale", double(kMaxScale));
  limits.Set("maxResizeScale", kMaxResizeScale);
  limits.Set("maxResizeSide", kMaxResizeSide);
  limits.Set("maxImageSide", kMaxImageSide);
  limits.Set("maxOps", double(kMaxOps));
  limits.Set("maxWeightElements", double(kMaxWeightElements));
  c.Set("limits", limits);
  c.Freeze();
  limits.Freeze();
  return c;
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

namespace {
// Control characters as escapes, so an error line stays one readable line.
std::string printable(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out += c;
    } else {
      char esc[8];
      snprintf(esc, sizeof esc, "\\x%02x", static_cast<unsigned char>(c));
      out += esc;
    }
  }
  return out;
}
}  // namespace

attendseg::ImageView image_from_js(const Napi::Object& obj) {
  attendseg::ImageView img;
  const std::string enc = string(obj, "encoding", "image");
  // A NUL inside the string would end it early for parse_encoding: "rgb8\0x" is not rgb8.
  if (enc.find('\0') != std::string::npos || !attendseg::parse_encoding(enc.c_str(), &img.encoding))
    throw Error("unsupported encoding '" + printable(enc) +
                "' (supported: rgb8, bgr8, rgba8, bgra8, mono8, uyvy/yuv422, yuyv/yuv422_yuy2, nv21, nv24)");
  img.width = integer(obj, "width", "image", 0, INT32_MAX);
  img.height = integer(obj, "height", "image", 0, INT32_MAX);
  const double step = number(obj, "step", "image");
  if (step < 0 || step != std::floor(step) || step > 4.0 * attendseg::kMaxImageSide * attendseg::kMaxImageSide) throw Error("image.step must be a non-negative integer");
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
    if (a.ElementLength() % 3 != 0 || a.ElementLength() == 0 || a.ElementLength() > size_t(3) * attendseg::kMaxClasses)
      throw Error("options.palette must hold 1.." + std::to_string(attendseg::kMaxClasses) + " rgb triplets");
    palette_storage->assign(a.Data(), a.Data() + a.ElementLength());
    f.palette = palette_storage->data();
    f.palette_size = static_cast<int32_t>(a.ElementLength() / 3);
  }
  return f;
}

}  // namespace attendseg_addon
