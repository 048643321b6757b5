// Add, Mul, table lookup and channel copy, AVX2. Bit-identical to scalar/elementwise.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/binary_runs.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// Quantization parameters broadcast once per call; quant rounds v / sy (QuantizeLinear's
// division, or the plan-checked quotient by the reciprocal kQuotient names) and packs with + zy and the activation's [qmin, qmax] clamp.
// Widened lanes hold a byte x as the float 2^23 + x (bits 0x4B0000xx, made by the widening
// unpacks themselves), so no conversion is needed: (2^23 + x) - (2^23 + z) is (float)(x - z)
// exactly.
constexpr float kTwo23 = 8388608.0f;
constexpr int32_t kTwo23Bits = 0x4B000000;

template <Quotient kQuotient>
struct BinaryVec {
  __m256 za, zb;  // 2^23 + zero point
  __m256 sa, sb;
  Quantize8<kQuotient> quant;
  explicit BinaryVec(const BinaryArgs& a)
      : za(_mm256_set1_ps(kTwo23 + static_cast<float>(a.za))), zb(_mm256_set1_ps(kTwo23 + static_cast<float>(a.zb))),
        sa(_mm256_set1_ps(a.sa)), sb(_mm256_set1_ps(a.sb)), quant(a.sy, a.zy, a.qmin, a.qmax) {}
};

// Dequantized operands of 8 lanes: (float)(x - z) * s, as scalar.
inline __m256 dequant8(__m256i x, __m256 z, __m256 s) {
  return _mm256_mul_ps(_mm256_sub_ps(_mm256_castsi256_ps(x), z), s);
}

// Add of 8 lanes: A + B of the dequantized operands, no FMA, as the scalar code; the rounded
// quotient by sy.
struct AddOp {
  template <class Q>
  static inline __m256i apply(const Q& q, __m256i a, __m256i b) {
    return q.quant.round8(_mm256_add_ps(dequant8(a, q.za, q.sa), dequant8(b, q.zb, q.sb)));
  }
};
// Mul of 8 lanes: A * B of the dequantized operands.
struct MulOp {
  template <class Q>
  static inline __m256i apply(const Q& q, __m256i a, __m256i b) {
    return q.quant.round8(_mm256_mul_ps(dequant8(a, q.za, q.sa), dequant8(b, q.zb, q.sb)));
  }
};

// 32 bytes -> four vectors of 8 floats 2^23 + x, by unpacking inside each 128-bit lane (one uop
// each, where vpmovzxbd to 256 bits is two), the second time with the float's high half 0x4B00:
// lanes hold elements {0-3,16-19}, {4-7,20-23}, {8-11,24-27}, {12-15,28-31}, an order the
// in-lane packs of block32 undo.
struct Widened {
  __m256i v[4];
};
inline Widened widen32(__m256i x) {
  const __m256i z = _mm256_setzero_si256(), f = _mm256_set1_epi16(static_cast<int16_t>(kTwo23Bits >> 16));
  const __m256i lo = _mm256_unpacklo_epi8(x, z), hi = _mm256_unpackhi_epi8(x, z);
  return {{_mm256_unpacklo_epi16(lo, f), _mm256_unpackhi_epi16(lo, f), _mm256_unpacklo_epi16(hi, f),
           _mm256_unpackhi_epi16(hi, f)}};
}

// 32 outputs from 32 a bytes and either 32 b bytes (b != nullptr) or one broadcast b value.
template <class Op, class Q>
inline __m256i block32(const Q& q, const uint8_t* a, const uint8_t* b, __m256i bb) {
  const Widened wa = widen32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a)));
  Widened wb{{bb, bb, bb, bb}};
  if (b) wb = widen32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b)));
  __m256i r[4];
  for (int k = 0; k < 4; ++k) r[k] = Op::apply(q, wa.v[k], wb.v[k]);
  // In-lane packs put every element back in place: 0-7 | 16-23, then 8-15 | 24-31, then bytes.
  return q.quant.pack32(r[0], r[1], r[2], r[3]);
}

// A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_value.
template <class Op, class Q>
struct Run {
  const Q& q;
  void operator()(const uint8_t* a, const uint8_t* b, uint8_t b_value, uint8_t* out, size_t n) const {
    const __m256i bb = _mm256_set1_epi32(kTwo23Bits | b_value);
    size_t i = 0;
    for (; i + 32 <= n; i += 32)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), block32<Op, Q>(q, a + i, b ? b + i : nullptr, bb));
    if (i < n) {
      uint8_t ta[32] = {0}, tb[32] = {0}, to[32];
      std::memcpy(ta, a + i, n - i);
      if (b) std::memcpy(tb, b + i, n - i);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(to), block32<Op, Q>(q, ta, b ? tb : nullptr, bb));
      std::memcpy(out + i, to, n - i);
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

// No table: vector copies per pixel (one copy when the output is dense). With a table: the
// lookup runs over the contiguous input into a stack buffer, then pixels are scattered.
void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t stride = static_cast<size_t>(a.out_stride);
  uint8_t* out0 = a.out + a.c_offset;
  if (!a.lut) {
    if (stride == C) {
      std::memcpy(out0 + p_begin * C, a.in + p_begin * C, (p_end - p_begin) * C);
      return;
    }
    for (size_t p = p_begin; p < p_end; ++p) copy_small(out0 + p * stride, a.in + p * C, C);
    return;
  }
  Lut256 L;
  lut_prepare(a.lut, &L);
  constexpr size_t kBuf = 2048;
  if (stride == C || C >= 64 || C > kBuf) {
    if (stride == C) {
      lut_apply(L, a.in + p_begin * C, out0 + p_begin * C, (p_end - p_begin) * C);
      return;
    }
    for (size_t p = p_begin; p < p_end; ++p) lut_apply(L, a.in + p * C, out0 + p * stride, C);
    return;
  }
  uint8_t buf[kBuf];
  const size_t chunk = kBuf / C;
  for (size_t p = p_begin; p < p_end; p += chunk) {
    const size_t np = p_end - p < chunk ? p_end - p : chunk;
    lut_apply(L, a.in + p * C, buf, np * C);
    for (size_t k = 0; k < np; ++k) copy_small(out0 + (p + k) * stride, buf + k * C, C);
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
