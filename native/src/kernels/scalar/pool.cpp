// Max and average pooling, NHWC uint8 (reference). See kernels.h "Pooling".
#include <algorithm>

#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// Window of output (oy, ox): rows [oy*stride_h - pad_top, + kernel_h), columns likewise; only
// in-image elements are read. A window with no in-image element (possible only with unusual
// ceil-mode sizes) gives max 0 and an average of exactly out_zp.
void maxpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + a.kernel_h, a.in_h);
    for (int ox = 0; ox < a.out_w; ++ox) {
      const int x0 = ox * a.stride_w - a.pad_left;
      const int vx0 = std::max(x0, 0), vx1 = std::min(x0 + a.kernel_w, a.in_w);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        int m = 0;
        for (int iy = vy0; iy < vy1; ++iy)
          for (int ix = vx0; ix < vx1; ++ix)
            m = std::max<int>(m, a.in[(static_cast<size_t>(iy) * a.in_w + ix) * C + c]);
        out[c] = a.lut ? a.lut[m] : static_cast<uint8_t>(m);
      }
    }
  }
}

// n counts the in-image elements, or with count_include_pad the window clipped to the padded
// extent [-pad_top, in_h + pad_bottom) x [-pad_left, in_w + pad_right) (ONNX Runtime's rule).
void avgpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int y0 = oy * a.stride_h - a.pad_top;
    const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + a.kernel_h, a.in_h);
    const int py = std::min(y0 + a.kernel_h, a.in_h + a.pad_bottom) - y0;
    for (int ox = 0; ox < a.out_w; ++ox) {
      const int x0 = ox * a.stride_w - a.pad_left;
      const int vx0 = std::max(x0, 0), vx1 = std::min(x0 + a.kernel_w, a.in_w);
      const int px = std::min(x0 + a.kernel_w, a.in_w + a.pad_right) - x0;
      const int valid = std::max(vy1 - vy0, 0) * std::max(vx1 - vx0, 0);
      const int n = a.count_include_pad ? std::max(py, 0) * std::max(px, 0) : valid;
      const float m = n > 0 ? a.ratio / static_cast<float>(n) : 0.0f;
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        int32_t s = 0;
        for (int iy = vy0; iy < vy1; ++iy)
          for (int ix = vx0; ix < vx1; ++ix)
            s += a.in[(static_cast<size_t>(iy) * a.in_w + ix) * C + c] - a.in_zp;
        out[c] = clamp_u8(round_clamped(static_cast<float>(s) * m) + a.out_zp);
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
