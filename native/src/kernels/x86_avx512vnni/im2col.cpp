// im2col is pure data movement: this ISA shares the AVX2 implementation (vector moves of whole
// kernel rows; 512-bit moves would not make it faster).
#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx512vnni/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

void im2col(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) {
  avx2::im2col(a, p_begin, p_end, A, lda);
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
