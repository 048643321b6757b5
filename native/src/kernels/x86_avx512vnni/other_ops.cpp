// Pooling, resize, element-wise, argmax and image-stage kernels of the AVX-512 VNNI table.
// These ops are memory- or gather-bound and have no dot products for VNNI to speed up; a CPU
// with AVX-512 VNNI also has AVX2, so they forward to the AVX2 kernels (which are bit-identical
// to the scalar reference). This file only calls across; it executes no AVX-512 code itself.
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

void maxpool(const PoolArgs& a, int row_begin, int row_end) { avx2::maxpool(a, row_begin, row_end); }
void avgpool(const PoolArgs& a, int row_begin, int row_end) { avx2::avgpool(a, row_begin, row_end); }
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) { avx2::resize_nearest(a, row_begin, row_end); }
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) { avx2::resize_linear(a, row_begin, row_end); }
void resize_linear_argmax(const ResizeArgmaxArgs& a, int row_begin, int row_end) {
  avx2::resize_linear_argmax(a, row_begin, row_end);
}
void add(const BinaryArgs& a, size_t p_begin, size_t p_end) { avx2::add(a, p_begin, p_end); }
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) { avx2::mul(a, p_begin, p_end); }
void lut(const LutArgs& a, size_t p_begin, size_t p_end) { avx2::lut(a, p_begin, p_end); }
void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) { avx2::copy_channels(a, p_begin, p_end); }
void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end) { avx2::argmax(a, p_begin, p_end); }
void preprocess(const PreprocessArgs& a, int row_begin, int row_end) { avx2::preprocess(a, row_begin, row_end); }
void label_map(const LabelMapArgs& a, int row_begin, int row_end) { avx2::label_map(a, row_begin, row_end); }
void overlay(const OverlayArgs& a, int row_begin, int row_end) { avx2::overlay(a, row_begin, row_end); }

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
