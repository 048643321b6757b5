// Max and average pooling, NHWC uint8 (reference). See kernels.h "Pooling".
#include <algorithm>

#include "kernels/pool_window.h"
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// The window of each output is pool_window's; the requantization table, if any, maps the maximum.
void maxpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    for (int ox = 0; ox < a.out_w; ++ox) {
      const PoolWindow w = pool_window(a, oy, ox);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        int m = 0;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix)
            m = std::max<int>(m, a.in[(static_cast<size_t>(iy) * a.in_w + ix) * C + c]);
        out[c] = a.lut ? a.lut[m] : static_cast<uint8_t>(m);
      }
    }
  }
}

// y = clamp(round(sum of (x - in_zp) * average_multiplier) + out_zp) over the window.
void avgpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    for (int ox = 0; ox < a.out_w; ++ox) {
      const PoolWindow w = pool_window(a, oy, ox);
      const float m = average_multiplier(a, oy, ox, w);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        int32_t s = 0;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix)
            s += a.in[(static_cast<size_t>(iy) * a.in_w + ix) * C + c] - a.in_zp;
        out[c] = clamp_u8(round_clamped(static_cast<float>(s) * m) + a.out_zp);
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
