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

namespace {

// Input rows dequantized once, X = (float)(q - in_zp) * in_scale (the contract's X(q)), kept
// for the output rows that follow: upsampling by k reads each input row pair for k output rows,
// and every input element for k * k outputs. Two rows of up to kMaxRow values each.
constexpr int kMaxRow = 4096;
struct FloatRows {
  float data[2][kMaxRow];
  int row[2] = {-1, -1};
};

void dequantize_row(const uint8_t* q, int n, int32x4_t zp, float32x4_t s, float* out) {
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    int32x4_t v[4];
    widen16(vld1q_u8(q + i), &v[0], &v[1], &v[2], &v[3]);
    for (int j = 0; j < 4; ++j) vst1q_f32(out + i + 4 * j, vmulq_f32(vcvtq_f32_s32(vsubq_s32(v[j], zp)), s));
  }
  const int32_t z = vgetq_lane_s32(zp, 0);
  const float sc = vgetq_lane_f32(s, 0);
  for (; i < n; ++i) out[i] = static_cast<float>(q[i] - z) * sc;
}

// The dequantized rows y0 and y1, computing whichever is not cached, into a slot the other
// does not use.
void fetch_rows(const ResizeArgs& a, int y0, int y1, int32x4_t zp, float32x4_t s, FloatRows* f, const float** r0,
                const float** r1) {
  const int n = a.in_w * a.channels;
  const int want[2] = {y0, y1};
  const float** dst[2] = {r0, r1};
  for (int k = 0; k < 2; ++k) {
    int slot = f->row[0] == want[k] ? 0 : (f->row[1] == want[k] ? 1 : -1);
    if (slot < 0) {
      // Replace a slot holding neither wanted row (k == 1 must keep y0's).
      slot = (f->row[0] != want[0] && f->row[0] != want[1]) ? 0 : 1;
      dequantize_row(a.in + static_cast<size_t>(want[k]) * n, n, zp, s, f->data[slot]);
      f->row[slot] = want[k];
    }
    *dst[k] = f->data[slot];
  }
}

}  // namespace

// 8 channels at a time (4 when the layer has 4..7), the scalar float operations lane by lane
// (kernels.h "Resize"): the four neighbours' dequantized values (from rows dequantized once,
// see FloatRows), weighted by the four weight products (computed once per output pixel, as
// scalar), summed in the same order with separate FMUL and FADD, divided by the output scale
// (FDIV, correctly rounded as the scalar division) and rounded half to even. A channel count
// that is not a multiple of the block ends with an overlapping block. Fewer than 4 channels,
// or rows longer than the buffer, run the scalar formula.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  if (C < 4 || static_cast<int64_t>(a.in_w) * C > kMaxRow) {
    for (int oy = row_begin; oy < row_end; ++oy) {
      const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
      const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
      const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
      for (int ox = 0; ox < a.out_w; ++ox) {
        const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
        const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
        linear_scalar(a, r0 + x0, r0 + x1, r1 + x0, r1 + x1, wx0 * wy0, wx1 * wy0, wx0 * wy1, wx1 * wy1,
                      a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C, 0, C);
      }
    }
    return;
  }
  const int32x4_t vzp = vdupq_n_s32(a.in_zp), out_zp = vdupq_n_s32(a.out_zp);
  const float32x4_t vs = vdupq_n_f32(a.in_scale), vos = vdupq_n_f32(a.out_scale);
  FloatRows rows;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const float *f0, *f1;
    fetch_rows(a, a.ys->i0[oy], a.ys->i1[oy], vzp, vs, &rows, &f0, &f1);
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.out_w * C;
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
      const float32x4_t v11 = vdupq_n_f32(wx0 * wy0), v21 = vdupq_n_f32(wx1 * wy0);
      const float32x4_t v12 = vdupq_n_f32(wx0 * wy1), v22 = vdupq_n_f32(wx1 * wy1);
      const float *p11 = f0 + x0, *p21 = f0 + x1, *p12 = f1 + x0, *p22 = f1 + x1;
      uint8_t* out = orow + static_cast<size_t>(ox) * C;
      auto blend4 = [&](int c) {
        float32x4_t v = vmulq_f32(v11, vld1q_f32(p11 + c));
        v = vaddq_f32(v, vmulq_f32(v21, vld1q_f32(p21 + c)));
        v = vaddq_f32(v, vmulq_f32(v12, vld1q_f32(p12 + c)));
        v = vaddq_f32(v, vmulq_f32(v22, vld1q_f32(p22 + c)));
        return round_add4(vdivq_f32(v, vos), out_zp);
      };
      if (C >= 8) {
        int c = 0;
        for (; c + 8 <= C; c += 8) vst1_u8(out + c, narrow8(blend4(c), blend4(c + 4)));
        if (c < C) vst1_u8(out + C - 8, narrow8(blend4(C - 8), blend4(C - 4)));  // overlapping tail
      } else {
        // 4..7 channels: channels 0..3 and C-4..C-1 (overlapping), four bytes each.
        const uint8x8_t b = narrow8(blend4(0), blend4(C - 4));
        const uint32_t lo = vget_lane_u32(vreinterpret_u32_u8(b), 0), hi = vget_lane_u32(vreinterpret_u32_u8(b), 1);
        std::memcpy(out, &lo, 4);
        std::memcpy(out + C - 4, &hi, 4);
      }
    }
  }
}

// The Resize, then the argmax of its rows (no pixels skipped on this table).
void resize_linear_argmax(const ResizeArgmaxArgs& a, int row_begin, int row_end) {
  resize_linear(a.resize, row_begin, row_end);
  const size_t w = static_cast<size_t>(a.resize.out_w);
  const ArgmaxArgs aa{a.resize.out, a.resize.channels, a.labels};
  argmax(aa, static_cast<size_t>(row_begin) * w, static_cast<size_t>(row_end) * w);
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
