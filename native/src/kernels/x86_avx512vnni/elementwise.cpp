// Add, Mul and the per-tensor table lookup, AVX-512BW: x86_avx2/elementwise.cpp's method on 64
// bytes per step, with masked loads and stores for tails. Bit-identical to scalar/elementwise.cpp.
// GCC 12 reports -Wuninitialized inside its own AVX-512 intrinsic headers (an _mm512_undefined_*
// pass-through operand, GCC bug 105593); no value read here is uninitialized.
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "kernels/binary_runs.h"
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

// Widened lanes hold a byte x as the float 2^23 + x (bits 0x4B0000xx, made by the widening
// unpacks themselves): (2^23 + x) - (2^23 + z) is (float)(x - z) exactly.
constexpr float kTwo23 = 8388608.0f;
constexpr int32_t kTwo23Bits = 0x4B000000;

template <Quotient kQuotient>
struct BinaryVec {
  __m512 za, zb;  // 2^23 + zero point
  __m512 sa, sb;
  Quantize16<kQuotient> quant;
  explicit BinaryVec(const BinaryArgs& a)
      : za(_mm512_set1_ps(kTwo23 + static_cast<float>(a.za))), zb(_mm512_set1_ps(kTwo23 + static_cast<float>(a.zb))),
        sa(_mm512_set1_ps(a.sa)), sb(_mm512_set1_ps(a.sb)), quant(a.sy, a.zy, a.qmin, a.qmax) {}
};

// (float)(x - z) * s of 16 lanes, as scalar.
inline __m512 dequant16(__m512i x, __m512 z, __m512 s) { return _mm512_mul_ps(_mm512_sub_ps(_mm512_castsi512_ps(x), z), s); }

// A + B (Add) or A * B (Mul) of the dequantized operands, no FMA; the rounded quotient by sy.
struct AddOp {
  template <class Q>
  static inline __m512i apply(const Q& q, __m512i a, __m512i b) {
    return q.quant.round16(_mm512_add_ps(dequant16(a, q.za, q.sa), dequant16(b, q.zb, q.sb)));
  }
};
struct MulOp {
  template <class Q>
  static inline __m512i apply(const Q& q, __m512i a, __m512i b) {
    return q.quant.round16(_mm512_mul_ps(dequant16(a, q.za, q.sa), dequant16(b, q.zb, q.sb)));
  }
};

// 64 bytes -> four vectors of 16 floats 2^23 + x by in-lane unpacks: vector j holds, in 128-bit
// lane k, elements 16k + 4j .. 16k + 4j + 3, the order Quantize16::pack64 undoes.
struct Widened {
  __m512i v[4];
};
inline Widened widen64(__m512i x) {
  const __m512i z = _mm512_setzero_si512(), f = _mm512_set1_epi16(static_cast<int16_t>(kTwo23Bits >> 16));
  const __m512i lo = _mm512_unpacklo_epi8(x, z), hi = _mm512_unpackhi_epi8(x, z);
  return {{_mm512_unpacklo_epi16(lo, f), _mm512_unpackhi_epi16(lo, f), _mm512_unpacklo_epi16(hi, f),
           _mm512_unpackhi_epi16(hi, f)}};
}

// 64 outputs from 64 a bytes and either 64 b bytes or (b_bytes false) the widened value bb.
template <class Op, class Q>
inline __m512i block64(const Q& q, __m512i av, __m512i bv, bool b_bytes, __m512i bb) {
  const Widened wa = widen64(av);
  Widened wb{{bb, bb, bb, bb}};
  if (b_bytes) wb = widen64(bv);
  __m512i r[4];
  for (int k = 0; k < 4; ++k) r[k] = Op::apply(q, wa.v[k], wb.v[k]);
  return q.quant.pack64(r[0], r[1], r[2], r[3]);
}

// A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_value.
template <class Op, class Q>
struct Run {
  const Q& q;
  void operator()(const uint8_t* a, const uint8_t* b, uint8_t b_value, uint8_t* out, size_t n) const {
    const __m512i bb = _mm512_set1_epi32(kTwo23Bits | b_value);
    const __m512i none = _mm512_setzero_si512();
    size_t i = 0;
    for (; i + 64 <= n; i += 64)
      store64(out + i, block64<Op, Q>(q, load64(a + i), b ? load64(b + i) : none, b != nullptr, bb));
    if (i < n) {
      const __mmask64 m = first_bytes(n - i);
      store64(out + i, block64<Op, Q>(q, load64(a + i, m), b ? load64(b + i, m) : none, b != nullptr, bb), m);
    }
  }
};

// The quotient by sy as the plan admitted it (kernels.h "Quotients by a reciprocal").
template <class Op, Quotient kQuotient>
void binary_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  const BinaryVec<kQuotient> q(a);
  binary_runs(a, p_begin, p_end, Run<Op, BinaryVec<kQuotient>>{q});
}
template <class Op>
void binary(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  switch (a.quotient) {
    case Quotient::Reciprocal: binary_as<Op, Quotient::Reciprocal>(a, p_begin, p_end); break;
    case Quotient::Corrected: binary_as<Op, Quotient::Corrected>(a, p_begin, p_end); break;
    case Quotient::Division:
    default: binary_as<Op, Quotient::Division>(a, p_begin, p_end); break;
  }
}

}  // namespace

void add(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary<AddOp>(a, p_begin, p_end); }
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary<MulOp>(a, p_begin, p_end); }

// Per-tensor tables: the 512-bit vpshufb lookup over the flat range. Per-channel tables take
// avx2::lut's dword gathers, which a wider gather does not speed up.
void lut(const LutArgs& a, size_t p_begin, size_t p_end) {
  if (a.per_channel) {
    avx2::lut(a, p_begin, p_end);
    return;
  }
  const size_t C = static_cast<size_t>(a.channels);
  Lut512 L;
  lut_prepare(a.table, &L);
  lut_apply(L, a.in + p_begin * C, a.out + p_begin * C, (p_end - p_begin) * C);
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
