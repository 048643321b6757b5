// Conversions from JavaScript values to the engine's C++ types, with errors naming the field.
#pragma once
#include <napi.h>

#include "attendseg/engine.h"

namespace attendseg_addon {

attendseg::ModelSpec spec_from_js(const Napi::Object& obj);
attendseg::EngineOptions engine_options_from_js(const Napi::Value& v);
// The frame keeps pointing into the JavaScript buffer: keep the buffer alive while it is used.
attendseg::ImageView image_from_js(const Napi::Object& obj);
attendseg::FrameOptions frame_options_from_js(const Napi::Value& v, std::vector<uint8_t>* palette_storage);

}  // namespace attendseg_addon
