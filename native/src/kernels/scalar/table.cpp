#include "kernels/scalar/conv_ops.h"
#include "kernels/scalar/other_ops.h"
#include "kernels/scalar/peak.h"

namespace attendseg {
namespace kernels {

// The reference: every other table equals it bit for bit. It has no small-channel kernel (its
// definition is im2col + GEMM).
const KernelTable& scalar_table() {
  static const KernelTable table = [] {
    KernelTable t;
    t.isa = Isa::Scalar;
    t.name = "scalar";
    t.gemm = {scalar::gemm_packed_bytes, scalar::gemm_pack, scalar::gemm_run};
    t.im2col = scalar::im2col;
    t.dwconv = {scalar::dw_packed_bytes, scalar::dw_pack, scalar::dw_run};
    t.winograd = {scalar::winograd_packed_bytes, scalar::winograd_pack, scalar::winograd_scratch_bytes,
                  scalar::winograd_run};
    t.winograd4x4 = {scalar::winograd4_packed_bytes, scalar::winograd4_pack, scalar::winograd4_scratch_bytes,
                     scalar::winograd4_run};
    t.maxpool = scalar::maxpool;
    t.avgpool = scalar::avgpool;
    t.resize_nearest = scalar::resize_nearest;
    t.resize_linear = scalar::resize_linear;
    t.resize_linear_argmax = scalar::resize_linear_argmax;
    t.add = scalar::add;
    t.mul = scalar::mul;
    t.lut = scalar::lut;
    t.copy_channels = scalar::copy_channels;
    t.argmax = scalar::argmax;
    t.preprocess = scalar::preprocess;
    t.label_map = scalar::label_map;
    t.overlay = scalar::overlay;
    t.peak_loop = scalar::peak_loop;
    return t;
  }();
  return table;
}

}  // namespace kernels
}  // namespace attendseg
