#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/x86_avx512vnni/other_ops.h"
#include "kernels/x86_avx512vnni/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& avx512vnni_table() {
  static const KernelTable table = {
      Isa::Avx512Vnni,
      "avx512vnni",
      {avx512vnni::gemm_packed_bytes, avx512vnni::gemm_pack, avx512vnni::gemm_run},
      avx512vnni::im2col,
      {avx512vnni::dw_packed_bytes, avx512vnni::dw_pack, avx512vnni::dw_run},
      // No Winograd: VPDPBUSD does 64 exact u8 x s8 multiply-adds per instruction, while the
      // integer transform needs int16 operands (VPMADDWD + VPADDD: 16 per two instructions, 36
      // direct ones' worth), so the im2col GEMM stays ahead (of F(2x2) and F(4x4) alike).
      {},
      {},
      // No small-channel convolution: VPDPBUSD takes im2col's bytes as they are, with no
      // widening pass to spare.
      {},
      avx512vnni::maxpool,
      avx512vnni::avgpool,
      avx512vnni::resize_nearest,
      avx512vnni::resize_linear,
      avx512vnni::resize_linear_argmax,
      avx512vnni::add,
      avx512vnni::mul,
      avx512vnni::lut,
      avx512vnni::copy_channels,
      avx512vnni::argmax,
      avx512vnni::preprocess,
      avx512vnni::label_map,
      avx512vnni::overlay,
      avx512vnni::peak_loop,
  };
  return table;
}

}  // namespace kernels
}  // namespace attendseg
