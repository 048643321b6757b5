// The k-quad panel weight layout (gemm_paths.h quad_pack): the avx2 GEMM's maddubs format and the
// avxvnni GEMM's packed weights. Pack time only; compiled with the AVX2 flags, which every CPU of
// both tables has.
#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/gemm_tile.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

size_t quad_packed_bytes(int K, int N) {
  return 4 * static_cast<size_t>((K + 3) / 4) * padded_channels(panel_layout(N));
}

void quad_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const PanelLayout l = panel_layout(N);
  const int quads = (K + 3) / 4;
  int8_t* out = reinterpret_cast<int8_t*>(packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    for (int q = 0; q < quads; ++q)
      for (int c = 0; c < width; ++c) {
        const int n = 16 * p + c;
        for (int i = 0; i < 4; ++i) {
          const int k = 4 * q + i;
          *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
        }
      }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
