// Nearest and bilinear resize, NHWC uint8, NEON. Bit-identical to scalar/resize.cpp.
#include <arm_neon.h>

#include <cstring>
#include <vector>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  resize_nearest_rows<Moves>(a, row_begin, row_end);
}

namespace {

// Input rows dequantized once, X = (float)(q - in_zp) * in_scale (the contract's X(q)), kept
// for the output rows that follow: upsampling by k reads each input row pair for k output rows,
// and every input element for k * k outputs. Per-thread scratch (per_thread), grown to the row.
struct FloatRows {
  std::vector<float> data[2];
  std::vector<uint8_t> dom[2];  // with labels: dominant_row per slot
  std::vector<uint8_t> column;  // resize_linear_argmax: per source column, the rows' shared label
  int row[2] = {-1, -1};
  int last[2] = {0, 0};     // the slots of the last fetch's y0 and y1
};
// This thread's FloatRows, emptied, for rows of a's input.
FloatRows& float_rows(const ResizeArgs& a) {
  FloatRows& f = per_thread<FloatRows>();
  const size_t n = static_cast<size_t>(a.in_w) * a.channels;
  for (int k = 0; k < 2; ++k) {
    if (f.data[k].size() < n) f.data[k].resize(n);
    if (f.dom[k].size() < static_cast<size_t>(a.in_w)) f.dom[k].resize(a.in_w);
    f.row[k] = -1;
  }
  if (f.column.size() < static_cast<size_t>(a.in_w)) f.column.resize(a.in_w);
  return f;
}

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

// Per source pixel of row q (w pixels of 4..15 channels): the channel ahead of every other by at
// least 2, or kResizeLabelUnsure (kernels.h ResizeArgmaxArgs): the top value by UMAXV, a tie when
// it is in two lanes, else the runner-up by UMAXV with the top lane cleared.
void dominant_row(const uint8_t* q, int w, int C, uint8_t* dom) {
  static const uint8_t kLane[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const uint8x16_t lane = vld1q_u8(kLane);
  const uint8x16_t inside = vcltq_u8(lane, vdupq_n_u8(static_cast<uint8_t>(C)));
  const size_t row_bytes = static_cast<size_t>(w) * C;
  for (int x = 0; x < w; ++x) {
    const size_t at = static_cast<size_t>(x) * C;
    uint8x16_t v;
    if (at + 16 <= row_bytes) {
      v = vld1q_u8(q + at);
    } else {  // the row's last pixels: no read past it
      uint8_t tmp[16] = {};
      std::memcpy(tmp, q + at, static_cast<size_t>(C));
      v = vld1q_u8(tmp);
    }
    v = vandq_u8(v, inside);
    const uint8_t top = vmaxvq_u8(v);
    const uint8x16_t at_top = vandq_u8(vceqq_u8(v, vdupq_n_u8(top)), inside);
    if (vaddvq_u8(vandq_u8(at_top, vdupq_n_u8(1))) > 1) {
      dom[x] = kResizeLabelUnsure;
      continue;
    }
    const uint8_t second = vmaxvq_u8(vbicq_u8(v, at_top));
    dom[x] = top - second >= 2 ? vminvq_u8(vorrq_u8(lane, vmvnq_u8(at_top))) : kResizeLabelUnsure;
  }
}

// The dequantized rows y0 and y1, computing whichever is not cached, into a slot the other
// does not use; with `dominance`, also the slot's dominant_row.
void fetch_rows(const ResizeArgs& a, int y0, int y1, bool dominance, FloatRows* f, const float** r0,
                const float** r1) {
  const int n = a.in_w * a.channels;
  const int32x4_t zp = vdupq_n_s32(a.in_zp);
  const float32x4_t s = vdupq_n_f32(a.in_scale);
  const int want[2] = {y0, y1};
  const float** dst[2] = {r0, r1};
  for (int k = 0; k < 2; ++k) {
    int slot = f->row[0] == want[k] ? 0 : (f->row[1] == want[k] ? 1 : -1);
    if (slot < 0) {
      // Replace a slot holding neither wanted row (k == 1 must keep y0's).
      slot = (f->row[0] != want[0] && f->row[0] != want[1]) ? 0 : 1;
      dequantize_row(a.in + static_cast<size_t>(want[k]) * n, n, zp, s, f->data[slot].data());
      if (dominance) dominant_row(a.in + static_cast<size_t>(want[k]) * n, a.in_w, a.channels, f->dom[slot].data());
      f->row[slot] = want[k];
    }
    *dst[k] = f->data[slot].data();
    f->last[k] = slot;
  }
}

// Output pixels [ox_begin, ox_end) of row oy (4 or more channels) from the dequantized source
// rows f0 (y0) and f1 (y1), the scalar float operations lane by lane.
template <Quotient kQuotient>
void linear_pixels_q(const ResizeArgs& a, int oy, const float* f0, const float* f1, int ox_begin, int ox_end) {
  const int C = a.channels;
  const int32x4_t out_zp = vdupq_n_s32(a.out_zp);
  const int16x8_t out_zp16 = vdupq_n_s16(static_cast<int16_t>(a.out_zp));
  const float32x4_t vos = vdupq_n_f32(a.out_scale), vr = vdupq_n_f32(1.0f / a.out_scale);
  const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
  uint8_t* orow = a.out + static_cast<size_t>(oy) * a.out_w * C;
  for (int ox = ox_begin; ox < ox_end; ++ox) {
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
      return quotient4<kQuotient>(v, vos, vr);
    };
    auto block8 = [&](int c) {
      return narrow8(round_add4(blend4(c), out_zp), round_add4(blend4(c + 4), out_zp));
    };
    if (C >= 8) {
      int c = 0;
      for (; c + 16 <= C; c += 16)
        vst1q_u8(out + c, round_narrow16(blend4(c), blend4(c + 4), blend4(c + 8), blend4(c + 12), out_zp16));
      for (; c + 8 <= C; c += 8) vst1_u8(out + c, block8(c));
      if (c < C) vst1_u8(out + C - 8, block8(C - 8));  // overlapping tail
    } else {
      // 4..7 channels: channels 0..3 and C-4..C-1 (overlapping), four bytes each.
      const uint8x8_t b = narrow8(round_add4(blend4(0), out_zp), round_add4(blend4(C - 4), out_zp));
      const uint32_t lo = vget_lane_u32(vreinterpret_u32_u8(b), 0), hi = vget_lane_u32(vreinterpret_u32_u8(b), 1);
      std::memcpy(out, &lo, 4);
      std::memcpy(out + C - 4, &hi, 4);
    }
  }
}

// linear_pixels_q with the quotient as the plan admitted it (kernels.h "Quotients by a reciprocal").
void linear_pixels(const ResizeArgs& a, int oy, const float* f0, const float* f1, int ox_begin, int ox_end) {
  if (a.quotient == Quotient::Corrected)
    linear_pixels_q<Quotient::Corrected>(a, oy, f0, f1, ox_begin, ox_end);
  else
    linear_pixels_q<Quotient::Division>(a, oy, f0, f1, ox_begin, ox_end);
}

}  // namespace

// 16 or 8 channels at a time (4 when the layer has 4..7), the scalar float operations lane by lane
// (kernels.h "Resize"): the four neighbours' dequantized values (from rows dequantized once,
// see FloatRows), weighted by the four weight products (computed once per output pixel, as
// scalar), summed in the same order with separate FMUL and FADD, divided by the output scale
// (FDIV, correctly rounded as the scalar division, or where the plan admitted it the corrected
// quotient by the reciprocal, quotient4) and rounded half to even. A channel count
// that is not a multiple of the block ends with an overlapping block. Fewer than 4 channels
// run scalar::resize_linear.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  if (C < 4) {
    scalar::resize_linear(a, row_begin, row_end);
    return;
  }
  FloatRows& rows = float_rows(a);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const float *f0, *f1;
    fetch_rows(a, a.ys->i0[oy], a.ys->i1[oy], false, &rows, &f0, &f1);
    linear_pixels(a, oy, f0, f1, 0, a.out_w);
  }
}

// 4..15 channels with resize_labels_may_skip: per output row, pixels whose four source pixels
// share a dominant channel take it as their label; only the others are computed, then reduced.
// Otherwise (and always with confidence, which needs every value) the Resize, then the argmax
// (and confidence) of its rows.
void resize_linear_argmax(const ResizeArgmaxArgs& aa, int row_begin, int row_end) {
  const ResizeArgs& a = aa.resize;
  const int C = a.channels;
  const size_t w = static_cast<size_t>(a.out_w);
  if (C < 4 || C >= 16 || aa.confidence || !resize_labels_may_skip(a, row_begin, row_end)) {
    resize_linear(a, row_begin, row_end);
    argmax(ArgmaxArgs{a.out, C, aa.labels, aa.confidence, aa.softmax}, static_cast<size_t>(row_begin) * w,
           static_cast<size_t>(row_end) * w);
    return;
  }
  FloatRows& rows = float_rows(a);
  uint8_t* column = rows.column.data();
  for (int oy = row_begin; oy < row_end; ++oy) {
    const float *f0, *f1;
    fetch_rows(a, a.ys->i0[oy], a.ys->i1[oy], true, &rows, &f0, &f1);
    const uint8_t *d0 = rows.dom[rows.last[0]].data(), *d1 = rows.dom[rows.last[1]].data();
    for (int x = 0; x < a.in_w; ++x) column[x] = d0[x] == d1[x] ? d0[x] : kResizeLabelUnsure;
    uint8_t* lrow = aa.labels + static_cast<size_t>(oy) * w;
    const ArgmaxArgs am{a.out + static_cast<size_t>(oy) * w * C, C, lrow};
    for (int ox = 0; ox < a.out_w;) {
      const uint8_t l = column[a.xs->i0[ox]];
      if (l != kResizeLabelUnsure && l == column[a.xs->i1[ox]]) {
        lrow[ox++] = l;
        continue;
      }
      int end = ox + 1;  // a run of pixels without a certain label
      while (end < a.out_w && (column[a.xs->i0[end]] == kResizeLabelUnsure || column[a.xs->i0[end]] != column[a.xs->i1[end]]))
        ++end;
      linear_pixels(a, oy, f0, f1, ox, end);
      argmax(am, static_cast<size_t>(ox), static_cast<size_t>(end));
      ox = end;
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
