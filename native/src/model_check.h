// Structural validation of a ModelSpec before anything is packed or allocated.
#pragma once
#include "attendseg/model.h"

namespace attendseg {

// Throws attendseg::Error naming the op (or tensor) and the reason.
void check_model(const ModelSpec& spec);

// Limits a model must stay within; generous for the networks we run, small enough that a
// hostile spec cannot make us allocate without bound.
constexpr int kMaxChannels = 4096;
constexpr int kMaxConvKernel = 7;
constexpr int kMaxConvStride = 8;
constexpr int kMaxPoolKernel = 64;
constexpr int kMaxPoolStride = 64;
constexpr int kMaxPad = 64;
constexpr size_t kMaxOps = 100000;
constexpr size_t kMaxWeightElements = size_t(64) << 20;

}  // namespace attendseg
