// Label colours blended onto the camera frame, AVX2. Bit-identical to scalar/overlay.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/scalar/pixel.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// out = (src * (256 - alpha) + colour * alpha + 128) >> 8 on 16 bytes. Every term fits in
// unsigned 16 bits (at most 255 * 256 + 128), so wrapping 16-bit multiplies and adds and a
// logical shift are exact.
inline __m128i blend16(__m128i s, __m128i c, __m256i ia, __m256i va, __m256i r128) {
  const __m256i s16 = _mm256_cvtepu8_epi16(s), c16 = _mm256_cvtepu8_epi16(c);
  const __m256i sum = _mm256_add_epi16(_mm256_add_epi16(_mm256_mullo_epi16(s16, ia), _mm256_mullo_epi16(c16, va)), r128);
  const __m256i r = _mm256_srli_epi16(sum, 8);
  return _mm_packus_epi16(_mm256_castsi256_si128(r), _mm256_extracti128_si256(r, 1));
}

}  // namespace

// Per row, in chunks of up to 256 pixels: the label colours (256-entry colour table, built once
// per call) and, unless the frame is rgb8 and can be read in place, the source RGB (converted
// by the scalar pixel code) are laid out as RGB bytes; the blend then runs 16 bytes at a time.
void overlay(const OverlayArgs& a, int row_begin, int row_end) {
  const int W = a.image.width;
  constexpr int kChunk = 256;
  uint32_t colour[256];  // R | G << 8 | B << 16
  for (int l = 0; l < 256; ++l) {
    const uint8_t* p = a.palette + 3 * (l % a.palette_size);
    colour[l] = p[0] | (p[1] << 8) | (static_cast<uint32_t>(p[2]) << 16);
  }
  const __m256i ia = _mm256_set1_epi16(static_cast<int16_t>(256 - a.alpha));
  const __m256i va = _mm256_set1_epi16(static_cast<int16_t>(a.alpha));
  const __m256i r128 = _mm256_set1_epi16(128);
  uint8_t col[kChunk * 3 + 1];
  uint8_t src[kChunk * 3];
  const bool in_place = a.image.encoding == Encoding::RGB8;
  for (int y = row_begin; y < row_end; ++y) {
    const uint8_t* lrow = a.labels + static_cast<size_t>(a.ys[y]) * a.lw;
    const uint8_t* irow = a.image.data + static_cast<size_t>(y) * a.image.step;
    uint8_t* orow = a.out + static_cast<size_t>(y) * W * 3;
    for (int x0 = 0; x0 < W; x0 += kChunk) {
      const int n = W - x0 < kChunk ? W - x0 : kChunk;
      for (int i = 0; i < n; ++i) std::memcpy(col + 3 * i, &colour[lrow[a.xs[x0 + i]]], 4);
      const uint8_t* s = src;
      if (in_place) {
        s = irow + static_cast<size_t>(x0) * 3;
      } else if (a.image.encoding == Encoding::BGR8) {
        const uint8_t* p = irow + static_cast<size_t>(x0) * 3;
        for (int i = 0; i < n; ++i) {
          src[3 * i] = p[3 * i + 2];
          src[3 * i + 1] = p[3 * i + 1];
          src[3 * i + 2] = p[3 * i];
        }
      } else {
        for (int i = 0; i < n; ++i) px::pixel_rgb(a.image, x0 + i, y, src + 3 * i);
      }
      uint8_t* o = orow + static_cast<size_t>(x0) * 3;
      const int bytes = 3 * n;
      int i = 0;
      for (; i + 16 <= bytes; i += 16) {
        const __m128i sv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        const __m128i cv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(col + i));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(o + i), blend16(sv, cv, ia, va, r128));
      }
      if (i < bytes) {
        uint8_t ts[16] = {0}, tc[16] = {0}, to[16];
        std::memcpy(ts, s + i, bytes - i);
        std::memcpy(tc, col + i, bytes - i);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(to),
                         blend16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(ts)),
                                 _mm_loadu_si128(reinterpret_cast<const __m128i*>(tc)), ia, va, r128));
        std::memcpy(o + i, to, bytes - i);
      }
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
