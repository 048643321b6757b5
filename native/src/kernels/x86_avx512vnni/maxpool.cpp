// Max pooling, NHWC uint8, AVX-512BW: maxpool_paths.h's paths on 64 bytes per step, every
// partial block a masked load and store. The requantization table, when present, is the 512-bit
// vpshufb lookup.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include "kernels/maxpool_paths.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

struct PoolVec {
  static constexpr size_t kBytes = 64;
  static constexpr size_t kFlatMin = 1;
  using Lut = Lut512;
  static MaxPoolRing& ring() { return per_thread<MaxPoolRing>(); }

  // 64 channels at a time.
  static inline void max_over_window(const uint8_t* in, size_t row_stride, int C, int y0, int y1, int x0, int x1,
                                     uint8_t* dst) {
    const size_t step = static_cast<size_t>(C);
    for (int c = 0; c < C; c += 64) {
      const __mmask64 m = first_bytes(static_cast<size_t>(C - c));
      __m512i v = _mm512_setzero_si512();
      for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) v = _mm512_max_epu8(v, load64(in + y * row_stride + x * step + c, m));
      store64(dst + c, v, m);
    }
  }

  static inline void flat_max(const uint8_t* src, size_t step, int kw, size_t n, uint8_t* dst) {
    for (size_t j = 0; j < n; j += 64) {
      const __mmask64 m = first_bytes(n - j);
      __m512i v = load64(src + j, m);
      for (int kx = 1; kx < kw; ++kx) v = _mm512_max_epu8(v, load64(src + j + kx * step, m));
      store64(dst + j, v, m);
    }
  }

  static inline void column_max(const uint8_t* const* win, int nr, size_t n, const Lut512* lut, uint8_t* dst) {
    for (size_t j = 0; j < n; j += 64) {
      __m512i v = _mm512_setzero_si512();
      for (int r = 0; r < nr; ++r) v = _mm512_max_epu8(v, load64(win[r] + j));
      if (lut) v = lut_lookup(*lut, v);
      store64(dst + j, v, first_bytes(n - j));
    }
  }
};

}  // namespace

void maxpool(const PoolArgs& a, int row_begin, int row_end) { maxpool_rows<PoolVec>(a, row_begin, row_end); }

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
