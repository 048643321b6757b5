#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx2/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& avx2_table() {
  static const KernelTable table = {
      Isa::Avx2,
      "avx2",
      {avx2::gemm_packed_bytes, avx2::gemm_pack, avx2::gemm_run},
      avx2::im2col,
      {avx2::dw_packed_bytes, avx2::dw_pack, avx2::dw_run},
      {avx2::winograd_packed_bytes, avx2::winograd_pack, avx2::winograd_scratch_bytes, avx2::winograd_run},
      {avx2::winograd4_packed_bytes, avx2::winograd4_pack, avx2::winograd4_scratch_bytes, avx2::winograd4_run},
      {avx2::small_conv_packed_bytes, avx2::small_conv_pack, avx2::small_conv_run},
      avx2::maxpool,
      avx2::avgpool,
      avx2::resize_nearest,
      avx2::resize_linear,
      avx2::resize_linear_argmax,
      avx2::add,
      avx2::mul,
      avx2::lut,
      avx2::copy_channels,
      avx2::argmax,
      avx2::preprocess,
      avx2::label_map,
      avx2::overlay,
      avx2::peak_loop,
  };
  return table;
}

}  // namespace kernels
}  // namespace attendseg
