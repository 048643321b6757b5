// Add, Mul, table lookup and channel copy, AVX2. Bit-identical to scalar/elementwise.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// Quantization parameters broadcast once per call.
struct BinaryVec {
  __m256i za, zb, zy, qmin, qmax;
  __m256 sa, sb, sy;
  explicit BinaryVec(const BinaryArgs& a)
      : za(_mm256_set1_epi32(a.za)), zb(_mm256_set1_epi32(a.zb)), zy(_mm256_set1_epi32(a.zy)),
        qmin(_mm256_set1_epi32(a.qmin)), qmax(_mm256_set1_epi32(a.qmax)), sa(_mm256_set1_ps(a.sa)),
        sb(_mm256_set1_ps(a.sb)), sy(_mm256_set1_ps(a.sy)) {}
};

// Dequantized operands of 8 lanes: (float)(x - z) * s, as scalar.
inline __m256 dequant8(__m256i x, __m256i z, __m256 s) {
  return _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(x, z)), s);
}
// round(v / sy) + zy, clamped to [qmin, qmax]: QuantizeLinear's division, then the activation.
inline __m256i quant8(const BinaryVec& q, __m256 v) {
  const __m256i r = _mm256_add_epi32(round_clamped8(_mm256_div_ps(v, q.sy)), q.zy);
  return _mm256_min_epi32(_mm256_max_epi32(r, q.qmin), q.qmax);
}

// Add of 8 lanes: A + B of the dequantized operands, no FMA, as the scalar code.
struct AddOp {
  static inline __m256i apply(const BinaryVec& q, __m256i a, __m256i b) {
    return quant8(q, _mm256_add_ps(dequant8(a, q.za, q.sa), dequant8(b, q.zb, q.sb)));
  }
};
// Mul of 8 lanes: A * B of the dequantized operands.
struct MulOp {
  static inline __m256i apply(const BinaryVec& q, __m256i a, __m256i b) {
    return quant8(q, _mm256_mul_ps(dequant8(a, q.za, q.sa), dequant8(b, q.zb, q.sb)));
  }
};

// 16 outputs from 16 a bytes and either 16 b bytes (b != nullptr) or one broadcast b value.
template <class Op>
inline __m128i block16(const BinaryVec& q, const uint8_t* a, const uint8_t* b, __m256i bb) {
  const __m128i av = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
  const __m256i a0 = _mm256_cvtepu8_epi32(av), a1 = _mm256_cvtepu8_epi32(_mm_srli_si128(av, 8));
  __m256i b0 = bb, b1 = bb;
  if (b) {
    const __m128i bv = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    b0 = _mm256_cvtepu8_epi32(bv);
    b1 = _mm256_cvtepu8_epi32(_mm_srli_si128(bv, 8));
  }
  return pack16_epi32(Op::apply(q, a0, b0), Op::apply(q, a1, b1));
}

// A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_scalar.
template <class Op>
void run(const BinaryVec& q, const uint8_t* a, const uint8_t* b, int b_scalar, uint8_t* out, size_t n) {
  const __m256i bb = _mm256_set1_epi32(b_scalar);
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), block16<Op>(q, a + i, b ? b + i : nullptr, bb));
  if (i < n) {
    uint8_t ta[16] = {0}, tb[16] = {0}, to[16];
    std::memcpy(ta, a + i, n - i);
    if (b) std::memcpy(tb, b + i, n - i);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(to), block16<Op>(q, ta, b ? tb : nullptr, bb));
    std::memcpy(out + i, to, n - i);
  }
}

// Broadcasts become contiguous runs: Full is one run; Channel repeats b's C values into a
// stack buffer covering many pixels (small C) or runs per pixel (large C); Pixel runs per pixel
// with a broadcast value (large C) or expands b into a buffer (small C).
template <class Op>
void binary(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  const BinaryVec q(a);
  const size_t C = static_cast<size_t>(a.channels);
  if (a.broadcast == Broadcast::Full) {
    run<Op>(q, a.a + p_begin * C, a.b + p_begin * C, 0, a.out + p_begin * C, (p_end - p_begin) * C);
    return;
  }
  constexpr size_t kBuf = 2048;
  if (C >= 64 || C > kBuf) {
    for (size_t p = p_begin; p < p_end; ++p) {
      if (a.broadcast == Broadcast::Channel)
        run<Op>(q, a.a + p * C, a.b, 0, a.out + p * C, C);
      else
        run<Op>(q, a.a + p * C, nullptr, a.b[p], a.out + p * C, C);
    }
    return;
  }
  uint8_t buf[kBuf];
  const size_t chunk = kBuf / C;  // pixels per buffer
  if (a.broadcast == Broadcast::Channel)
    for (size_t k = 0; k < chunk; ++k) std::memcpy(buf + k * C, a.b, C);
  for (size_t p = p_begin; p < p_end; p += chunk) {
    const size_t np = p_end - p < chunk ? p_end - p : chunk;
    if (a.broadcast == Broadcast::Pixel)
      for (size_t k = 0; k < np; ++k) std::memset(buf + k * C, a.b[p + k], C);
    run<Op>(q, a.a + p * C, buf, 0, a.out + p * C, np * C);
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
