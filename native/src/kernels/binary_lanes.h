// Add and Mul of the x86 ISAs on widened float lanes (kernels.h "Element-wise"), and the Add in
// integers on int32 lanes, bit-identical to scalar/elementwise.cpp. Widened float lanes hold a
// byte x as the float 2^23 + x (bits 0x4B0000xx, made by the widening unpacks themselves), so no
// conversion is needed: (2^23 + x) - (2^23 + z) is (float)(x - z) exactly. V is a struct of the ISA's own file (internal linkage), so each ISA
// gets its own instantiation compiled with its flags:
//   V::F, V::I                float and integer vectors; set1(float), sub, add, mul on F;
//                             as_float(I) reinterprets the bits
//   V::Quantize<kQuotient, kClamp>   clamp(round(v / sy) + zy, qmin, qmax) with round(q, F) -> I
//                             and pack(q, r0, r1, r2, r3) -> the bytes of widen's four vectors in
//                             order; kClamp false leaves out the byte clamp (qmin 0, qmax 255)
//   V::widen<kBias>(I)        one vector of bytes -> V::Widened, four vectors v[4] of kBias + x
//                             (2^23 + x as floats, or x), in pack's order
//   V::Run<Op, Q>             the contiguous loop binary_runs calls, built from binary_block
//   V::pairs(I a, I b)        two vectors of bytes -> V::Widened, four vectors of int16 pairs
//                             (a, b) per int32 lane, in widen's order (the Add in integers)
//   V::set1_i, add_i, madd_i, madd_add_i, shl15_i, sra_i   int32 lanes: broadcast, add, vpmaddwd,
//                             vpmaddwd plus an addend (one vpdpwssd with AVX-512 VNNI), shift left
//                             by 15, arithmetic shift by a count in an xmm (the Add in integers)
// Each op names the 32 bits a broadcast operand b fills a lane with (broadcast_bits): 2^23 + b as a
// float for the float ops, b in all four bytes for the Add in integers (pairs() of it).
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/binary_runs.h"
#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

constexpr float kTwo23 = 8388608.0f;
constexpr int32_t kTwo23Bits = 0x4B000000;

// Quantization parameters broadcast once per call.
template <class V, Quotient kQuotient, bool kClamp>
struct BinaryVec {
  using F = typename V::F;
  F za, zb;  // 2^23 + zero point
  F sa, sb;
  typename V::template Quantize<kQuotient, kClamp> quant;
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
  static constexpr int32_t kBias = kTwo23Bits;
  static constexpr bool kPairs = false;
  static constexpr int32_t broadcast_bits(uint8_t b) { return kBias | b; }
  template <class V, class Q>
  static inline typename V::I apply(const Q& q, typename V::I a, typename V::I b) {
    return V::round(q.quant, V::add(binary_dequant<V>(a, q.za, q.sa), binary_dequant<V>(b, q.zb, q.sb)));
  }
};
struct MulOp {
  static constexpr int32_t kBias = kTwo23Bits;
  static constexpr bool kPairs = false;
  static constexpr int32_t broadcast_bits(uint8_t b) { return kBias | b; }
  template <class V, class Q>
  static inline typename V::I apply(const Q& q, typename V::I a, typename V::I b) {
    return V::round(q.quant, V::mul(binary_dequant<V>(a, q.za, q.sa), binary_dequant<V>(b, q.zb, q.sb)));
  }
};

// kernels.h "Add in integers": (ma * a + mb * b + c) >> shift on the bytes as int32, clamped by
// the pack (saturating to 0..255, then qmin..qmax). Each multiplier is split as m = 2^15 * hi + lo
// with lo in [0, 2^15), so both halves are int16 and the products are two vpmaddwd on int16 pairs
// (a, b) instead of two 32-bit multiplies (vpmulld, the slowest of the loop): (madd(hi) << 15) +
// madd(lo) + c. Exact: |hi| < 2^15 since |m| < 2^24 (find_integer_add keeps m * 255 in int32), a
// pair's madd is exact in int32, and the sum is taken mod 2^32, where it equals the int32 value.
template <class V, bool kClamp>
struct IntegerAddVec {
  typename V::I hi, lo, c;
  __m128i shift;
  typename V::template Quantize<Quotient::Division, kClamp> quant;
  static int32_t pair(int32_t for_a, int32_t for_b) {
    return static_cast<int32_t>((static_cast<uint32_t>(for_b) << 16) | (static_cast<uint32_t>(for_a) & 0xFFFFu));
  }
  explicit IntegerAddVec(const BinaryArgs& a)
      : hi(V::set1_i(pair(a.integer.ma >> 15, a.integer.mb >> 15))),
        lo(V::set1_i(pair(a.integer.ma & 0x7FFF, a.integer.mb & 0x7FFF))), c(V::set1_i(a.integer.c)),
        shift(_mm_cvtsi32_si128(a.integer.shift)), quant(1.0f, 0, a.qmin, a.qmax) {}
};
struct IntegerAddOp {
  static constexpr int32_t kBias = 0;
  static constexpr bool kPairs = true;
  static constexpr int32_t broadcast_bits(uint8_t b) { return static_cast<int32_t>(0x01010101u * b); }
  template <class V, class Q>
  static inline typename V::I apply(const Q& q, typename V::I ab) {
    return V::sra_i(V::add_i(V::shl15_i(V::madd_i(ab, q.hi)), V::madd_add_i(q.c, ab, q.lo)), q.shift);
  }
};

// One vector of outputs from one vector of a bytes and either one of b bytes or (b_bytes false)
// bb, every lane Op::broadcast_bits(b).
template <class V, class Op, class Q>
inline typename V::I binary_block(const Q& q, typename V::I av, typename V::I bv, bool b_bytes, typename V::I bb) {
  using I = typename V::I;
  I r[4];
  if constexpr (Op::kPairs) {  // the Add in integers: its quant's zero point is 0
    const typename V::Widened ab = V::pairs(av, b_bytes ? bv : bb);
    for (int k = 0; k < 4; ++k) r[k] = Op::template apply<V>(q, ab.v[k]);
    return V::pack_zero_zp(q.quant, r[0], r[1], r[2], r[3]);
  } else {
    const typename V::Widened wa = V::template widen<Op::kBias>(av);
    typename V::Widened wb{{bb, bb, bb, bb}};
    if (b_bytes) wb = V::template widen<Op::kBias>(bv);
    for (int k = 0; k < 4; ++k) r[k] = Op::template apply<V>(q, wa.v[k], wb.v[k]);
  }
  return V::pack(q.quant, r[0], r[1], r[2], r[3]);
}

// binary_runs with the quotient by sy as the plan admitted it (kernels.h "Quotients by a
// reciprocal").
template <class V, class Op, Quotient kQuotient, bool kClamp>
inline void binary_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  using Q = BinaryVec<V, kQuotient, kClamp>;
  const Q q(a);
  binary_runs(a, p_begin, p_end, typename V::template Run<Op, Q>{q});
}
template <class V, class Op, bool kClamp>
inline void binary_clamped_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  if constexpr (std::is_same_v<Op, AddOp>) {
    if (a.integer.on) {
      using Q = IntegerAddVec<V, kClamp>;
      const Q q(a);
      binary_runs(a, p_begin, p_end, typename V::template Run<IntegerAddOp, Q>{q});
      return;
    }
  }
  switch (a.quotient) {
    case Quotient::Reciprocal: binary_as<V, Op, Quotient::Reciprocal, kClamp>(a, p_begin, p_end); break;
    case Quotient::Corrected: binary_as<V, Op, Quotient::Corrected, kClamp>(a, p_begin, p_end); break;
    case Quotient::Division:
    default: binary_as<V, Op, Quotient::Division, kClamp>(a, p_begin, p_end); break;
  }
}
// Bounds of 0..255 (an Add or Mul without a fused activation) are the unsigned packs' own, so
// those calls take the loops without the byte clamp.
template <class V, class Op>
inline void binary_lanes(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  if (a.qmin > 0 || a.qmax < 255)
    binary_clamped_as<V, Op, true>(a, p_begin, p_end);
  else
    binary_clamped_as<V, Op, false>(a, p_begin, p_end);
}

}  // namespace kernels
}  // namespace attendseg
