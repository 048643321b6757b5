#include "model_binding.h"

#include "js_convert.h"
#include "model_check.h"
#include "spec_file.h"

namespace attendseg_addon {

namespace {

// decodeSpecFile(bytes: Uint8Array, source?: string) -> ModelSpec, after check_model.
Napi::Value DecodeSpecFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  try {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array)
      throw attendseg::Error("decodeSpecFile(bytes, source?): bytes must be a Uint8Array");
    const std::string source = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "spec file";
    auto bytes = info[0].As<Napi::Uint8Array>();
    const attendseg::ModelSpec spec = attendseg::parse_spec_file(bytes.Data(), bytes.ElementLength(), source);
    attendseg::check_model(spec);
    return spec_to_js(env, spec);
  } catch (const std::exception& e) {
    Napi::Error::New(env, e.what()).ThrowAsJavaScriptException();
    return env.Undefined();
  }
}

}  // namespace

void register_model_exports(Napi::Env env, Napi::Object exports) {
  exports.Set("modelContract", model_contract_to_js(env));
  exports.Set("decodeSpecFile", Napi::Function::New(env, DecodeSpecFile));
}

}  // namespace attendseg_addon
