// JavaScript side of the confusion-matrix count (src/eval/confusion.ts): the per-pixel loop, in
// native code because at 480x360 and two engine threads every millisecond the main thread spends
// per frame is taken from one engine thread.
#pragma once
#include <napi.h>

namespace attendseg_addon {

// countLabelPairs(prediction, groundTruth, counts).
void register_label_pairs_exports(Napi::Env env, Napi::Object exports);

}  // namespace attendseg_addon
