// Nearest label upsampling and colorizing, NEON. Bit-identical to scalar/label_map.cpp.
// The label gather (labels[ys[oy] * lw + xs[ox]]) is a load per pixel, or one copy per row at
// the network's resolution; colours come from three 256-entry TBL tables (one per channel,
// built once per call, so there is no division per pixel) and are stored interleaved by ST3,
// 16 pixels at a time. An output row whose source row equals the previous one is copied.
#include <arm_neon.h>

#include <cstring>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/arm_neon/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// dst[x] = lrow[xs[x]] for x < w; a plain copy when the columns map one to one.
inline void gather_row(const uint8_t* lrow, const int32_t* xs, int w, bool identity, uint8_t* dst) {
  if (identity) {
    std::memcpy(dst, lrow, static_cast<size_t>(w));
    return;
  }
  for (int x = 0; x < w; ++x) dst[x] = lrow[xs[x]];
}

// rgb[3x..3x+2] = colours of labels[x] for x < n.
inline void colorize(const PaletteLut& P, const uint8_t* labels, int n, uint8_t* rgb) {
  int x = 0;
  for (; x + 16 <= n; x += 16) vst3q_u8(rgb + 3 * x, palette_lookup(P, vld1q_u8(labels + x)));
  if (x < n) {
    uint8_t lab[16] = {0}, tmp[48];
    std::memcpy(lab, labels + x, static_cast<size_t>(n - x));
    vst3q_u8(tmp, palette_lookup(P, vld1q_u8(lab)));
    std::memcpy(rgb + 3 * x, tmp, static_cast<size_t>(3 * (n - x)));
  }
}

}  // namespace

void label_map(const LabelMapArgs& a, int row_begin, int row_end) {
  const size_t W = static_cast<size_t>(a.out_w);
  PaletteLut P;
  if (a.colorized_out) palette_prepare(a.palette, a.palette_size, &P);
  bool identity = a.out_w == a.lw;  // columns map one to one: rows are copied, not gathered
  for (int x = 0; identity && x < a.out_w; ++x) identity = a.xs[x] == x;
  constexpr int kChunk = 1024;
  uint8_t buf[kChunk];
  for (int oy = row_begin; oy < row_end; ++oy) {
    const size_t o = static_cast<size_t>(oy) * W;
    if (oy > row_begin && a.ys[oy] == a.ys[oy - 1]) {
      if (a.label_out) std::memcpy(a.label_out + o, a.label_out + o - W, W);
      if (a.colorized_out) std::memcpy(a.colorized_out + o * 3, a.colorized_out + (o - W) * 3, W * 3);
      continue;
    }
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[oy]) * a.lw;
    for (int x0 = 0; x0 < a.out_w; x0 += kChunk) {
      const int n = a.out_w - x0 < kChunk ? a.out_w - x0 : kChunk;
      // Labels land in the label output when there is one, else in the stack buffer.
      uint8_t* lab = a.label_out ? a.label_out + o + x0 : buf;
      gather_row(identity ? lrow + x0 : lrow, a.xs + x0, n, identity, lab);
      if (a.colorized_out) colorize(P, lab, n, a.colorized_out + (o + x0) * 3);
    }
  }
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
