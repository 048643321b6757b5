// Max pooling, NHWC uint8, AVX2: maxpool_paths.h's paths on 32 bytes per step, partial blocks
// done as overlapping ones (identical values). The requantization table, when present, is
// applied with the vpshufb lookup.
#include <immintrin.h>

#include <algorithm>
#include <cstring>

#include "kernels/maxpool_paths.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

inline __m256i load32(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
inline __m128i load16(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline __m128i load8(const uint8_t* p) { return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)); }

struct PoolVec {
  static constexpr size_t kBytes = 32;
  static constexpr size_t kFlatMin = 32;  // the flat loop's tail block overlaps its previous one
  using Lut = Lut256;
  static MaxPoolRing& ring() { return per_thread<MaxPoolRing>(); }

  // 32 / 16 / 8 channels at a time, a channel count that is not a multiple ending with an
  // overlapping block; fewer than 8 channels one by one.
  static inline void max_over_window(const uint8_t* in, size_t row_stride, int C, int y0, int y1, int x0, int x1,
                                     uint8_t* dst) {
    const size_t step = static_cast<size_t>(C);
    auto block32 = [&](int c) {
      __m256i m = _mm256_setzero_si256();
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) m = _mm256_max_epu8(m, load32(in + y * row_stride + x * step + c));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + c), m);
    };
    auto block16 = [&](int c) {
      __m128i m = _mm_setzero_si128();
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) m = _mm_max_epu8(m, load16(in + y * row_stride + x * step + c));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + c), m);
    };
    auto block8 = [&](int c) {
      __m128i m = _mm_setzero_si128();
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) m = _mm_max_epu8(m, load8(in + y * row_stride + x * step + c));
      _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + c), m);
    };
    if (C >= 32) {
      int c = 0;
      for (; c + 32 <= C; c += 32) block32(c);
      if (c < C) block32(C - 32);
    } else if (C >= 16) {
      block16(0);
      if (C > 16) block16(C - 16);
    } else if (C >= 8) {
      block8(0);
      if (C > 8) block8(C - 8);
    } else {
      for (int c = 0; c < C; ++c) {
        uint8_t m = 0;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) m = std::max(m, in[y * row_stride + x * step + c]);
        dst[c] = m;
      }
    }
  }

  static inline void flat_max(const uint8_t* src, size_t step, int kw, size_t n, uint8_t* dst) {
    auto block = [&](size_t j) {
      __m256i m = load32(src + j);
      for (int kx = 1; kx < kw; ++kx) m = _mm256_max_epu8(m, load32(src + j + kx * step));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j), m);
    };
    size_t j = 0;
    for (; j + 32 <= n; j += 32) block(j);
    if (j < n) block(n - 32);  // overlapping tail, identical values
  }

  static inline void column_max(const uint8_t* const* win, int nr, size_t n, const Lut256* lut, uint8_t* dst) {
    for (size_t j = 0; j < n; j += 32) {
      __m256i m = _mm256_setzero_si256();
      for (int r = 0; r < nr; ++r) m = _mm256_max_epu8(m, load32(win[r] + j));
      if (lut) m = lut_lookup(*lut, m);
      if (j + 32 <= n) {
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j), m);
      } else {
        alignas(32) uint8_t tmp[32];
        _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), m);
        std::memcpy(dst + j, tmp, n - j);
      }
    }
  }
};

}  // namespace

void maxpool(const PoolArgs& a, int row_begin, int row_end) { maxpool_rows<PoolVec>(a, row_begin, row_end); }

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
