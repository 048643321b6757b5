#include "kernels/scalar/conv_ops.h"
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/peak.h"

namespace attendseg {
namespace kernels {

const KernelTable& scalar_table() {
  static const KernelTable table = {
      Isa::Scalar,
      "scalar",
      {scalar::gemm_packed_bytes, scalar::gemm_pack, scalar::gemm_run},
      scalar::im2col,
      {scalar::dw_packed_bytes, scalar::dw_pack, scalar::dw_run},
      {scalar::winograd_packed_bytes, scalar::winograd_pack, scalar::winograd_scratch_bytes, scalar::winograd_run},
      {scalar::winograd4_packed_bytes, scalar::winograd4_pack, scalar::winograd4_scratch_bytes, scalar::winograd4_run},
      {},  // the reference is im2col + GEMM
      scalar::maxpool,
      scalar::avgpool,
      scalar::resize_nearest,
      scalar::resize_linear,
      scalar::resize_linear_argmax,
      scalar::add,
      scalar::mul,
      scalar::lut,
      scalar::copy_channels,
      scalar::argmax,
      scalar::preprocess,
      scalar::label_map,
      scalar::overlay,
      scalar::peak_loop,
  };
  return table;
}

}  // namespace kernels
}  // namespace attendseg
