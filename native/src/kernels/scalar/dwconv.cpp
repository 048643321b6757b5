// Reference depthwise convolution (kernels.h, DwConvArgs). Deliberately plain: every SIMD
// depthwise kernel is tested against this loop nest bit for bit. Taps outside the image read
// in_zp, matching the bias, which already holds -in_zp * sum(w).
#include <cstring>

#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// The reference keeps the weights exactly as given: [C][kh][kw] int8.
size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels) {
  return static_cast<size_t>(kernel_h) * kernel_w * channels;
}

void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed) {
  std::memcpy(packed, w, dw_packed_bytes(kernel_h, kernel_w, channels));
}

void dw_run(const DwConvArgs& a, int row_begin, int row_end) {
  const int8_t* w = reinterpret_cast<const int8_t*>(a.packed);
  const int C = a.channels;
  for (int oy = row_begin; oy < row_end; ++oy) {
    for (int ox = 0; ox < a.out_w; ++ox) {
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      for (int c = 0; c < C; ++c) {
        int32_t acc = a.rq.bias ? a.rq.bias[c] : 0;
        for (int ky = 0; ky < a.kernel_h; ++ky) {
          const int iy = oy * a.stride_h - a.pad_top + ky * a.dilation_h;
          for (int kx = 0; kx < a.kernel_w; ++kx) {
            const int ix = ox * a.stride_w - a.pad_left + kx * a.dilation_w;
            const bool inside = iy >= 0 && iy < a.in_h && ix >= 0 && ix < a.in_w;
            const int32_t x = inside ? a.in[(static_cast<size_t>(iy) * a.in_w + ix) * C + c] : a.in_zp;
            acc += x * static_cast<int32_t>(w[(static_cast<size_t>(c) * a.kernel_h + ky) * a.kernel_w + kx]);
          }
        }
        const int32_t y = round_clamped(static_cast<float>(acc) * a.rq.scale[c]) + a.rq.out_zp;
        out[c] = clamp_u8(y, a.rq.qmin, a.rq.qmax);
      }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
