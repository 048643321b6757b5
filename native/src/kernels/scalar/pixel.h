// Pixel-to-RGB conversion for every supported ROS encoding (see kernels.h, "Image stages").
// Shared by the scalar reference and by the tails / non-vectorized encodings of other ISAs.
// Every function is static (internal linkage): each ISA's translation unit keeps its own copy
// compiled with its own flags, so the linker can never hand an AVX2 build of one to scalar code.
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace px {

static inline uint8_t clamp8(int32_t v) { return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v)); }

// BT.601 video range, the integer formula of OpenCV's YUV->RGB (kernels.h):
//   y = max(0, Y - 16) * 1220542; u = U - 128; v = V - 128
//   R = clamp8((y + (1 << 19) + 1673527 * v) >> 20)
//   G = clamp8((y + (1 << 19) - 852492 * v - 409993 * u) >> 20)
//   B = clamp8((y + (1 << 19) + 2116026 * u) >> 20)
// (>> is an arithmetic shift of a signed 32-bit value; every intermediate fits in int32.)
static inline void yuv_to_rgb(int32_t Y, int32_t U, int32_t V, uint8_t* rgb) {
  const int32_t y = (Y - 16 > 0 ? Y - 16 : 0) * 1220542;
  const int32_t u = U - 128;
  const int32_t v = V - 128;
  rgb[0] = clamp8((y + (1 << 19) + 1673527 * v) >> 20);
  rgb[1] = clamp8((y + (1 << 19) - 852492 * v - 409993 * u) >> 20);
  rgb[2] = clamp8((y + (1 << 19) + 2116026 * u) >> 20);
}

// RGB of pixel (x, y). Rows of the first plane start at data + y * step.
//   UYVY: macropixel x / 2 = U0 Y0 V0 Y1 (Y0 for even x, Y1 for odd x)
//   YUYV: macropixel x / 2 = Y0 U0 Y1 V0
//   NV21: chroma plane at data + step * height, row y / 2 (step bytes a row), V U pair at (x / 2) * 2
//   NV24: chroma plane at data + step * height, row y (2 * step bytes a row), U V pair at x * 2
static inline void pixel_rgb(const ImageView& im, int x, int y, uint8_t* rgb) {
  const uint8_t* row = im.data + static_cast<size_t>(y) * im.step;
  switch (im.encoding) {
    case Encoding::RGB8:
      rgb[0] = row[3 * x];
      rgb[1] = row[3 * x + 1];
      rgb[2] = row[3 * x + 2];
      return;
    case Encoding::BGR8:
      rgb[0] = row[3 * x + 2];
      rgb[1] = row[3 * x + 1];
      rgb[2] = row[3 * x];
      return;
    case Encoding::RGBA8:
      rgb[0] = row[4 * x];
      rgb[1] = row[4 * x + 1];
      rgb[2] = row[4 * x + 2];
      return;
    case Encoding::BGRA8:
      rgb[0] = row[4 * x + 2];
      rgb[1] = row[4 * x + 1];
      rgb[2] = row[4 * x];
      return;
    case Encoding::MONO8:
      rgb[0] = rgb[1] = rgb[2] = row[x];
      return;
    case Encoding::UYVY: {
      const uint8_t* m = row + (x / 2) * 4;
      yuv_to_rgb(m[(x & 1) ? 3 : 1], m[0], m[2], rgb);
      return;
    }
    case Encoding::YUYV: {
      const uint8_t* m = row + (x / 2) * 4;
      yuv_to_rgb(m[(x & 1) ? 2 : 0], m[1], m[3], rgb);
      return;
    }
    case Encoding::NV21: {
      const uint8_t* c = im.data + im.step * static_cast<size_t>(im.height) +
                         static_cast<size_t>(y / 2) * im.step + static_cast<size_t>(x / 2) * 2;
      yuv_to_rgb(row[x], c[1], c[0], rgb);
      return;
    }
    case Encoding::NV24: {
      const uint8_t* c = im.data + im.step * static_cast<size_t>(im.height) +
                         static_cast<size_t>(y) * 2 * im.step + static_cast<size_t>(x) * 2;
      yuv_to_rgb(row[x], c[0], c[1], rgb);
      return;
    }
  }
  rgb[0] = rgb[1] = rgb[2] = 0;
}

// Overlay blend of one channel: (src * (256 - alpha) + colour * alpha + 128) >> 8.
static inline uint8_t blend(int32_t src, int32_t colour, int32_t alpha) {
  return static_cast<uint8_t>((src * (256 - alpha) + colour * alpha + 128) >> 8);
}

// Bilinear blend in 1/2048 units (kernels.h):
//   v = (p00*(2048-wx) + p01*wx)*(2048-wy) + (p10*(2048-wx) + p11*wx)*wy
static inline int32_t bilinear(int32_t p00, int32_t p01, int32_t p10, int32_t p11, int32_t wx, int32_t wy) {
  return (p00 * (2048 - wx) + p01 * wx) * (2048 - wy) + (p10 * (2048 - wx) + p11 * wx) * wy;
}

// Fused preprocess of output pixel (oy, ox) (kernels.h "Image stages"): the neighbours
// (ys.i0/i1[oy], xs.i0/i1[ox]) converted to RGB, then per channel c
//   v = bilinear(p00, p01, p10, p11, wx, wy); out[c] = lut[c * 256 + ((v + (1 << 21)) >> 22)].
static inline void preprocess_pixel(const PreprocessArgs& a, int oy, int ox) {
  const int y0 = a.ys->i0[oy], y1 = a.ys->i1[oy], x0 = a.xs->i0[ox], x1 = a.xs->i1[ox];
  const int32_t wy = a.ys->w[oy], wx = a.xs->w[ox];
  uint8_t p00[3], p01[3], p10[3], p11[3];
  pixel_rgb(a.image, x0, y0, p00);
  pixel_rgb(a.image, x1, y0, p01);
  pixel_rgb(a.image, x0, y1, p10);
  pixel_rgb(a.image, x1, y1, p11);
  uint8_t* out = a.out + (static_cast<size_t>(oy) * a.net_w + ox) * 3;
  for (int c = 0; c < 3; ++c) {
    const int32_t v = bilinear(p00[c], p01[c], p10[c], p11[c], wx, wy);
    out[c] = a.lut[c * 256 + ((v + (1 << 21)) >> 22)];
  }
}

}  // namespace px
}  // namespace kernels
}  // namespace attendseg
