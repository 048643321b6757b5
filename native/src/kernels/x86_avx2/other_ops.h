// Pooling, resize, element-wise, argmax and image-stage kernels of this ISA (see kernels.h).
#pragma once
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

void maxpool(const PoolArgs& a, int row_begin, int row_end);
void avgpool(const PoolArgs& a, int row_begin, int row_end);
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end);
void resize_linear(const ResizeArgs& a, int row_begin, int row_end);
void add(const BinaryArgs& a, size_t p_begin, size_t p_end);
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end);
void lut(const LutArgs& a, size_t p_begin, size_t p_end);
void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end);
void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end);
void preprocess(const PreprocessArgs& a, int row_begin, int row_end);
void label_map(const LabelMapArgs& a, int row_begin, int row_end);
void overlay(const OverlayArgs& a, int row_begin, int row_end);

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
