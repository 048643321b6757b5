// Add, Mul and the per-tensor table lookup, AVX-512BW: binary_lanes.h on 64 bytes per step, with
// masked loads and stores for tails. Bit-identical to scalar/elementwise.cpp.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include "kernels/binary_lanes.h"
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

struct BinaryV {
  using F = __m512;
  using I = __m512i;
  static inline F set1(float x) { return _mm512_set1_ps(x); }
  static inline F sub(F a, F b) { return _mm512_sub_ps(a, b); }
  static inline F add(F a, F b) { return _mm512_add_ps(a, b); }
  static inline F mul(F a, F b) { return _mm512_mul_ps(a, b); }
  static inline F as_float(I x) { return _mm512_castsi512_ps(x); }
  static inline I set1_i(int32_t x) { return _mm512_set1_epi32(x); }
  static inline I add_i(I a, I b) { return _mm512_add_epi32(a, b); }
  static inline I madd_i(I a, I b) { return _mm512_madd_epi16(a, b); }
  // vpdpwssd: the pair products and their sum with acc in one instruction (no saturation).
  static inline I madd_add_i(I acc, I a, I b) { return _mm512_dpwssd_epi32(acc, a, b); }
  static inline I shl15_i(I a) { return _mm512_slli_epi32(a, 15); }
  static inline I sra_i(I a, __m128i count) { return _mm512_sra_epi32(a, count); }
  template <Quotient kQuotient, bool kClamp>
  using Quantize = Quantize16<kQuotient, false, kClamp>;
  template <class Q>
  static inline I round(const Q& quant, F v) { return quant.round16(v); }
  template <class Q>
  static inline I pack(const Q& quant, I r0, I r1, I r2, I r3) { return quant.pack64(r0, r1, r2, r3); }
  template <class Q>
  static inline I pack_zero_zp(const Q& quant, I r0, I r1, I r2, I r3) { return quant.pack64_zero_zp(r0, r1, r2, r3); }

  // 64 bytes -> four vectors of 16 lanes kBias + x (floats 2^23 + x, or int32 x) by in-lane
  // unpacks: vector j holds, in 128-bit lane k, elements 16k + 4j .. 16k + 4j + 3, the order
  // Quantize16::pack64 undoes.
  struct Widened {
    I v[4];
  };
  template <int32_t kBias>
  static inline Widened widen(I x) {
    const I z = _mm512_setzero_si512(), f = _mm512_set1_epi16(static_cast<int16_t>(kBias >> 16));
    const I lo = _mm512_unpacklo_epi8(x, z), hi = _mm512_unpackhi_epi8(x, z);
    return {{_mm512_unpacklo_epi16(lo, f), _mm512_unpackhi_epi16(lo, f), _mm512_unpacklo_epi16(hi, f),
             _mm512_unpackhi_epi16(hi, f)}};
  }

  // Bytes of a and b -> int16 pairs (a, b) per int32 lane, elements in widen's order.
  static inline Widened pairs(I a, I b) {
    const I z = _mm512_setzero_si512(), lo = _mm512_unpacklo_epi8(a, b), hi = _mm512_unpackhi_epi8(a, b);
    return {{_mm512_unpacklo_epi8(lo, z), _mm512_unpackhi_epi8(lo, z), _mm512_unpacklo_epi8(hi, z), _mm512_unpackhi_epi8(hi, z)}};
  }

  // A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_value. The
  // tail is masked.
  template <class Op, class Q>
  struct Run {
    const Q& q;
    void operator()(const uint8_t* a, const uint8_t* b, uint8_t b_value, uint8_t* out, size_t n) const {
      const I bb = _mm512_set1_epi32(Op::broadcast_bits(b_value)), none = _mm512_setzero_si512();
      size_t i = 0;
      for (; i + 64 <= n; i += 64)
        store64(out + i, binary_block<BinaryV, Op>(q, load64(a + i), b ? load64(b + i) : none, b != nullptr, bb));
      if (i < n) {
        const __mmask64 m = first_bytes(n - i);
        store64(out + i, binary_block<BinaryV, Op>(q, load64(a + i, m), b ? load64(b + i, m) : none, b != nullptr, bb), m);
      }
    }
  };
};

}  // namespace

void add(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary_lanes<BinaryV, AddOp>(a, p_begin, p_end); }
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary_lanes<BinaryV, MulOp>(a, p_begin, p_end); }

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
