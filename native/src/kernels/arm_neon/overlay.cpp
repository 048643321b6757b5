// Label colours blended onto the camera frame, NEON. Bit-identical to scalar/overlay.cpp.
#include <arm_neon.h>

#include <cstring>
#include <utility>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"
#include "kernels/scalar/pixel.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// (src * (256 - alpha) + colour * alpha + 128) >> 8 on 16 bytes. Every term fits in unsigned
// 16 bits (at most 255 * 256 + 128), so 16-bit multiplies and adds are exact, and RSHRN's
// (x + 128) >> 8 is the contract's rounding.
inline uint8x16_t blend16(uint8x16_t s, uint8x16_t c, uint16x8_t ia, uint16x8_t va) {
  const uint16x8_t lo = vmlaq_u16(vmulq_u16(vmovl_u8(vget_low_u8(s)), ia), vmovl_u8(vget_low_u8(c)), va);
  const uint16x8_t hi = vmlaq_u16(vmulq_u16(vmovl_u8(vget_high_u8(s)), ia), vmovl_u8(vget_high_u8(c)), va);
  return vcombine_u8(vrshrn_n_u16(lo, 8), vrshrn_n_u16(hi, 8));
}

// Source RGB of 16 pixels (x .. x + 15 of row y, or fewer: n) as three planes. rgb8 / bgr8 /
// rgba8 / bgra8 are de-interleaved by LD3 / LD4; other encodings are converted by the scalar
// pixel code into a staging buffer first. Partial groups read through a copy so nothing past
// the row's pixels is loaded.
inline uint8x16x3_t source16(const ImageView& im, const uint8_t* row, int x, int n, int y) {
  const Encoding e = im.encoding;
  uint8_t tmp[64];
  if (e == Encoding::RGB8 || e == Encoding::BGR8) {
    const uint8_t* p = row + static_cast<size_t>(x) * 3;
    if (n < 16) {
      std::memset(tmp, 0, sizeof(tmp));
      std::memcpy(tmp, p, static_cast<size_t>(3 * n));
      p = tmp;
    }
    uint8x16x3_t v = vld3q_u8(p);
    if (e == Encoding::BGR8) std::swap(v.val[0], v.val[2]);
    return v;
  }
  if (e == Encoding::RGBA8 || e == Encoding::BGRA8) {
    const uint8_t* p = row + static_cast<size_t>(x) * 4;
    if (n < 16) {
      std::memset(tmp, 0, sizeof(tmp));
      std::memcpy(tmp, p, static_cast<size_t>(4 * n));
      p = tmp;
    }
    const uint8x16x4_t v = vld4q_u8(p);
    uint8x16x3_t r;
    r.val[0] = v.val[e == Encoding::BGRA8 ? 2 : 0];
    r.val[1] = v.val[1];
    r.val[2] = v.val[e == Encoding::BGRA8 ? 0 : 2];
    return r;
  }
  if (n < 16) std::memset(tmp, 0, sizeof(tmp));
  for (int i = 0; i < n; ++i) px::pixel_rgb(im, x + i, y, tmp + 3 * i);
  return vld3q_u8(tmp);
}

}  // namespace

// Per row, 16 pixels at a time: the labels are gathered (a load per pixel), their colours looked
// up in three 256-entry TBL tables built once per call, blended with the source planes and
// stored interleaved by ST3.
void overlay(const OverlayArgs& a, int row_begin, int row_end) {
  const int W = a.image.width;
  PaletteLut P;
  palette_prepare(a.palette, a.palette_size, &P);
  const uint16x8_t ia = vdupq_n_u16(static_cast<uint16_t>(256 - a.alpha));
  const uint16x8_t va = vdupq_n_u16(static_cast<uint16_t>(a.alpha));
  for (int y = row_begin; y < row_end; ++y) {
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[y]) * a.lw;
    const uint8_t* irow = a.image.data + static_cast<size_t>(y) * a.image.step;
    uint8_t* orow = a.out + static_cast<size_t>(y) * W * 3;
    for (int x = 0; x < W; x += 16) {
      const int n = W - x < 16 ? W - x : 16;
      uint8_t lab[16] = {0};
      for (int i = 0; i < n; ++i) lab[i] = lrow[a.xs[x + i]];
      const uint8x16x3_t col = palette_lookup(P, vld1q_u8(lab));
      const uint8x16x3_t src = source16(a.image, irow, x, n, y);
      uint8x16x3_t out;
      for (int c = 0; c < 3; ++c) out.val[c] = blend16(src.val[c], col.val[c], ia, va);
      if (n == 16) {
        vst3q_u8(orow + static_cast<size_t>(x) * 3, out);
      } else {
        uint8_t tmp[48];
        vst3q_u8(tmp, out);
        std::memcpy(orow + static_cast<size_t>(x) * 3, tmp, static_cast<size_t>(3 * n));
      }
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
