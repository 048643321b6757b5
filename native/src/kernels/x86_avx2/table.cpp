#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& avx2_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::Avx2;
    t.name = "avx2";
    t.gemm = {avx2::gemm_packed_bytes, avx2::gemm_pack, avx2::gemm_run};
    t.im2col = avx2::im2col;
    t.dwconv = {avx2::dw_packed_bytes, avx2::dw_pack, avx2::dw_run};
    t.winograd = {avx2::winograd_packed_bytes, avx2::winograd_pack, avx2::winograd_scratch_bytes, avx2::winograd_run};
    t.winograd4x4 = {avx2::winograd4_packed_bytes, avx2::winograd4_pack, avx2::winograd4_scratch_bytes,
                     avx2::winograd4_run};
    t.small_conv = {avx2::small_conv_packed_bytes, avx2::small_conv_pack, avx2::small_conv_run};
    t.maxpool = avx2::maxpool;
    t.avgpool = avx2::avgpool;
    t.resize_nearest = avx2::resize_nearest;
    t.resize_linear = avx2::resize_linear;
    t.resize_linear_argmax = avx2::resize_linear_argmax;
    t.add = avx2::add;
    t.mul = avx2::mul;
    t.lut = avx2::lut;
    t.copy_channels = avx2::copy_channels;
    t.argmax = avx2::argmax;
    t.preprocess = avx2::preprocess;
    t.label_map = avx2::label_map;
    t.overlay = avx2::overlay;
    t.peak_loop = avx2::peak_loop;
    return t;
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
