// Nearest resize, NHWC uint8, AVX-512BW: bit-identical to scalar/resize.cpp. Bilinear resize stays
// the AVX2 table's (not ported to 512 bits).
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include "kernels/nearest_rows.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

// resize_nearest_rows with overlapping vector copies of each pixel's C bytes and the 512-bit
// vpshufb lookup per row.
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  Lut512 L;
  if (a.lut) lut_prepare(a.lut, &L);
  resize_nearest_rows(
      a, row_begin, row_end, [](uint8_t* dst, const uint8_t* src, size_t n) { copy_small(dst, src, n); },
      [&](uint8_t* row, size_t n) {
        if (a.lut) lut_apply(L, row, row, n);
      });
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
