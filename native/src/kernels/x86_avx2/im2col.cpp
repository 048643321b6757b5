// im2col is pure data movement (one memcpy per kernel tap), already vectorized by memcpy, so
// this ISA shares the scalar implementation.
#include "kernels/scalar/conv_ops.h"
#include "kernels/x86_avx2/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  scalar::im2col(a, p_begin, p_end, A, lda);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
