// Max and average pooling, NHWC uint8, NEON: vectorized across channels. Bit-identical to
// scalar/pool.cpp (same windows, same empty-window results).
#include <arm_neon.h>

#include <algorithm>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/pool_window.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {
// The maximum of n (<= 64) 16-byte vectors at p, p + step, ...: with a compile-time K, a full
// window (n == K) is unrolled, since a few rows or columns would cost more loop than maxima.
template <int K>
inline uint8x16_t max_n(const uint8_t* p, size_t step, int n) {
  uint8x16_t m = vdupq_n_u8(0);
  if (K && n == K) {
    for (int i = 0; i < K; ++i) m = vmaxq_u8(m, vld1q_u8(p + i * step));
    return m;
  }
  for (int i = 0; i < n; ++i, p += step) m = vmaxq_u8(m, vld1q_u8(p));
  return m;
}

// One output row of a max pool whose windows overlap horizontally (stride < kernel, e.g. the
// 5x5 stride-1 pools of a chained residual pooling block), 16 channels at a time: the column
// maxima over the window's rows are taken once per input column into a stack buffer, then
// each output takes the maximum of its window's columns: kh + kw vector maxima per output
// instead of kh * kw. Max is associative, so the result is the reference's exactly. K: the
// kernel's height and width where both are K (unrolled full windows), else 0.
template <int K>
void max_row_separable(const PoolArgs& a, int oy, uint8_t* orow) {
  constexpr int kCols = 256;
  uint8x16_t col[kCols];
  const int C = a.channels, in_w = a.in_w, out_w = a.out_w, kw = a.kernel_w, sw = a.stride_w, pl = a.pad_left;
  const size_t row_stride = static_cast<size_t>(in_w) * C;
  const int y0 = oy * a.stride_h - a.pad_top;
  const int vy0 = std::max(y0, 0), vy1 = std::min(y0 + a.kernel_h, a.in_h);
  const int chunk = (kCols - kw) / sw + 1;  // outputs whose columns fit the buffer
  for (int ox0 = 0; ox0 < out_w; ox0 += chunk) {
    const int ox1 = std::min(out_w, ox0 + chunk);
    const int xa = std::max(0, ox0 * sw - pl), xb = std::min(in_w, (ox1 - 1) * sw - pl + kw);
    for (int c = 0; c < C; c += 16) {
      const int cc = c + 16 <= C ? c : C - 16;  // the last block overlaps: identical values
      const uint8_t* p = a.in + static_cast<size_t>(vy0) * row_stride + static_cast<size_t>(xa) * C + cc;
      for (int x = xa; x < xb; ++x, p += C) col[x - xa] = max_n<K>(p, row_stride, vy1 - vy0);
      for (int ox = ox0; ox < ox1; ++ox) {
        const int x0 = ox * sw - pl;
        const int vx0 = std::max(x0, 0), vx1 = std::min(x0 + kw, in_w);
        const uint8x16_t m = max_n<K>(reinterpret_cast<const uint8_t*>(&col[vx0 - xa]), sizeof(uint8x16_t), vx1 - vx0);
        vst1q_u8(orow + static_cast<size_t>(ox) * C + cc, m);
      }
    }
  }
}

}  // namespace

// Per output pixel: byte max over the window, 16 (or 8) channels at a time; a channel count
// that is not a multiple ends with an overlapping block (identical values); fewer than 8
// channels are done one by one. Overlapping windows with 16 or more channels take the
// separable path above. The requantization table, when present, is applied to each finished
// output row with the TBL lookup.
void maxpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const size_t W = static_cast<size_t>(a.in_w);
  const bool separable = C >= 16 && a.stride_w < a.kernel_w && a.kernel_w <= 64;
  Lut256 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.out_w * C;
    if (separable) {
      if (a.kernel_h == 5 && a.kernel_w == 5)
        max_row_separable<5>(a, oy, orow);
      else if (a.kernel_h == 3 && a.kernel_w == 3)
        max_row_separable<3>(a, oy, orow);
      else
        max_row_separable<0>(a, oy, orow);
      if (a.lut) lut_apply(L, orow, orow, static_cast<size_t>(a.out_w) * C);
      continue;
    }
    for (int ox = 0; ox < a.out_w; ++ox) {
      const PoolWindow w = pool_window(a, oy, ox);
      uint8_t* out = orow + static_cast<size_t>(ox) * C;
      auto block16 = [&](int c) {
        uint8x16_t m = vdupq_n_u8(0);
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) m = vmaxq_u8(m, vld1q_u8(a.in + (iy * W + ix) * C + c));
        vst1q_u8(out + c, m);
      };
      auto block8 = [&](int c) {
        uint8x8_t m = vdup_n_u8(0);
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) m = vmax_u8(m, vld1_u8(a.in + (iy * W + ix) * C + c));
        vst1_u8(out + c, m);
      };
      if (C >= 16) {
        int c = 0;
        for (; c + 16 <= C; c += 16) block16(c);
        if (c < C) block16(C - 16);
      } else if (C >= 8) {
        block8(0);
        if (C > 8) block8(C - 8);
      } else {
        for (int c = 0; c < C; ++c) {
          uint8_t m = 0;
          for (int iy = w.vy0; iy < w.vy1; ++iy)
            for (int ix = w.vx0; ix < w.vx1; ++ix) m = std::max(m, a.in[(iy * W + ix) * C + c]);
          out[c] = m;
        }
      }
    }
    if (a.lut) lut_apply(L, orow, orow, static_cast<size_t>(a.out_w) * C);
  }
}

// Per output pixel: uint32 sums of 16 (or 8) channels (UADDW from widened bytes);
// s = sum - valid * in_zp equals the scalar sum of (x - in_zp) in int32. Then
// y = clamp(round((float)s * (ratio / n)) + out_zp, 0, 255), as scalar.
void avgpool(const PoolArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const size_t W = static_cast<size_t>(a.in_w);
  const int32x4_t out_zp = vdupq_n_s32(a.out_zp);
  for (int oy = row_begin; oy < row_end; ++oy) {
    for (int ox = 0; ox < a.out_w; ++ox) {
      const PoolWindow w = pool_window(a, oy, ox);
      const int valid = w.valid();
      const float mf = average_multiplier(a, oy, ox, w);
      const float32x4_t m = vdupq_n_f32(mf);
      const int32x4_t zsum = vdupq_n_s32(valid * a.in_zp);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      auto finish = [&](uint32x4_t s) {
        const int32x4_t d = vsubq_s32(vreinterpretq_s32_u32(s), zsum);
        return round_add4(vmulq_f32(vcvtq_f32_s32(d), m), out_zp);
      };
      auto block16 = [&](int c) {
        uint32x4_t s0 = vdupq_n_u32(0), s1 = s0, s2 = s0, s3 = s0;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) {
            const uint8x16_t v = vld1q_u8(a.in + (iy * W + ix) * C + c);
            const uint16x8_t lo = vmovl_u8(vget_low_u8(v)), hi = vmovl_u8(vget_high_u8(v));
            s0 = vaddw_u16(s0, vget_low_u16(lo));
            s1 = vaddw_high_u16(s1, lo);
            s2 = vaddw_u16(s2, vget_low_u16(hi));
            s3 = vaddw_high_u16(s3, hi);
          }
        vst1q_u8(out + c, narrow16(finish(s0), finish(s1), finish(s2), finish(s3)));
      };
      auto block8 = [&](int c) {
        uint32x4_t s0 = vdupq_n_u32(0), s1 = s0;
        for (int iy = w.vy0; iy < w.vy1; ++iy)
          for (int ix = w.vx0; ix < w.vx1; ++ix) {
            const uint16x8_t v = vmovl_u8(vld1_u8(a.in + (iy * W + ix) * C + c));
            s0 = vaddw_u16(s0, vget_low_u16(v));
            s1 = vaddw_high_u16(s1, v);
          }
        vst1_u8(out + c, narrow8(finish(s0), finish(s1)));
      };
      if (C >= 16) {
        int c = 0;
        for (; c + 16 <= C; c += 16) block16(c);
        if (c < C) block16(C - 16);
      } else if (C >= 8) {
        block8(0);
        if (C > 8) block8(C - 8);
      } else {
        for (int c = 0; c < C; ++c) {
          int32_t s = 0;
          for (int iy = w.vy0; iy < w.vy1; ++iy)
            for (int ix = w.vx0; ix < w.vx1; ++ix) s += a.in[(iy * W + ix) * C + c] - a.in_zp;
          out[c] = clamp1(round1(static_cast<float>(s) * mf) + a.out_zp);
        }
      }
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
