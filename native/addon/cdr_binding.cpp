#include "cdr_binding.h"

#include <cmath>
#include <cstring>
#include <string>

#include "attendseg/engine.h"

namespace attendseg_addon {

using attendseg::Error;

namespace {

double integral(const Napi::Object& o, const char* name, const std::string& path, double lo, double hi) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) throw Error(path + "." + name + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d == std::floor(d)) || d < lo || d > hi)
    throw Error(path + "." + name + " must be an integer within " + std::to_string(int64_t(lo)) + ".." +
                std::to_string(int64_t(hi)));
  return d;
}

std::string text(const Napi::Object& o, const char* name, const std::string& path) {
  Napi::Value v = o.Get(name);
  if (!v.IsString()) throw Error(path + "." + name + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

Napi::Uint8Array bytes_arg(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
    throw Error(std::string(what) + " must be a Uint8Array or Buffer");
  return v.As<Napi::Uint8Array>();
}

// encodeImageCdr({header, height, width, encoding, is_bigendian?, step, data}) -> Buffer
Napi::Value EncodeImageCdr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!info[0].IsObject()) throw Error("encodeImageCdr(message): message must be an object");
    const Napi::Object m = info[0].As<Napi::Object>();
    const cdr::Header header = cdr_header_from_js(m.Get("header"));
    const uint32_t height = uint32_t(integral(m, "height", "message", 0, UINT32_MAX));
    const uint32_t width = uint32_t(integral(m, "width", "message", 0, UINT32_MAX));
    const std::string encoding = text(m, "encoding", "message");
    const uint8_t is_bigendian = m.Get("is_bigendian").IsUndefined() ? 0 : uint8_t(integral(m, "is_bigendian", "message", 0, 255));
    const uint32_t step = uint32_t(integral(m, "step", "message", 0, UINT32_MAX));
    const Napi::Uint8Array data = bytes_arg(m.Get("data"), "message.data");
    const cdr::ImageLayout layout = cdr::image_layout(header, encoding, data.ElementLength());
    Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, layout.total_size);
    cdr::write_image_prefix(out.Data(), layout, header, height, width, encoding, is_bigendian, step, data.ElementLength());
    if (data.ElementLength()) std::memcpy(out.Data() + layout.data_offset, data.Data(), data.ElementLength());
    return out;
  } catch (const std::exception& e) {
    Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

}  // namespace

cdr::Header cdr_header_from_js(const Napi::Value& v) {
  if (!v.IsObject()) throw Error("header must be an object {stamp: {sec, nanosec}, frame_id}");
  const Napi::Object h = v.As<Napi::Object>();
  const Napi::Value sv = h.Get("stamp");
  if (!sv.IsObject()) throw Error("header.stamp must be an object {sec, nanosec}");
  const Napi::Object stamp = sv.As<Napi::Object>();
  cdr::Header out;
  out.stamp_sec = int32_t(integral(stamp, "sec", "header.stamp", INT32_MIN, INT32_MAX));
  out.stamp_nanosec = uint32_t(integral(stamp, "nanosec", "header.stamp", 0, UINT32_MAX));
  out.frame_id = text(h, "frame_id", "header");
  return out;
}

Napi::Buffer<uint8_t> new_image_message(Napi::Env env, const cdr::Header& header, int32_t width, int32_t height,
                                        const char* encoding, int channels, uint8_t** data) {
  const size_t step = size_t(width) * channels;
  const size_t size = step * size_t(height);
  const cdr::ImageLayout layout = cdr::image_layout(header, encoding, size);
  Napi::Buffer<uint8_t> buf = Napi::Buffer<uint8_t>::New(env, layout.total_size);
  cdr::write_image_prefix(buf.Data(), layout, header, uint32_t(height), uint32_t(width), encoding, 0, uint32_t(step), size);
  *data = buf.Data() + layout.data_offset;
  return buf;
}

void register_cdr_exports(Napi::Env env, Napi::Object exports) {
  exports.Set("encodeImageCdr", Napi::Function::New(env, EncodeImageCdr));
}

}  // namespace attendseg_addon
