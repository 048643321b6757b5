// NEON depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run; shared
// by both NEON tables.
//
// Vectorized across channels (NHWC) in blocks of 16 (8 when the layer has 8..15 channels).
// Per tap the block's input bytes are widened to int16 and multiplied with the tap's int16
// weights by SMLAL/SMLAL2 into int32 accumulators: each lane holds the reference's exact sum.
// A channel count that is not a multiple of the block ends with a block overlapping the
// previous one (recomputing identical bytes), so no load or store leaves the pixel.
//
// Padding: interior output pixels (every tap inside the image) read the input directly, four
// pixels at a time so each weight load is reused (and, for 3-wide kernels with stride_w ==
// dilation_w, each input column widened once for the four); a border pixel reads its outside taps from a
// register-sized buffer of in_zp bytes, exactly the reference's "padding reads as in_zp".
//
// Layers with fewer than 8 channels do not fill one register and run the scalar reference
// (with its packing): no supported network has one in a hot path.
//
// Packed layout: per block (in channel order), per tap (ky, kx) the block's int16 weights.
#include <arm_neon.h>

#include <algorithm>
#include <cstring>

#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// Blocks of one layer: width 16 or 8, starts 0, W, 2W, ... and a last one at C - W.
struct Blocks {
  int width = 0, count = 0, channels = 0;
  explicit Blocks(int C) : channels(C) {
    width = C >= 16 ? 16 : (C >= 8 ? 8 : 0);
    count = width ? (C + width - 1) / width : 0;
  }
  int start(int b) const { return std::min(b * width, channels - width); }
};

struct Geometry {
  ptrdiff_t px_step;   // bytes between horizontally adjacent output pixels' windows
  ptrdiff_t row_step;  // bytes between kernel rows (dilation_h input rows)
  ptrdiff_t tap_step;  // bytes between kernel columns (dilation_w input pixels)
};

template <int W>
struct Vec;
template <>
struct Vec<16> {
  static constexpr int kAcc = 4;
  static inline void mac(int32x4_t* acc, const uint8_t* x, const int16x8_t* w) {
    const uint8x16_t v = vld1q_u8(x);
    const int16x8_t lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(v)));
    const int16x8_t hi = vreinterpretq_s16_u16(vmovl_u8(vget_high_u8(v)));
    acc[0] = vmlal_s16(acc[0], vget_low_s16(lo), vget_low_s16(w[0]));
    acc[1] = vmlal_high_s16(acc[1], lo, w[0]);
    acc[2] = vmlal_s16(acc[2], vget_low_s16(hi), vget_low_s16(w[1]));
    acc[3] = vmlal_high_s16(acc[3], hi, w[1]);
  }
  template <class RK>
  static inline void store(uint8_t* out, const int32x4_t* acc, const float32x4_t* s, const RK& k) {
    auto scaled = [&](int j) { return vmulq_f32(vcvtq_f32_s32(acc[j]), s[j]); };
    const uint8x16_t v = round_narrow16(scaled(0), scaled(1), scaled(2), scaled(3), k.zp16);
    vst1q_u8(out, k.clamp(v));
  }
};
template <>
struct Vec<8> {
  static constexpr int kAcc = 2;
  static inline void mac(int32x4_t* acc, const uint8_t* x, const int16x8_t* w) {
    const int16x8_t v = vreinterpretq_s16_u16(vmovl_u8(vld1_u8(x)));
    acc[0] = vmlal_s16(acc[0], vget_low_s16(v), vget_low_s16(w[0]));
    acc[1] = vmlal_high_s16(acc[1], v, w[0]);
  }
  template <class RK>
  static inline void store(uint8_t* out, const int32x4_t* acc, const float32x4_t* s, const RK& k) {
    const uint8x8_t v = narrow8(requant4(acc[0], s[0], k), requant4(acc[1], s[1], k));
    vst1_u8(out, k.clamp(v));
  }
};

// Per-block constants: bias and scale of its channels.
struct BlockQ {
  int32x4_t bias[4];
  float32x4_t scale[4];
};

// NPX horizontally adjacent interior output pixels of one block; p: the first tap of the first
// pixel's window.
template <int W, int NPX, class RK>
inline void interior(const DwConvArgs& a, const Geometry& g, const uint8_t* p, const int16_t* wblock, const BlockQ& q,
                     const RK& rk, uint8_t* out) {
  constexpr int NA = Vec<W>::kAcc;
  int32x4_t acc[NPX][NA];
  for (int i = 0; i < NPX; ++i)
    for (int j = 0; j < NA; ++j) acc[i][j] = q.bias[j];
  const int16_t* w = wblock;
  for (int ky = 0; ky < a.kernel_h; ++ky, p += g.row_step) {
    const uint8_t* t = p;
    for (int kx = 0; kx < a.kernel_w; ++kx, t += g.tap_step, w += W) {
      int16x8_t wv[W / 8];
      for (int j = 0; j < W / 8; ++j) wv[j] = vld1q_s16(w + 8 * j);
      for (int i = 0; i < NPX; ++i) Vec<W>::mac(acc[i], t + i * g.px_step, wv);
    }
  }
  for (int i = 0; i < NPX; ++i) Vec<W>::store(out + static_cast<size_t>(i) * a.channels, acc[i], q.scale, rk);
}

// interior<16, NPX> for a 3-wide kernel whose tap step equals the pixel step (stride_w ==
// dilation_w, e.g. 3x3 stride 1): pixel i's tap kx reads window column i + kx, so each kernel row's
// NPX + 2 columns are widened once and shared, instead of once per pixel and tap.
template <int NPX, class RK>
inline void interior_shared3(const DwConvArgs& a, const Geometry& g, const uint8_t* p, const int16_t* wblock,
                             const BlockQ& q, const RK& rk, uint8_t* out) {
  int32x4_t acc[NPX][4];
  for (int i = 0; i < NPX; ++i)
    for (int j = 0; j < 4; ++j) acc[i][j] = q.bias[j];
  const int16_t* w = wblock;
  for (int ky = 0; ky < a.kernel_h; ++ky, p += g.row_step) {
    int16x8_t x[NPX + 2][2];
    for (int c = 0; c < NPX + 2; ++c) {
      const uint8x16_t v = vld1q_u8(p + c * g.px_step);
      x[c][0] = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(v)));
      x[c][1] = vreinterpretq_s16_u16(vmovl_high_u8(v));
    }
    for (int kx = 0; kx < 3; ++kx, w += 16) {
      const int16x8_t w0 = vld1q_s16(w), w1 = vld1q_s16(w + 8);
      for (int i = 0; i < NPX; ++i) {
        acc[i][0] = vmlal_s16(acc[i][0], vget_low_s16(x[i + kx][0]), vget_low_s16(w0));
        acc[i][1] = vmlal_high_s16(acc[i][1], x[i + kx][0], w0);
        acc[i][2] = vmlal_s16(acc[i][2], vget_low_s16(x[i + kx][1]), vget_low_s16(w1));
        acc[i][3] = vmlal_high_s16(acc[i][3], x[i + kx][1], w1);
      }
    }
  }
  for (int i = 0; i < NPX; ++i) Vec<16>::store(out + static_cast<size_t>(i) * a.channels, acc[i], q.scale, rk);
}

// One output pixel anywhere: taps outside the image read the in_zp buffer.
template <int W, class RK>
inline void border(const DwConvArgs& a, int oy, int ox, int c0, const int16_t* wblock, const BlockQ& q,
                   const RK& rk, const uint8_t* zp_buf, uint8_t* out) {
  constexpr int NA = Vec<W>::kAcc;
  int32x4_t acc[NA];
  for (int j = 0; j < NA; ++j) acc[j] = q.bias[j];
  const int iy0 = oy * a.stride_h - a.pad_top, ix0 = ox * a.stride_w - a.pad_left;
  const int16_t* w = wblock;
  for (int ky = 0; ky < a.kernel_h; ++ky) {
    const int iy = iy0 + ky * a.dilation_h;
    for (int kx = 0; kx < a.kernel_w; ++kx, w += W) {
      const int ix = ix0 + kx * a.dilation_w;
      const bool inside = iy >= 0 && iy < a.in_h && ix >= 0 && ix < a.in_w;
      const uint8_t* x = inside ? a.in + (static_cast<size_t>(iy) * a.in_w + ix) * a.channels + c0 : zp_buf;
      int16x8_t wv[W / 8];
      for (int j = 0; j < W / 8; ++j) wv[j] = vld1q_s16(w + 8 * j);
      Vec<W>::mac(acc, x, wv);
    }
  }
  Vec<W>::store(out, acc, q.scale, rk);
}

template <int W, class RK>
void run_blocks(const DwConvArgs& a, int row_begin, int row_end, const RK& rk) {
  const Blocks blocks(a.channels);
  const int taps = a.kernel_h * a.kernel_w;
  uint8_t zp_buf[16];
  std::memset(zp_buf, a.in_zp, sizeof(zp_buf));
  Geometry g;
  g.px_step = static_cast<ptrdiff_t>(a.stride_w) * a.channels;
  g.row_step = static_cast<ptrdiff_t>(a.dilation_h) * a.in_w * a.channels;
  g.tap_step = static_cast<ptrdiff_t>(a.dilation_w) * a.channels;
  const bool shared3 = a.kernel_w == 3 && g.tap_step == g.px_step;
  // Output columns whose whole window is inside the image horizontally: [ox_lo, ox_hi].
  const int ox_lo = (a.pad_left + a.stride_w - 1) / a.stride_w;
  const int last_origin = a.in_w - 1 - (a.kernel_w - 1) * a.dilation_w;  // largest valid ix0
  const int ox_hi = last_origin + a.pad_left < 0 ? -1 : std::min(a.out_w - 1, (last_origin + a.pad_left) / a.stride_w);
  // Rows outside, blocks inside: each input row is read while it is in cache.
  for (int oy = row_begin; oy < row_end; ++oy) {
    const int iy0 = oy * a.stride_h - a.pad_top;
    const bool rows_inside = iy0 >= 0 && iy0 + (a.kernel_h - 1) * a.dilation_h < a.in_h;
    const int lo = rows_inside ? std::min(ox_lo, a.out_w) : a.out_w;
    const int hi = rows_inside ? ox_hi : -1;
    for (int b = 0; b < blocks.count; ++b) {
      const int c0 = blocks.start(b);
      const int16_t* wblock = reinterpret_cast<const int16_t*>(a.packed) + static_cast<size_t>(b) * taps * W;
      BlockQ q;
      for (int j = 0; j < W / 4; ++j) {
        q.bias[j] = a.rq.bias ? vld1q_s32(a.rq.bias + c0 + 4 * j) : vdupq_n_s32(0);
        q.scale[j] = vld1q_f32(a.rq.scale + c0 + 4 * j);
      }
      uint8_t* out_row = a.out + static_cast<size_t>(oy) * a.out_w * a.channels + c0;
      int ox = 0;
      for (; ox < lo; ++ox) border<W>(a, oy, ox, c0, wblock, q, rk, zp_buf, out_row + static_cast<size_t>(ox) * a.channels);
      if (hi >= lo) {
        const uint8_t* p = a.in + (static_cast<size_t>(iy0) * a.in_w + (ox * a.stride_w - a.pad_left)) * a.channels + c0;
        if (W == 16 && shared3) {
          for (; ox + 4 <= hi + 1; ox += 4, p += 4 * g.px_step)
            interior_shared3<4>(a, g, p, wblock, q, rk, out_row + static_cast<size_t>(ox) * a.channels);
        }
        for (; ox + 4 <= hi + 1; ox += 4, p += 4 * g.px_step)
          interior<W, 4>(a, g, p, wblock, q, rk, out_row + static_cast<size_t>(ox) * a.channels);
        for (; ox <= hi; ++ox, p += g.px_step)
          interior<W, 1>(a, g, p, wblock, q, rk, out_row + static_cast<size_t>(ox) * a.channels);
      }
      for (; ox < a.out_w; ++ox)
        border<W>(a, oy, ox, c0, wblock, q, rk, zp_buf, out_row + static_cast<size_t>(ox) * a.channels);
    }
  }
}

}  // namespace

size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels) {
  const Blocks blocks(channels);
  if (!blocks.width) return scalar::dw_packed_bytes(kernel_h, kernel_w, channels);
  return sizeof(int16_t) * static_cast<size_t>(blocks.count) * kernel_h * kernel_w * blocks.width;
}

void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed) {
  const Blocks blocks(channels);
  if (!blocks.width) {
    scalar::dw_pack(w, kernel_h, kernel_w, channels, packed);
    return;
  }
  const int taps = kernel_h * kernel_w;
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  for (int b = 0; b < blocks.count; ++b)
    for (int t = 0; t < taps; ++t)
      for (int i = 0; i < blocks.width; ++i) *out++ = w[static_cast<size_t>(blocks.start(b) + i) * taps + t];
}

void dw_run(const DwConvArgs& a, int row_begin, int row_end) {
  const Blocks blocks(a.channels);
  if (blocks.width != 16 && blocks.width != 8) {
    scalar::dw_run(a, row_begin, row_end);
    return;
  }
  with_requant_consts(a.rq, [&](const auto& rk) {
    if (blocks.width == 16)
      run_blocks<16>(a, row_begin, row_end, rk);
    else
      run_blocks<8>(a, row_begin, row_end, rk);
  });
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
