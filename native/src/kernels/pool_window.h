// The pooling window of one output pixel (kernels.h "Pooling"), shared by the reference and the
// SIMD kernels: rows [oy * stride_h - pad_top, + kernel_h), columns likewise, of which only the
// in-image elements are read. A window with no in-image element (possible only with unusual
// ceil-mode sizes) gives max 0 and an average of exactly out_zp. Internal linkage: each ISA's
// file compiles its own copy with its own flags.
#pragma once
#include <algorithm>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace {

struct PoolWindow {
  int vy0, vy1, vx0, vx1;  // in-image rows / columns
  // In-image elements (0 for an empty window).
  int valid() const { return std::max(vy1 - vy0, 0) * std::max(vx1 - vx0, 0); }
};

inline PoolWindow pool_window(const PoolArgs& a, int oy, int ox) {
  const int y0 = oy * a.stride_h - a.pad_top, x0 = ox * a.stride_w - a.pad_left;
  return {std::max(y0, 0), std::min(y0 + a.kernel_h, a.in_h), std::max(x0, 0), std::min(x0 + a.kernel_w, a.in_w)};
}

// The average's multiplier ratio / n: n counts the in-image elements, or with count_include_pad
// the window clipped to the padded extent [-pad_top, in_h + pad_bottom) x [-pad_left, in_w +
// pad_right) (ONNX Runtime's rule); 0 for n = 0.
inline float average_multiplier(const PoolArgs& a, int oy, int ox, const PoolWindow& w) {
  int n = w.valid();
  if (a.count_include_pad) {
    const int y0 = oy * a.stride_h - a.pad_top, x0 = ox * a.stride_w - a.pad_left;
    const int py = std::min(y0 + a.kernel_h, a.in_h + a.pad_bottom) - y0;
    const int px = std::min(x0 + a.kernel_w, a.in_w + a.pad_right) - x0;
    n = std::max(py, 0) * std::max(px, 0);
  }
  return n > 0 ? a.ratio / static_cast<float>(n) : 0.0f;
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
