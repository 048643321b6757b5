// The model contract for JavaScript: modelContract (op kinds, enum names and limits of
// attendseg/model.h) and decodeSpecFile (the native tools' spec file, read and validated).
#pragma once
#include <napi.h>

namespace attendseg_addon {

void register_model_exports(Napi::Env env, Napi::Object exports);

}  // namespace attendseg_addon
