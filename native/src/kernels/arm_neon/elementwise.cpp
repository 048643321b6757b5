// Add, Mul, table lookup and channel copy, NEON. Bit-identical to scalar/elementwise.cpp.
#include <arm_neon.h>

#include <cstring>
#include <type_traits>

#include "kernels/arm_neon/neon_util.h"
#include "kernels/binary_runs.h"
#include "kernels/arm_neon/other_ops.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

// Quantization parameters broadcast once per call.
struct BinaryVec {
  uint8x8_t za, zb;
  int16x8_t zy;
  uint8x16_t qmin, qmax;
  float32x4_t sa, sb, sy, ry;  // ry = 1 / sy
  explicit BinaryVec(const BinaryArgs& a)
      : za(vdup_n_u8(static_cast<uint8_t>(a.za))), zb(vdup_n_u8(static_cast<uint8_t>(a.zb))),
        zy(vdupq_n_s16(static_cast<int16_t>(a.zy))), qmin(vdupq_n_u8(static_cast<uint8_t>(a.qmin))),
        qmax(vdupq_n_u8(static_cast<uint8_t>(a.qmax))), sa(vdupq_n_f32(a.sa)), sb(vdupq_n_f32(a.sb)),
        sy(vdupq_n_f32(a.sy)), ry(vdupq_n_f32(1.0f / a.sy)) {}
};

// (float)(x - z) * s of 16 bytes, as scalar: x - z by one widening subtract per 8 bytes (the
// uint16 difference read as int16 is exact: |x - z| <= 255), then widened to int32.
inline void dequant16(uint8x16_t x, uint8x8_t z, float32x4_t s, float32x4_t (&out)[4]) {
  const int16x8_t lo = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(x), z));
  const int16x8_t hi = vreinterpretq_s16_u16(vsubl_u8(vget_high_u8(x), z));
  out[0] = vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(lo))), s);
  out[1] = vmulq_f32(vcvtq_f32_s32(vmovl_high_s16(lo)), s);
  out[2] = vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(hi))), s);
  out[3] = vmulq_f32(vcvtq_f32_s32(vmovl_high_s16(hi)), s);
}

struct AddOp {
  static inline float32x4_t apply(float32x4_t a, float32x4_t b) { return vaddq_f32(a, b); }
};
struct MulOp {
  static inline float32x4_t apply(float32x4_t a, float32x4_t b) { return vmulq_f32(a, b); }
};

// 16 outputs from 16 a bytes and 16 b bytes: round(v / sy) + zy with QuantizeLinear's true
// division or the plan-checked quotient by the reciprocal kQuotient names, narrowed; saturating
// to 0..255 and then clamping to [qmin, qmax] (the activation) equals clamping directly, as
// 0 <= qmin <= qmax <= 255. kClamp false leaves the clamp out, for bounds of 0..255 (an Add or
// Mul without a fused activation), which the saturating narrow already is.
template <bool kClamp>
inline uint8x16_t clamp_bytes(uint8x16_t v, uint8x16_t qmin, uint8x16_t qmax) {
  return kClamp ? vminq_u8(vmaxq_u8(v, qmin), qmax) : v;
}
template <class Op, Quotient kQuotient, bool kClamp>
inline uint8x16_t block16(const BinaryVec& q, uint8x16_t av, uint8x16_t bv) {
  float32x4_t a[4], b[4];
  dequant16(av, q.za, q.sa, a);
  dequant16(bv, q.zb, q.sb, b);
  auto y = [&](int j) { return quotient4<kQuotient>(Op::apply(a[j], b[j]), q.sy, q.ry); };
  return clamp_bytes<kClamp>(round_narrow16(y(0), y(1), y(2), y(3), q.zy), q.qmin, q.qmax);
}

// kernels.h "Add in integers" on int32 lanes: the bytes widened (UXTL twice), c + ma * a + mb * b
// by MLA (exact: the plan keeps every sum within int32), the arithmetic shift right (SSHL by
// -shift), narrowed with saturation as narrow16 and clamped to [qmin, qmax] (as in block16).
struct IntegerAddVec {
  int32x4_t ma, mb, c, neg_shift;
  uint8x16_t qmin, qmax;
  explicit IntegerAddVec(const BinaryArgs& a)
      : ma(vdupq_n_s32(a.integer.ma)), mb(vdupq_n_s32(a.integer.mb)), c(vdupq_n_s32(a.integer.c)),
        neg_shift(vdupq_n_s32(-a.integer.shift)), qmin(vdupq_n_u8(static_cast<uint8_t>(a.qmin))),
        qmax(vdupq_n_u8(static_cast<uint8_t>(a.qmax))) {}
};

template <bool kClamp>
inline uint8x16_t integer_block16(const IntegerAddVec& q, uint8x16_t av, uint8x16_t bv) {
  const uint16x8_t a0 = vmovl_u8(vget_low_u8(av)), a1 = vmovl_high_u8(av);
  const uint16x8_t b0 = vmovl_u8(vget_low_u8(bv)), b1 = vmovl_high_u8(bv);
  auto y = [&](uint32x4_t a, uint32x4_t b) {
    const int32x4_t v = vmlaq_s32(vmlaq_s32(q.c, vreinterpretq_s32_u32(a), q.ma), vreinterpretq_s32_u32(b), q.mb);
    return vshlq_s32(v, q.neg_shift);
  };
  const uint8x16_t r = narrow16(y(vmovl_u16(vget_low_u16(a0)), vmovl_u16(vget_low_u16(b0))),
                                y(vmovl_high_u16(a0), vmovl_high_u16(b0)),
                                y(vmovl_u16(vget_low_u16(a1)), vmovl_u16(vget_low_u16(b1))),
                                y(vmovl_high_u16(a1), vmovl_high_u16(b1)));
  return clamp_bytes<kClamp>(r, q.qmin, q.qmax);
}

// 16 outputs of the float path (block16) or of the Add in integers, from 16 a and 16 b bytes.
template <class Op, Quotient kQuotient, bool kClamp>
struct FloatBlock {
  BinaryVec q;
  uint8x16_t operator()(uint8x16_t av, uint8x16_t bv) const { return block16<Op, kQuotient, kClamp>(q, av, bv); }
};
template <bool kClamp>
struct IntegerBlock {
  IntegerAddVec q;
  uint8x16_t operator()(uint8x16_t av, uint8x16_t bv) const { return integer_block16<kClamp>(q, av, bv); }
};

// A contiguous run of n elements; b is either n bytes or (b == nullptr) the value b_value.
template <class Block>
struct Run {
  const Block& block;
  void operator()(const uint8_t* a, const uint8_t* b, uint8_t b_value, uint8_t* out, size_t n) const {
    // A local copy: through the reference, every byte store may alias the constants, and GCC
    // reloads them each block.
    const Block blk = this->block;
    const uint8x16_t bb = vdupq_n_u8(b_value);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) vst1q_u8(out + i, blk(vld1q_u8(a + i), b ? vld1q_u8(b + i) : bb));
    if (i < n) {
      uint8_t ta[16] = {0}, tb[16] = {0}, to[16];
      std::memcpy(ta, a + i, n - i);
      if (b) std::memcpy(tb, b + i, n - i);
      vst1q_u8(to, blk(vld1q_u8(ta), b ? vld1q_u8(tb) : bb));
      std::memcpy(out + i, to, n - i);
    }
  }
};

template <class Op, Quotient kQuotient, bool kClamp>
void binary_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  const FloatBlock<Op, kQuotient, kClamp> block{BinaryVec(a)};
  binary_runs(a, p_begin, p_end, Run<FloatBlock<Op, kQuotient, kClamp>>{block});
}

// The Add in integers where the plan found it; else the quotient by sy as the plan admitted it
// (kernels.h "Quotients by a reciprocal").
template <class Op, bool kClamp>
void binary_clamped_as(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  if constexpr (std::is_same_v<Op, AddOp>) {
    if (a.integer.on) {
      const IntegerBlock<kClamp> block{IntegerAddVec(a)};
      binary_runs(a, p_begin, p_end, Run<IntegerBlock<kClamp>>{block});
      return;
    }
  }
  switch (a.quotient) {
    case Quotient::Reciprocal: binary_as<Op, Quotient::Reciprocal, kClamp>(a, p_begin, p_end); break;
    case Quotient::Corrected: binary_as<Op, Quotient::Corrected, kClamp>(a, p_begin, p_end); break;
    case Quotient::Division:
    default: binary_as<Op, Quotient::Division, kClamp>(a, p_begin, p_end); break;
  }
}
// Bounds of 0..255 take the blocks without the byte clamp (as x86's binary_lanes).
template <class Op>
void binary(const BinaryArgs& a, size_t p_begin, size_t p_end) {
  if (a.qmin > 0 || a.qmax < 255)
    binary_clamped_as<Op, true>(a, p_begin, p_end);
  else
    binary_clamped_as<Op, false>(a, p_begin, p_end);
}

}  // namespace

void add(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary<AddOp>(a, p_begin, p_end); }
void mul(const BinaryArgs& a, size_t p_begin, size_t p_end) { binary<MulOp>(a, p_begin, p_end); }

// Per-tensor: the TBL lookup over the flat range. Per-channel tables (256 * C bytes) have no
// NEON form (there is no byte gather, and C tables do not fit the register file), so that case
// is the plain indexed load, which is already one load per byte.
void lut(const LutArgs& a, size_t p_begin, size_t p_end) {
  const size_t C = static_cast<size_t>(a.channels);
  if (!a.per_channel) {
    Lut256 L;
    lut_prepare(a.table, &L);
    lut_apply(L, a.in + p_begin * C, a.out + p_begin * C, (p_end - p_begin) * C);
    return;
  }
  for (size_t p = p_begin; p < p_end; ++p) {
    const uint8_t* in = a.in + p * C;
    uint8_t* out = a.out + p * C;
    const uint8_t* t = a.table;
    for (size_t c = 0; c < C; ++c, t += 256) out[c] = t[in[c]];
  }
}

void copy_channels(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) {
  copy_channels_rows<Moves>(a, p_begin, p_end);
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
