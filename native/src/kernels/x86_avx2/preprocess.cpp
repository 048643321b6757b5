// Fused image preprocess, AVX2. Bit-identical to scalar/preprocess.cpp.
// rgb8 / bgr8 / rgba8 / bgra8 are vectorized 8 output pixels at a time, also when the image is
// already the network size (no interpolation then) where the model's table has its integers
// (kernels.h "Preprocess in integers"); mono8 and the YUV encodings go through the scalar path
// (their conversion dominates and is scalar code anyway).
#include <immintrin.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/pixel.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// The table's byte of 8 int32 lanes p (0..255) for the channel whose m and add lanes hold
// (kernels.h "Preprocess in integers"), as int32 that the saturating packs keep in 0..255.
inline __m256i affine_unclamped(__m256i p, __m256i m, __m256i add, __m128i shift) {
  return _mm256_sra_epi32(_mm256_add_epi32(_mm256_mullo_epi32(p, m), add), shift);
}

// Rows of an image at the network size: out[c] = lut[c * 256 + p[c]] per pixel (R, G, B taken
// from their source bytes), no interpolation. With the table in integers, 8 pixels per step: the
// 24 output bytes as three vectors of 8 int32, each gathered by one vpshufb from 16 source bytes
// (the output byte order from any of the four byte orders), computed and narrowed by the packs;
// otherwise, and for the last pixels of a row, a lookup per byte.
void preprocess_same_size(const PreprocessArgs& a, int row_begin, int row_end, int bpp, bool swap) {
  const uint8_t *lut_r = a.lut, *lut_g = a.lut + 256, *lut_b = a.lut + 512;
  const int src[3] = {swap ? 2 : 0, 1, swap ? 0 : 2};
  constexpr int kStep = 8;
  const bool vector = a.affine.on;
  __m128i mask[3];
  __m256i m[3], add[3];
  int base[3];
  const __m128i shift = _mm_cvtsi32_si128(a.affine.shift);
  if (vector)
    for (int k = 0; k < 3; ++k) {
      // Output byte 8k + j is channel (8k + j) % 3 of pixel (8k + j) / 3: its source byte, read
      // from one 16-byte load at base[k] inside the step's 8 * bpp bytes.
      int from[8], lo = INT32_MAX;
      alignas(32) int32_t mv[8], av[8];
      for (int j = 0; j < 8; ++j) {
        const int o = 8 * k + j, c = o % 3;
        from[j] = (o / 3) * bpp + src[c];
        lo = std::min(lo, from[j]);
        mv[j] = a.affine.m[c];
        av[j] = a.affine.add[c];
      }
      base[k] = std::min(lo, kStep * bpp - 16);
      alignas(16) int8_t mk[16];
      for (int j = 0; j < 16; ++j) mk[j] = static_cast<int8_t>(j < 8 ? from[j] - base[k] : -128);
      mask[k] = _mm_load_si128(reinterpret_cast<const __m128i*>(mk));
      m[k] = _mm256_load_si256(reinterpret_cast<const __m256i*>(mv));
      add[k] = _mm256_load_si256(reinterpret_cast<const __m256i*>(av));
    }
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const uint8_t* in = a.image.data + static_cast<size_t>(oy) * a.image.step;
    uint8_t* out = a.out + static_cast<size_t>(oy) * a.net_w * 3;
    int x = 0;
    if (vector)
      for (; x + kStep <= a.net_w; x += kStep, in += kStep * bpp, out += kStep * 3) {
        __m256i y[3];
        for (int k = 0; k < 3; ++k) {
          const __m128i bytes = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + base[k])), mask[k]);
          y[k] = affine_unclamped(_mm256_cvtepu8_epi32(bytes), m[k], add[k], shift);
        }
        // dwords y0 0-3, y1 0-3, y2 0-3, - | y0 4-7, y1 4-7, y2 4-7, -, then in byte order
        const __m256i u = _mm256_permutevar8x32_epi32(
            _mm256_packus_epi16(_mm256_packs_epi32(y[0], y[1]), _mm256_packs_epi32(y[2], y[2])), order);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(u));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 16), _mm256_extracti128_si256(u, 1));
      }
    for (; x < a.net_w; ++x, in += bpp, out += 3) {
      out[0] = lut_r[in[src[0]]];
      out[1] = lut_g[in[1]];
      out[2] = lut_b[in[src[2]]];
    }
  }
}

}  // namespace

// Per 8 output pixels: each neighbour pixel is one dword gather from its row (3-byte pixels
// load the dword ending at the pixel's last byte, except column 0 which loads bytes 0..3, so
// nothing outside the row's pixels is read; images one pixel wide take the scalar path).
// Per channel: (p0 | p1 << 16) pairs times (2048 - wx | wx << 16) with vpmaddwd give the
// horizontal sums h0, h1 exactly; v = (h0 << 11) + (h1 - h0) * wy equals the contract's
// bilinear integer; pix = (v + 2^21) >> 22; lut[c * 256 + pix] is a byte gather. The three
// channels are interleaved back to RGB with vpshufb.
void preprocess(const PreprocessArgs& a, int row_begin, int row_end) {
  const Encoding e = a.image.encoding;
  const bool three = e == Encoding::RGB8 || e == Encoding::BGR8;
  const bool four = e == Encoding::RGBA8 || e == Encoding::BGRA8;
  if ((!three && !four) || a.image.width < 2) {
    scalar::preprocess(a, row_begin, row_end);
    return;
  }
  const bool swap = e == Encoding::BGR8 || e == Encoding::BGRA8;
  // build_image_axis at the same size is the identity (kernels.h): the blend is the pixel itself.
  if (a.net_w == a.image.width && a.net_h == a.image.height) {
    preprocess_same_size(a, row_begin, row_end, four ? 4 : 3, swap);
    return;
  }
  const int shift[3] = {swap ? 16 : 0, 8, swap ? 0 : 16};  // bit position of R, G, B in the dword
  const __m256i zero = _mm256_setzero_si256();
  const __m256i byte_mask = _mm256_set1_epi32(0xFF);
  const __m256i hi_mask = _mm256_set1_epi32(0xFF0000);
  const __m256i w2048 = _mm256_set1_epi32(2048);
  const __m256i round22 = _mm256_set1_epi32(1 << 21);
  const __m128i compact = _mm_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
  const __m256i compact2 = _mm256_broadcastsi128_si256(compact);
  const int full = a.net_w & ~7;
  const __m256i am[3] = {_mm256_set1_epi32(a.affine.m[0]), _mm256_set1_epi32(a.affine.m[1]), _mm256_set1_epi32(a.affine.m[2])};
  const __m256i aa[3] = {_mm256_set1_epi32(a.affine.add[0]), _mm256_set1_epi32(a.affine.add[1]),
                         _mm256_set1_epi32(a.affine.add[2])};
  const __m128i ashift = _mm_cvtsi32_si128(a.affine.shift);

  // Gather offsets and per-lane right shifts for 8 source columns.
  auto offsets = [&](__m256i col, __m256i* off, __m256i* sh) {
    if (four) {
      *off = _mm256_slli_epi32(col, 2);
      *sh = zero;
    } else {
      const __m256i pos = _mm256_cmpgt_epi32(col, zero);  // -1 where col > 0
      *off = _mm256_add_epi32(_mm256_add_epi32(col, _mm256_add_epi32(col, col)), pos);
      *sh = _mm256_and_si256(pos, _mm256_set1_epi32(8));
    }
  };

  for (int oy = row_begin; oy < row_end; ++oy) {
    const int* row0 = reinterpret_cast<const int*>(a.image.data + static_cast<size_t>(a.ys->i0[oy]) * a.image.step);
    const int* row1 = reinterpret_cast<const int*>(a.image.data + static_cast<size_t>(a.ys->i1[oy]) * a.image.step);
    const __m256i wy = _mm256_set1_epi32(a.ys->w[oy]);
    uint8_t* orow = a.out + static_cast<size_t>(oy) * a.net_w * 3;
    for (int ox = 0; ox < full; ox += 8) {
      const __m256i c0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.xs->i0.data() + ox));
      const __m256i c1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(a.xs->i1.data() + ox));
      const __m256i wx = _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a.xs->w.data() + ox)));
      const __m256i wpair = _mm256_or_si256(_mm256_sub_epi32(w2048, wx), _mm256_slli_epi32(wx, 16));
      __m256i off0, sh0, off1, sh1;
      offsets(c0, &off0, &sh0);
      offsets(c1, &off1, &sh1);
      const __m256i g00 = _mm256_srlv_epi32(_mm256_i32gather_epi32(row0, off0, 1), sh0);
      const __m256i g01 = _mm256_srlv_epi32(_mm256_i32gather_epi32(row0, off1, 1), sh1);
      const __m256i g10 = _mm256_srlv_epi32(_mm256_i32gather_epi32(row1, off0, 1), sh0);
      const __m256i g11 = _mm256_srlv_epi32(_mm256_i32gather_epi32(row1, off1, 1), sh1);
      __m256i rgb = zero;
      for (int c = 0; c < 3; ++c) {
        const __m128i s = _mm_cvtsi32_si128(shift[c]);
        const __m128i s16 = _mm_cvtsi32_si128(16 - shift[c]);  // shift[c] <= 16
        // pairs: low half p0 (left neighbour), high half p1 (right neighbour)
        const __m256i q0 = _mm256_or_si256(_mm256_and_si256(_mm256_srl_epi32(g00, s), byte_mask),
                                           _mm256_and_si256(_mm256_sll_epi32(g01, s16), hi_mask));
        const __m256i q1 = _mm256_or_si256(_mm256_and_si256(_mm256_srl_epi32(g10, s), byte_mask),
                                           _mm256_and_si256(_mm256_sll_epi32(g11, s16), hi_mask));
        const __m256i h0 = _mm256_madd_epi16(q0, wpair);
        const __m256i h1 = _mm256_madd_epi16(q1, wpair);
        const __m256i v = _mm256_add_epi32(_mm256_slli_epi32(h0, 11), _mm256_mullo_epi32(_mm256_sub_epi32(h1, h0), wy));
        const __m256i pix = _mm256_srli_epi32(_mm256_add_epi32(v, round22), 22);
        const __m256i val =
            a.affine.on ? _mm256_min_epi32(_mm256_max_epi32(affine_unclamped(pix, am[c], aa[c], ashift), zero), byte_mask)
                        : gather_u8(a.lut, _mm256_add_epi32(pix, _mm256_set1_epi32(c * 256)));
        rgb = _mm256_or_si256(rgb, _mm256_slli_epi32(val, 8 * c));
      }
      // dwords R G B 0 -> 12 bytes per 128-bit half
      const __m256i packed = _mm256_shuffle_epi8(rgb, compact2);
      const __m128i lo = _mm256_castsi256_si128(packed), hi = _mm256_extracti128_si256(packed, 1);
      uint8_t* o = orow + static_cast<size_t>(ox) * 3;
      _mm_storel_epi64(reinterpret_cast<__m128i*>(o), lo);
      const uint32_t lo2 = static_cast<uint32_t>(_mm_extract_epi32(lo, 2));
      std::memcpy(o + 8, &lo2, 4);
      _mm_storel_epi64(reinterpret_cast<__m128i*>(o + 12), hi);
      const uint32_t hi2 = static_cast<uint32_t>(_mm_extract_epi32(hi, 2));
      std::memcpy(o + 20, &hi2, 4);
    }
    for (int ox = full; ox < a.net_w; ++ox) px::preprocess_pixel(a, oy, ox);
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
