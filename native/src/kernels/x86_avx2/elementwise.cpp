// Add, Mul, table lookup and channel copy, AVX2. Bit-identical to scalar/elementwise.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/binary_lanes.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

struct BinaryV {
  using F = __m256;
  using I = __m256i;
  static inline F set1(float x) { return _mm256_set1_ps(x); }
  static inline F sub(F a, F b) { return _mm256_sub_ps(a, b); }
  static inline F add(F a, F b) { return _mm256_add_ps(a, b); }
  static inline F mul(F a, F b) { return _mm256_mul_ps(a, b); }
  static inline F as_float(I x) { return _mm256_castsi256_ps(x); }
  static inline I set1_i(int32_t x) { return _mm256_set1_epi32(x); }
  static inline I add_i(I a, I b) { return _mm256_add_epi32(a, b); }
  static inline I madd_i(I a, I b) { return _mm256_madd_epi16(a, b); }
  static inline I madd_add_i(I acc, I a, I b) { return _mm256_add_epi32(_mm256_madd_epi16(a, b), acc); }
  static inline I shl15_i(I a) { return _mm256_slli_epi32(a, 15); }
  static inline I sra_i(I a, __m128i count) { return _mm256_sra_epi32(a, count); }
  template <Quotient kQuotient, bool kClamp>
  using Quantize = Quantize8<kQuotient, false, kClamp>;
  template <class Q>
  static inline I round(const Q& quant, F v) { return quant.round8(v); }
  // In-lane packs put every element back in place: 0-7 | 16-23, then 8-15 | 24-31, then bytes.
  template <class Q>
  static inline I pack(const Q& quant, I r0, I r1, I r2, I r3) { return quant.pack32(r0, r1, r2, r3); }
  template <class Q>
  static inline I pack_zero_zp(const Q& quant, I r0, I r1, I r2, I r3) { return quant.pack32_zero_zp(r0, r1, r2, r3); }

  // 32 bytes -> four vectors of 8 lanes kBias + x (floats 2^23 + x, or int32 x), by unpacking
  // inside each 128-bit lane (one uop each, where vpmovzxbd to 256 bits is two), the second time
  // with kBias's high half (0x4B00 for floats): lanes hold elements {0-3,16-19}, {4-7,20-23},
  // {8-11,24-27}, {12-15,28-31}, an order pack32 undoes.
  struct Widened {
    I v[4];
  };
  template <int32_t kBias>
  static inline Widened widen(I x) {
    const I z = _mm256_setzero_si256(), f = _mm256_set1_epi16(static_cast<int16_t>(kBias >> 16));
    const I lo = _mm256_unpacklo_epi8(x, z), hi = _mm256_unpackhi_epi8(x, z);
    return {{_mm256_unpacklo_epi16(lo, f), _mm256_unpackhi_epi16(lo, f), _mm256_unpacklo_epi16(hi, f),
             _mm256_unpackhi_epi16(hi, f)}};
  }

  // Bytes of a and b -> int16 pairs (a, b) per int32 lane, elements in widen's order.
  static inline Widened pairs(I a, I b) {
    const I z = _mm256_setzero_si256(), lo = _mm256_unpacklo_epi8(a, b), hi = _mm256_unpackhi_epi8(a, b);
    return {{_mm256_unpacklo_epi8(lo, z), _mm256_unpackhi_epi8(lo, z), _mm256_unpacklo_epi8(hi, z), _mm256_unpackhi_epi8(hi, z)}};
  }

  // A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_value. The
  // tail goes through zero-padded stack copies.
  template <class Op, class Q>
  struct Run {
    const Q& q;
    void operator()(const uint8_t* a, const uint8_t* b, uint8_t b_value, uint8_t* out, size_t n) const {
      const I bb = _mm256_set1_epi32(Op::broadcast_bits(b_value)), none = _mm256_setzero_si256();
      auto block = [&](const uint8_t* pa, const uint8_t* pb) {
        return binary_block<BinaryV, Op>(q, load(pa), pb ? load(pb) : none, pb != nullptr, bb);
      };
      size_t i = 0;
      for (; i + 32 <= n; i += 32) store(out + i, block(a + i, b ? b + i : nullptr));
      if (i < n) {
        uint8_t ta[32] = {0}, tb[32] = {0}, to[32];
        std::memcpy(ta, a + i, n - i);
        if (b) std::memcpy(tb, b + i, n - i);
        store(to, block(ta, b ? tb : nullptr));
        std::memcpy(out + i, to, n - i);
      }
    }
  };
  static inline I load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const I*>(p)); }
  static inline void store(uint8_t* p, I v) { _mm256_storeu_si256(reinterpret_cast<I*>(p), v); }
};

}  // namespace

void add(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary_lanes<BinaryV, AddOp>(a, p_begin, p_end); }
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary_lanes<BinaryV, MulOp>(a, p_begin, p_end); }

// Per-tensor: vpshufb lookup over the flat range. Per-channel: 8 channels per dword gather
// (index c * 256 + x); fewer than 8 channels use the plain loop.
void lut(const LutArgs& a, size_t p_begin, size_t p_end) {
  const size_t C = static_cast<size_t>(a.channels);
  if (!a.per_channel) {
    Lut256 L;
    lut_prepare(a.table, &L);
    lut_apply(L, a.in + p_begin * C, a.out + p_begin * C, (p_end - p_begin) * C);
    return;
  }
  if (C < 8) {
    for (size_t p = p_begin; p < p_end; ++p)
      for (size_t c = 0; c < C; ++c) a.out[p * C + c] = a.table[c * 256 + a.in[p * C + c]];
    return;
  }
  const __m256i lane256 = _mm256_setr_epi32(0, 256, 512, 768, 1024, 1280, 1536, 1792);
  const __m256i tail_base = _mm256_add_epi32(lane256, _mm256_set1_epi32(static_cast<int>((C - 8) * 256)));
  for (size_t p = p_begin; p < p_end; ++p) {
    const uint8_t* in = a.in + p * C;
    uint8_t* out = a.out + p * C;
    __m256i base = lane256;
    size_t c = 0;
    for (; c + 8 <= C; c += 8) {
      store8_epi32(out + c, gather_u8(a.table, _mm256_add_epi32(base, load8_u8_epi32(in + c))));
      base = _mm256_add_epi32(base, _mm256_set1_epi32(2048));
    }
    if (c < C)  // last 8 channels again (overlapping, same values)
      store8_epi32(out + C - 8, gather_u8(a.table, _mm256_add_epi32(tail_base, load8_u8_epi32(in + C - 8))));
  }
}

void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) {
  copy_channels_rows<Moves>(a, p_begin, p_end);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
