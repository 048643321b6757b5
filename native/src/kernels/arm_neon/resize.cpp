// Nearest and bilinear resize, NHWC uint8, NEON. Bit-identical to scalar/resize.cpp.
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

// Rows: an output row whose source row equals the previous one (upscaling) is a copy of that
// finished row. Otherwise each pixel is a vector copy of C bytes, and the requantization
// table, if any, is applied to the whole row with the TBL lookup.
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t row_bytes = static_cast<size_t>(a.out_w) * C;
  Lut256 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    uint8_t* orow = a.out + static_cast<size_t>(oy) * row_bytes;
    if (oy > row_begin && a.ys->i0[oy] == a.ys->i0[oy - 1]) {
      std::memcpy(orow, orow - row_bytes, row_bytes);
      continue;
    }
    const uint8_t* irow = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const int32_t* xs = a.xs->i0.data();
    for (int ox = 0; ox < a.out_w; ++ox) copy_small(orow + ox * C, irow + xs[ox] * C, C);
    if (a.lut) lut_apply(L, orow, orow, row_bytes);
  }
}

namespace {

// The scalar formula for channels [c0, c1) of one output pixel (fewer than 4 channels).
inline void linear_scalar(const ResizeArgs& a, const uint8_t* p11, const uint8_t* p21, const uint8_t* p12,
                          const uint8_t* p22, float w11, float w21, float w12, float w22, uint8_t* out, int c0, int c1) {
  const float s = a.in_scale, os = a.out_scale;
  const int32_t zp = a.in_zp;
  for (int c = c0; c < c1; ++c) {
    const float X11 = static_cast<float>(p11[c] - zp) * s;
    const float X21 = static_cast<float>(p21[c] - zp) * s;
    const float X12 = static_cast<float>(p12[c] - zp) * s;
    const float X22 = static_cast<float>(p22[c] - zp) * s;
    float v = w11 * X11;
    v = v + w21 * X21;
    v = v + w12 * X12;
    v = v + w22 * X22;
    out[c] = clamp1(round1(v / os) + a.out_zp);
  }
}

}  // namespace

// 8 channels at a time (4 when the layer has 4..7), the scalar float operations lane by lane
// (kernels.h "Resize"): the four neighbours are widened to int32, dequantized with SCVTF and
// one FMUL, weighted by the four weight products (computed once per output pixel, as
// scalar), summed in the same order with separate FMUL and FADD, divided by the output scale
// (FDIV, correctly rounded as the scalar division) and rounded half to even. A channel count
// that is not a multiple of the block ends with an overlapping block; fewer than 4 channels
// run the scalar formula.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int32x4_t vzp = vdupq_n_s32(a.in_zp), out_zp = vdupq_n_s32(a.out_zp);
  const float32x4_t vs = vdupq_n_f32(a.in_scale), vos = vdupq_n_f32(a.out_scale);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
      const float w11 = wx0 * wy0, w21 = wx1 * wy0, w12 = wx0 * wy1, w22 = wx1 * wy1;
      const uint8_t *p11 = r0 + x0, *p21 = r0 + x1, *p12 = r1 + x0, *p22 = r1 + x1;
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      if (C < 4) {
        linear_scalar(a, p11, p21, p12, p22, w11, w21, w12, w22, out, 0, C);
        continue;
      }
      const float32x4_t v11 = vdupq_n_f32(w11), v21 = vdupq_n_f32(w21);
      const float32x4_t v12 = vdupq_n_f32(w12), v22 = vdupq_n_f32(w22);
      // (float)(x - zp) * s for the low and high 4 of 8 widened bytes.
      auto deq = [&](uint16x4_t x) {
        return vmulq_f32(vcvtq_f32_s32(vsubq_s32(vreinterpretq_s32_u32(vmovl_u16(x)), vzp)), vs);
      };
      auto blend4 = [&](uint16x4_t q11, uint16x4_t q21, uint16x4_t q12, uint16x4_t q22) {
        float32x4_t v = vmulq_f32(v11, deq(q11));
        v = vaddq_f32(v, vmulq_f32(v21, deq(q21)));
        v = vaddq_f32(v, vmulq_f32(v12, deq(q12)));
        v = vaddq_f32(v, vmulq_f32(v22, deq(q22)));
        return vaddq_s32(round4(vdivq_f32(v, vos)), out_zp);
      };
      if (C >= 8) {
        auto block8 = [&](int c) {
          const uint16x8_t q11 = vmovl_u8(vld1_u8(p11 + c)), q21 = vmovl_u8(vld1_u8(p21 + c));
          const uint16x8_t q12 = vmovl_u8(vld1_u8(p12 + c)), q22 = vmovl_u8(vld1_u8(p22 + c));
          const int32x4_t lo = blend4(vget_low_u16(q11), vget_low_u16(q21), vget_low_u16(q12), vget_low_u16(q22));
          const int32x4_t hi = blend4(vget_high_u16(q11), vget_high_u16(q21), vget_high_u16(q12), vget_high_u16(q22));
          vst1_u8(out + c, narrow8(lo, hi));
        };
        int c = 0;
        for (; c + 8 <= C; c += 8) block8(c);
        if (c < C) block8(C - 8);  // overlapping tail, identical values
      } else {
        // 4..7 channels: channels 0..3 and C-4..C-1 (overlapping), four bytes each.
        auto load4 = [](const uint8_t* p) {
          uint32_t v;
          std::memcpy(&v, p, 4);
          return vget_low_u16(vmovl_u8(vreinterpret_u8_u32(vdup_n_u32(v))));
        };
        auto block4 = [&](int c) {
          const int32x4_t y = blend4(load4(p11 + c), load4(p21 + c), load4(p12 + c), load4(p22 + c));
          const uint8x8_t b = narrow8(y, y);
          const uint32_t v = vget_lane_u32(vreinterpret_u32_u8(b), 0);
          std::memcpy(out + c, &v, 4);
        };
        block4(0);
        block4(C - 4);
      }
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
