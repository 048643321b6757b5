// AVX-512 VNNI: the kernels where VNNI pays (the vpdpbusd GEMM, the small-channel convolution on it,
// depthwise, the peak loop, and the Winograd kernels with vpdpwssd) and the 512-bit AVX-512BW Add,
// Mul, LUT, max pooling and resize (bilinear from 16 channels), and with VBMI the same-size image
// lookup; everything else is the AVX2 table's, which every AVX-512 VNNI CPU runs.
#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/x86_avx512vnni/other_ops.h"
#include "kernels/x86_avx512vnni/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& avx512vnni_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::Avx512Vnni;
    t.name = "avx512vnni";
    t.gemm = {avx512vnni::gemm_packed_bytes, avx512vnni::gemm_pack, avx512vnni::gemm_run};
    t.dwconv = {avx512vnni::dw_packed_bytes, avx512vnni::dw_pack, avx512vnni::dw_run};
    t.winograd = {avx512vnni::winograd_packed_bytes, avx512vnni::winograd_pack, avx512vnni::winograd_scratch_bytes,
                  avx512vnni::winograd_run};
    t.winograd4x4 = {avx512vnni::winograd4_packed_bytes, avx512vnni::winograd4_pack,
                     avx512vnni::winograd4_scratch_bytes, avx512vnni::winograd4_run};
    t.small_conv = {avx512vnni::small_conv_packed_bytes, avx512vnni::small_conv_pack, avx512vnni::small_conv_run};
    t.maxpool = avx512vnni::maxpool;
    t.resize_nearest = avx512vnni::resize_nearest;
    t.resize_linear = avx512vnni::resize_linear;
    t.resize_linear_argmax = avx512vnni::resize_linear_argmax;
    t.add = avx512vnni::add;
    t.mul = avx512vnni::mul;
    t.lut = avx512vnni::lut;
    t.preprocess = avx512vnni::preprocess;
    t.peak_loop = avx512vnni::peak_loop;
    return inherit(t, avx2_table());
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
