// Nearest label upsampling and colorizing, AVX2 file. Bit-identical to scalar/label_map.cpp.
// The per-pixel work is a table gather, which SIMD does not speed up on x86 (a vpgatherdd costs
// about as much as its scalar loads), so the gains here are algorithmic: an output row whose
// source row equals the previous one is copied from it, a label row at the network's resolution
// is one copy, and colours come from a 256-entry table built once per call instead of a division
// per pixel.
#include <cstring>

#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

void label_map(const LabelMapArgs& a, int row_begin, int row_end) {
  const size_t W = static_cast<size_t>(a.out_w);
  uint32_t colour[256];  // R | G << 8 | B << 16 of palette[3 * (label % palette_size)]
  if (a.colorized_out)
    for (int l = 0; l < 256; ++l) {
      const uint8_t* p = a.palette + 3 * (l % a.palette_size);
      colour[l] = p[0] | (p[1] << 8) | (static_cast<uint32_t>(p[2]) << 16);
    }
  bool identity = a.out_w == a.lw;  // columns map one to one: label rows are copied, not gathered
  for (int x = 0; identity && x < a.out_w; ++x) identity = a.xs[x] == x;
  for (int oy = row_begin; oy < row_end; ++oy) {
    const size_t o = static_cast<size_t>(oy) * W;
    if (oy > row_begin && a.ys[oy] == a.ys[oy - 1]) {
      if (a.label_out) std::memcpy(a.label_out + o, a.label_out + o - W, W);
      if (a.colorized_out) std::memcpy(a.colorized_out + o * 3, a.colorized_out + (o - W) * 3, W * 3);
      continue;
    }
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[oy]) * a.lw;
    if (a.label_out) {
      uint8_t* lo = a.label_out + o;
      if (identity)
        std::memcpy(lo, lrow, W);
      else
        for (size_t x = 0; x < W; ++x) lo[x] = lrow[a.xs[x]];
    }
    if (a.colorized_out && W > 0) {
      uint8_t* co = a.colorized_out + o * 3;
      // 4-byte stores, each overwritten by the next pixel's; the row's last pixel stores 3 bytes.
      for (size_t x = 0; x + 1 < W; ++x) std::memcpy(co + 3 * x, &colour[lrow[a.xs[x]]], 4);
      const uint32_t last = colour[lrow[a.xs[W - 1]]];
      co[3 * (W - 1)] = static_cast<uint8_t>(last);
      co[3 * (W - 1) + 1] = static_cast<uint8_t>(last >> 8);
      co[3 * (W - 1) + 2] = static_cast<uint8_t>(last >> 16);
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
