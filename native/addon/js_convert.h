// Conversions from JavaScript values to the engine's C++ types, with errors naming the field.
#pragma once
#include <napi.h>

#include "attendseg/engine.h"

namespace attendseg_addon {

// Types and shapes only: the contract's limits are check_model's (Engine::create runs it).
attendseg::ModelSpec spec_from_js(const Napi::Object& obj);
// The inverse of spec_from_js, field for field (src/engine/spec.ts's ModelSpec).
Napi::Object spec_to_js(Napi::Env env, const attendseg::ModelSpec& spec);
// Op kinds, enum names (in enum order) and limits of attendseg/model.h.
Napi::Object model_contract_to_js(Napi::Env env);
attendseg::EngineOptions engine_options_from_js(const Napi::Value& v);
// The frame keeps pointing into the JavaScript buffer: keep the buffer alive while it is used.
attendseg::ImageView image_from_js(const Napi::Object& obj);
attendseg::FrameOptions frame_options_from_js(const Napi::Value& v, std::vector<uint8_t>* palette_storage);

}  // namespace attendseg_addon
