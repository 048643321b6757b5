// Add, Mul, table lookup and channel copy (reference). See kernels.h "Element-wise".
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

namespace {
inline int32_t b_value(const BinaryArgs& a, size_t p, int c) {
  switch (a.broadcast) {
    case Broadcast::Channel: return a.b[c];
    case Broadcast::Pixel: return a.b[p];
    case Broadcast::Full:
    default: return a.b[p * a.channels + c];
  }
}
}  // namespace

// ONNX Runtime's float path (kernels.h "Element-wise"):
// y = clamp(round(((float)(a - za) * sa + (float)(b - zb) * sb) / sy) + zy, qmin, qmax)
void add(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  for (size_t p = p_begin; p < p_end; ++p) {
    for (int c = 0; c < C; ++c) {
      const size_t i = p * C + c;
      const float fa = static_cast<float>(a.a[i] - a.za) * a.sa;
      const float fb = static_cast<float>(b_value(a, p, c) - a.zb) * a.sb;
      const float v = fa + fb;
      a.out[i] = clamp_u8(round_clamped(v / a.sy) + a.zy, a.qmin, a.qmax);
    }
  }
}

// y = clamp(round(((float)(a - za) * sa * ((float)(b - zb) * sb)) / sy) + zy, qmin, qmax)
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  for (size_t p = p_begin; p < p_end; ++p) {
    for (int c = 0; c < C; ++c) {
      const size_t i = p * C + c;
      const float fa = static_cast<float>(a.a[i] - a.za) * a.sa;
      const float fb = static_cast<float>(b_value(a, p, c) - a.zb) * a.sb;
      const float v = fa * fb;
      a.out[i] = clamp_u8(round_clamped(v / a.sy) + a.zy, a.qmin, a.qmax);
    }
  }
}

void lut(const LutArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  for (size_t p = p_begin; p < p_end; ++p)
    for (int c = 0; c < C; ++c) {
      const size_t i = p * C + c;
      a.out[i] = a.table[(a.per_channel ? static_cast<size_t>(c) * 256 : 0) + a.in[i]];
    }
}

void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  for (size_t p = p_begin; p < p_end; ++p) {
    const uint8_t* in = a.in + p * C;
    uint8_t* out = a.out + p * a.out_stride + a.c_offset;
    for (int c = 0; c < C; ++c) out[c] = a.lut ? a.lut[in[c]] : in[c];
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
