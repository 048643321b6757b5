// Add and Mul of the x86 ISAs on widened float lanes (kernels.h "Element-wise"), bit-identical
// to scalar/elementwise.cpp. Widened lanes hold a byte x as the float 2^23 + x (bits 0x4B0000xx,
// made by the widening unpacks themselves), so no conversion is needed: (2^23 + x) - (2^23 + z)
// is (float)(x - z) exactly. V is a struct of the ISA's own file (internal linkage), so each ISA
// gets its own instantiation compiled with its flags:
//   V::F, V::I                float and integer vectors; set1(float), sub, add, mul on F;
//                             as_float(I) reinterprets the bits
//   V::Quantize<kQuotient>    clamp(round(v / sy) + zy, qmin, qmax) with round(q, F) -> I and
//                             pack(q, r0, r1, r2, r3) -> the bytes of widen's four vectors in order
//   V::widen(I)               one vector of bytes -> V::Widened, four vectors v[4] of 2^23 + x,
//                             in pack's order
//   V::Run<Op, Q>             the contiguous loop binary_runs calls, built from binary_block
#pragma once
#include <cstddef>
#include <cstdint>

#include "kernels/binary_runs.h"
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

constexpr float kTwo23 = 8388608.0f;
constexpr int32_t kTwo23Bits = 0x4B000000;

// Quantization parameters broadcast once per call.
template <class V, Quotient kQuotient>
struct BinaryVec {
  using F = typename V::F;
  F za, zb;  // 2^23 + zero point
  F sa, sb;
  typename V::template Quantize<kQuotient> quant;
  explicit BinaryVec(const BinaryArgs& a)
      : za(V::set1(kTwo23 + static_cast<float>(a.za))), zb(V::set1(kTwo23 + static_cast<float>(a.zb))),
        sa(V::set1(a.sa)), sb(V::set1(a.sb)), quant(a.sy, a.zy, a.qmin, a.qmax) {}
};

// (float)(x - z) * s, as scalar.
template <class V>
inline typename V::F binary_dequant(typename V::I x, typename V::F z, typename V::F s) {
  return V::mul(V::sub(V::as_float(x), z), s);
}

// A + B (Add) or A * B (Mul) of the dequantized operands, no FMA, as the scalar code; the
// rounded quotient by sy.
struct AddOp {
  template <class V, class Q>
  static inline typename V::I apply(const Q& q, typename V::I a, typename V::I b) {
    return V::round(q.quant, V::add(binary_dequant<V>(a, q.za, q.sa), binary_dequant<V>(b, q.zb, q.sb)));
  }
};
struct MulOp {
  template <class V, class Q>
  static inline typename V::I apply(const Q& q, typename V::I a, typename V::I b) {
    return V::round(q.quant, V::mul(binary_dequant<V>(a, q.za, q.sa), binary_dequant<V>(b, q.zb, q.sb)));
  }
};

// One vector of outputs from one vector of a bytes and either one of b bytes or (b_bytes false)
// the widened value bb.
template <class V, class Op, class Q>
inline typename V::I binary_block(const Q& q, typename V::I av, typename V::I bv, bool b_bytes, typename V::I bb) {
  using I = typename V::I;
  const typename V::Widened wa = V::widen(av);
  typename V::Widened wb{{bb, bb, bb, bb}};
  if (b_bytes) wb = V::widen(bv);
  I r[4];
  for (int k = 0; k < 4; ++k) r[k] = Op::template apply<V>(q, wa.v[k], wb.v[k]);
  return V::pack(q.quant, r[0], r[1], r[2], r[3]);
}

// binary_runs with the quotient by sy as the plan admitted it (kernels.h "Quotients by a
// reciprocal").
template <class V, class Op, Quotient kQuotient>
inline void binary_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  using Q = BinaryVec<V, kQuotient>;
  const Q q(a);
  binary_runs(a, p_begin, p_end, typename V::template Run<Op, Q>{q});
}
template <class V, class Op>
inline void binary_lanes(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  switch (a.quotient) {
    case Quotient::Reciprocal: binary_as<V, Op, Quotient::Reciprocal>(a, p_begin, p_end); break;
    case Quotient::Corrected: binary_as<V, Op, Quotient::Corrected>(a, p_begin, p_end); break;
    case Quotient::Division:
    default: binary_as<V, Op, Quotient::Division>(a, p_begin, p_end); break;
  }
}

}  // namespace kernels
}  // namespace attendseg
