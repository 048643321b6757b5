#include "label_pairs_binding.h"

#include <cstddef>
#include <cstdint>

namespace attendseg_addon {

namespace {

constexpr size_t kLane = 65536;  // one counter per (ground truth, prediction) byte pair
constexpr size_t kLanes = 4;

// countLabelPairs(prediction: Uint8Array, groundTruth: Uint8Array, counts: Uint32Array): for
// every pixel i, counts[(i % 4) * 65536 + (groundTruth[i] << 8 | prediction[i])] += 1. Four lanes
// taken in turn, so runs of equal pairs (label maps are mostly regions) do not wait on each
// other's stores. The caller keeps the counters from overflowing (fewer than 2^32 pixels a lane).
Napi::Value CountLabelPairs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto is = [&](size_t i, napi_typedarray_type t) {
    return info[i].IsTypedArray() && info[i].As<Napi::TypedArray>().TypedArrayType() == t;
  };
  if (!is(0, napi_uint8_array) || !is(1, napi_uint8_array) || !is(2, napi_uint32_array)) {
    Napi::TypeError::New(env, "countLabelPairs(prediction, groundTruth, counts): Uint8Array, Uint8Array, Uint32Array")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto pred = info[0].As<Napi::Uint8Array>();
  auto gt = info[1].As<Napi::Uint8Array>();
  auto counts = info[2].As<Napi::Uint32Array>();
  const size_t n = gt.ElementLength();
  if (pred.ElementLength() != n || counts.ElementLength() != kLanes * kLane) {
    Napi::RangeError::New(env, "countLabelPairs: prediction and ground truth differ in length, or counts is not 4 x 65536")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const uint8_t* p = pred.Data();
  const uint8_t* g = gt.Data();
  uint32_t* c = counts.Data();
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (size_t l = 0; l < kLanes; ++l) ++c[l * kLane + (size_t(g[i + l]) << 8 | p[i + l])];
  for (; i < n; ++i) ++c[(i % kLanes) * kLane + (size_t(g[i]) << 8 | p[i])];
  return env.Undefined();
}

}  // namespace

void register_label_pairs_exports(Napi::Env env, Napi::Object exports) {
  exports.Set("countLabelPairs", Napi::Function::New(env, CountLabelPairs));
}

}  // namespace attendseg_addon
