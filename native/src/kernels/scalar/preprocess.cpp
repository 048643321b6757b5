// Fused image preprocess (reference): any encoding -> RGB -> bilinear resize -> per-channel table.
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/pixel.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// Each output pixel through px::preprocess_pixel.
void preprocess(const PreprocessArgs& a, int row_begin, int row_end) {
  for (int oy = row_begin; oy < row_end; ++oy)
    for (int ox = 0; ox < a.net_w; ++ox) px::preprocess_pixel(a, oy, ox);
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
