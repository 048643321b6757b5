// Image preprocess for the avx512vnni table. An rgb8 / bgr8 / rgba8 / bgra8 image already at the
// network size is a table lookup per byte (out[c] = lut[c * 256 + p[c]], scalar/preprocess.cpp);
// where the CPU has AVX-512 VBMI (checked at run time: not every AVX-512 VNNI CPU has it) that
// lookup runs in registers, 21 pixels (16 of four bytes) per step: vpermb puts each pixel's R, G,
// B bytes in output order, two vpermi2b look a byte up in each half of a channel's 256-byte table
// and its top bit picks the half, and each output byte takes its channel's table. Every other
// image goes to the AVX2 kernel.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <immintrin.h>

#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

bool cpu_has_vbmi() {
  static const bool has = __builtin_cpu_supports("avx512vbmi");
  return has;
}

#define ATTENDSEG_VBMI __attribute__((target("avx512f,avx512bw,avx512vbmi")))

// Rows [row_begin, row_end) of a same-size image with bpp bytes per pixel (3 or 4), R at byte
// src_r and B at src_b of each pixel.
ATTENDSEG_VBMI void same_size_vbmi(const PreprocessArgs& a, int row_begin, int row_end, int bpp, int src_r, int src_b) {
  const int per_step = bpp == 3 ? 21 : 16;  // pixels: at most 64 bytes in, 63 out
  // Output byte j is channel j % 3 of pixel j / 3: its source byte, and the channel's masks.
  alignas(64) uint8_t idx[64];
  __mmask64 is_c[3] = {0, 0, 0};
  for (int j = 0; j < 64; ++j) {
    const int c = j % 3, px = j / 3;
    idx[j] = static_cast<uint8_t>(px < per_step ? px * bpp + (c == 0 ? src_r : c == 1 ? 1 : src_b) : 0);
    if (px < per_step) is_c[c] |= __mmask64{1} << j;
  }
  const __m512i order = _mm512_load_si512(idx);
  const bool in_order = bpp == 3 && src_r == 0;  // rgb8: the bytes are already where they go
  __m512i table[3][4];
  for (int c = 0; c < 3; ++c)
    for (int q = 0; q < 4; ++q) table[c][q] = _mm512_loadu_si512(a.lut + 256 * c + 64 * q);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* in = a.image.data + static_cast<size_t>(oy) * a.image.step;
    uint8_t* out = a.out + static_cast<size_t>(oy) * a.net_w * 3;
    for (int x = 0; x < a.net_w; x += per_step) {
      const int n = a.net_w - x < per_step ? a.net_w - x : per_step;
      const __mmask64 load = first_bytes(static_cast<size_t>(n) * bpp);
      const __mmask64 store = first_bytes(static_cast<size_t>(n) * 3);
      __m512i v = _mm512_maskz_loadu_epi8(load, in + static_cast<size_t>(x) * bpp);
      if (!in_order) v = _mm512_permutexvar_epi8(order, v);
      const __mmask64 high = _mm512_movepi8_mask(v);  // bytes 128..255: the tables' upper halves
      __m512i r = _mm512_setzero_si512();
      for (int c = 0; c < 3; ++c) {
        const __m512i lo = _mm512_permutex2var_epi8(table[c][0], v, table[c][1]);
        const __m512i hi = _mm512_permutex2var_epi8(table[c][2], v, table[c][3]);
        r = _mm512_mask_mov_epi8(r, is_c[c], _mm512_mask_blend_epi8(high, lo, hi));
      }
      _mm512_mask_storeu_epi8(out + static_cast<size_t>(x) * 3, store, r);
    }
  }
}

#undef ATTENDSEG_VBMI

}  // namespace

void preprocess(const PreprocessArgs& a, int row_begin, int row_end) {
  const Encoding e = a.image.encoding;
  const bool three = e == Encoding::RGB8 || e == Encoding::BGR8;
  const bool four = e == Encoding::RGBA8 || e == Encoding::BGRA8;
  const bool swap = e == Encoding::BGR8 || e == Encoding::BGRA8;
  if ((three || four) && a.net_w == a.image.width && a.net_h == a.image.height && cpu_has_vbmi()) {
    same_size_vbmi(a, row_begin, row_end, three ? 3 : 4, swap ? 2 : 0, swap ? 0 : 2);
    return;
  }
  avx2::preprocess(a, row_begin, row_end);
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
