// Fused image preprocess, NEON. Bit-identical to scalar/preprocess.cpp.
// rgb8 / bgr8 / rgba8 / bgra8 / mono8 are vectorized 16 output pixels at a time; the YUV
// encodings go through the scalar path (their per-pixel colour conversion is the bulk of the
// work and is the scalar integer formula either way).
#include <arm_neon.h>

#include <cstring>
#include <utility>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// Copies the pixels at columns xs[0..n) of one row, BPP bytes each, to dst (packed). Three-byte
// pixels move as one 4-byte copy whose extra byte is overwritten by the next pixel (dst has one
// byte of slack), except the row's last pixel, whose fourth byte may lie past the frame.
template <int BPP>
inline void gather(const uint8_t* row, const int32_t* xs, int n, int width, uint8_t* dst) {
  for (int i = 0; i < n; ++i) {
    const int x = xs[i];
    if (BPP == 4) {
      std::memcpy(dst + 4 * i, row + 4 * static_cast<size_t>(x), 4);
    } else if (BPP == 3) {
      const uint8_t* p = row + 3 * static_cast<size_t>(x);
      if (x < width - 1) {
        std::memcpy(dst + 3 * i, p, 4);
      } else {
        dst[3 * i] = p[0];
        dst[3 * i + 1] = p[1];
        dst[3 * i + 2] = p[2];
      }
    } else {
      dst[i] = row[x];
    }
  }
}

// x[i] == x[0] + i for the 16 entries: the pixels are adjacent in the row and load directly.
inline bool consecutive16(const int32_t* x) {
  static const int32_t kIota[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const int32x4_t base = vdupq_n_s32(x[0]);
  uint32x4_t ok = vceqq_s32(vld1q_s32(x), vaddq_s32(base, vld1q_s32(kIota)));
  for (int j = 1; j < 4; ++j) ok = vandq_u32(ok, vceqq_s32(vld1q_s32(x + 4 * j), vaddq_s32(base, vld1q_s32(kIota + 4 * j))));
  return vminvq_u32(ok) != 0;
}

// The R, G, B planes of 16 pixels stored one after the other (gathered, or in the image row).
template <int BPP>
inline uint8x16x3_t planes(const uint8_t* s, bool swap) {
  uint8x16x3_t r;
  if (BPP == 4) {
    const uint8x16x4_t v = vld4q_u8(s);
    r.val[0] = v.val[0];
    r.val[1] = v.val[1];
    r.val[2] = v.val[2];
  } else if (BPP == 3) {
    r = vld3q_u8(s);
  } else {
    r.val[0] = r.val[1] = r.val[2] = vld1q_u8(s);
  }
  if (swap) std::swap(r.val[0], r.val[2]);
  return r;
}

// Horizontal blend of 16 lanes: p0 * (2048 - wx) + p1 * wx as four uint32x4 (at most
// 255 * 2048, exact).
inline void hblend(uint8x16_t p0, uint8x16_t p1, uint16x8_t iwl, uint16x8_t iwh, uint16x8_t wl, uint16x8_t wh,
                   uint32x4_t (&h)[4]) {
  const uint16x8_t al = vmovl_u8(vget_low_u8(p0)), ah = vmovl_u8(vget_high_u8(p0));
  const uint16x8_t bl = vmovl_u8(vget_low_u8(p1)), bh = vmovl_u8(vget_high_u8(p1));
  h[0] = vmlal_u16(vmull_u16(vget_low_u16(al), vget_low_u16(iwl)), vget_low_u16(bl), vget_low_u16(wl));
  h[1] = vmlal_high_u16(vmull_high_u16(al, iwl), bl, wl);
  h[2] = vmlal_u16(vmull_u16(vget_low_u16(ah), vget_low_u16(iwh)), vget_low_u16(bh), vget_low_u16(wh));
  h[3] = vmlal_high_u16(vmull_high_u16(ah, iwh), bh, wh);
}

template <int BPP>
void run_rows(const PreprocessArgs& a, int row_begin, int row_end, bool swap) {
  Lut256 lut[3];
  for (int c = 0; c < 3; ++c) lut_prepare(a.lut + 256 * c, &lut[c]);
  const int width = a.image.width;
  const uint16x8_t w2048 = vdupq_n_u16(2048);
  // Gathered neighbours: 16 pixels of up to 4 bytes, plus slack for the 4-byte copies.
  uint8_t s00[68] = {0}, s01[68] = {0}, s10[68] = {0}, s11[68] = {0};
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* row0 = a.image.data + static_cast<size_t>(a.ys->i0[oy]) * a.image.step;
    const uint8_t* row1 = a.image.data + static_cast<size_t>(a.ys->i1[oy]) * a.image.step;
    const uint32_t wy = static_cast<uint32_t>(a.ys->w[oy]), iwy = 2048 - wy;
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.net_w * 3;
    for (int ox = 0; ox < a.net_w; ox += 16) {
      const int n = a.net_w - ox < 16 ? a.net_w - ox : 16;
      const int32_t* x0 = a.xs->i0.data() + ox;
      const int32_t* x1 = a.xs->i1.data() + ox;
      // Identity and near-identity widths (the camera at the network's size) read the rows
      // in place; other groups gather their neighbours.
      const uint8_t *q00 = s00, *q01 = s01, *q10 = s10, *q11 = s11;
      if (n == 16 && consecutive16(x0) && consecutive16(x1)) {
        q00 = row0 + static_cast<size_t>(BPP) * x0[0];
        q01 = row0 + static_cast<size_t>(BPP) * x1[0];
        q10 = row1 + static_cast<size_t>(BPP) * x0[0];
        q11 = row1 + static_cast<size_t>(BPP) * x1[0];
      } else {
        gather<BPP>(row0, x0, n, width, s00);
        gather<BPP>(row0, x1, n, width, s01);
        gather<BPP>(row1, x0, n, width, s10);
        gather<BPP>(row1, x1, n, width, s11);
      }
      int16_t wbuf[16] = {0};
      const int16_t* wsrc = a.xs->w.data() + ox;
      if (n < 16) {
        std::memcpy(wbuf, wsrc, sizeof(int16_t) * n);
        wsrc = wbuf;
      }
      const uint16x8_t wl = vreinterpretq_u16_s16(vld1q_s16(wsrc)), wh = vreinterpretq_u16_s16(vld1q_s16(wsrc + 8));
      const uint16x8_t iwl = vsubq_u16(w2048, wl), iwh = vsubq_u16(w2048, wh);
      const uint8x16x3_t p00 = planes<BPP>(q00, swap), p01 = planes<BPP>(q01, swap);
      const uint8x16x3_t p10 = planes<BPP>(q10, swap), p11 = planes<BPP>(q11, swap);
      uint8x16x3_t out;
      for (int c = 0; c < 3; ++c) {
        uint32x4_t h0[4], h1[4];
        hblend(p00.val[c], p01.val[c], iwl, iwh, wl, wh, h0);
        hblend(p10.val[c], p11.val[c], iwl, iwh, wl, wh, h1);
        uint16x4_t pix16[4];
        for (int q = 0; q < 4; ++q) {
          // v = h0 * (2048 - wy) + h1 * wy (< 2^31); pix = (v + 2^21) >> 22 by URSHR.
          const uint32x4_t v = vmlaq_n_u32(vmulq_n_u32(h0[q], iwy), h1[q], wy);
          pix16[q] = vmovn_u32(vrshrq_n_u32(v, 22));
        }
        const uint8x16_t pix =
            vcombine_u8(vmovn_u16(vcombine_u16(pix16[0], pix16[1])), vmovn_u16(vcombine_u16(pix16[2], pix16[3])));
        out.val[c] = lut_lookup(lut[c], pix);
      }
      if (n == 16) {
        vst3q_u8(orow + static_cast<size_t>(ox) * 3, out);
      } else {
        uint8_t tmp[48];
        vst3q_u8(tmp, out);
        std::memcpy(orow + static_cast<size_t>(ox) * 3, tmp, static_cast<size_t>(3 * n));
      }
    }
  }
}

}  // namespace

// Per 16 output pixels: the four neighbours of each are loaded from their rows when they are
// adjacent pixels there, else gathered (a copy per pixel: there is no NEON gather), and split
// into colour planes by LD3 / LD4; per channel the
// horizontal blends h0, h1 (UMULL / UMLAL by the 1/2048 weights) and the vertical blend
// h0 * (2048 - wy) + h1 * wy are the contract's integers exactly; the rounding shift, the
// per-channel table (TBL) and ST3 produce the interleaved output.
void preprocess(const PreprocessArgs& a, int row_begin, int row_end) {
  switch (a.image.encoding) {
    case Encoding::RGB8: run_rows<3>(a, row_begin, row_end, false); return;
    case Encoding::BGR8: run_rows<3>(a, row_begin, row_end, true); return;
    case Encoding::RGBA8: run_rows<4>(a, row_begin, row_end, false); return;
    case Encoding::BGRA8: run_rows<4>(a, row_begin, row_end, true); return;
    case Encoding::MONO8: run_rows<1>(a, row_begin, row_end, false); return;
    default: scalar::preprocess(a, row_begin, row_end); return;
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
