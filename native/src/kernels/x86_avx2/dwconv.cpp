// AVX2 depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run.
//
// Vectorized across channels (NHWC), 16 channels per block. Each tap widens 16 input bytes to
// int16 and multiplies them with _mm256_madd_epi16 against two weight vectors, one holding the
// even channels' weights (odd lanes zero) and one the odd channels' weights: each madd lane then
// holds exactly one product, so the sums are the reference's int32 sums (no int16 saturation).
// Accumulators are kept in that even/odd channel order; bias and scale are arranged to match and
// the bytes are put back in channel order once per output pixel.
//
// Padding: interior pixels (every tap inside the image) use raw bytes. Border pixels visit only
// their in-image taps with (x - in_zp) and start from bias + in_zp * sum(w), which equals the
// reference's "padding reads as in_zp" exactly in integer arithmetic.
//
// Packed layout per block of 16 channels: 16 int32 sums of weights (even channels, then odd),
// then per tap (ky, kx) 16 int16 even-channel weights and 16 int16 odd-channel weights. Channels
// past C are zero. A last block of 9..15 channels keeps its loads inside the input; one of 1..8
// channels is computed 8 wide.
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/requant.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kBlock = 16;

inline size_t block_bytes(int taps) { return 64 + static_cast<size_t>(taps) * 64; }

// Per-block constants, arranged in even/odd channel order.
struct BlockConsts {
  __m256i bias_e, bias_o;      // interior pixels
  __m256i bias2_e, bias2_o;    // border pixels: bias + in_zp * sum(w)
  __m256 scale_e, scale_o;
};

struct Geometry {
  const uint8_t* in_end;   // one past the input, for the partial-block loads
  ptrdiff_t px_step;       // bytes between horizontally adjacent output pixels' windows
  ptrdiff_t row_step;      // bytes between kernel rows (dilation_h input rows)
  ptrdiff_t tap_step;      // bytes between kernel columns (dilation_w input pixels)
  int kw;
};

// How a channel block is computed: all 16 channels present; 9..15 present (16-wide math, loads
// kept inside the input); 1..8 present (8-wide math on the low half of the packed vectors).
enum Mode { kFull, kPartial, kHalf };

template <int MODE>
struct VecOf {
  using type = __m256i;
};
template <>
struct VecOf<kHalf> {
  using type = __m128i;
};
template <int MODE>
using Vec = typename VecOf<MODE>::type;

inline __m256i madd_add(__m256i acc, __m256i x, __m256i w) { return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w)); }
inline __m128i madd_add(__m128i acc, __m128i x, __m128i w) { return _mm_add_epi32(acc, _mm_madd_epi16(x, w)); }
inline __m256i sub16(__m256i a, __m256i b) { return _mm256_sub_epi16(a, b); }
inline __m128i sub16(__m128i a, __m128i b) { return _mm_sub_epi16(a, b); }
inline void narrow(__m256i v, __m256i* out) { *out = v; }
inline void narrow(__m256i v, __m128i* out) { *out = _mm256_castsi256_si128(v); }
inline __m256i widen(__m256i v) { return v; }
inline __m256i widen(__m128i v) { return _mm256_inserti128_si256(_mm256_setzero_si256(), v, 0); }
template <int MODE>
inline Vec<MODE> lower(__m256i v) {
  Vec<MODE> r;
  narrow(v, &r);
  return r;
}

// Packed weights of one tap (the low 8 lanes in half mode).
template <int MODE>
inline Vec<MODE> load_w(const int16_t* p) {
  Vec<MODE> r;
  if (MODE == kHalf)
    narrow(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))), &r);
  else
    narrow(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)), &r);
  return r;
}

// The block's input bytes at p widened to int16. A partial block may not read past the end of
// the input; its extra lanes meet zero weights, so their contents do not matter.
template <int MODE>
inline Vec<MODE> load_x(const uint8_t* p, const uint8_t* end) {
  Vec<MODE> r;
  if (MODE == kHalf) {
    __m128i b;
    if (p + 8 > end) {
      alignas(16) uint8_t tmp[16] = {};
      std::memcpy(tmp, p, static_cast<size_t>(end - p));
      b = _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
    } else {
      b = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
    }
    narrow(_mm256_castsi128_si256(_mm_cvtepu8_epi16(b)), &r);
  } else {
    __m128i b;
    if (MODE == kPartial && p + kBlock > end) {
      alignas(16) uint8_t tmp[kBlock] = {};
      std::memcpy(tmp, p, static_cast<size_t>(end - p));
      b = _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
    } else {
      b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    }
    narrow(_mm256_cvtepu8_epi16(b), &r);
  }
  return r;
}

// Requantizes one pixel's even/odd accumulators and stores nc bytes in channel order.
inline void finish(__m256i acc_e, __m256i acc_o, const BlockConsts& bc, const RequantConsts& rk, uint8_t* out,
                   int nc) {
  const __m256i ye = requant_i32(acc_e, bc.scale_e, rk);  // channels 0,2,..,14
  const __m256i yo = requant_i32(acc_o, bc.scale_o, rk);  // channels 1,3,..,15
  const __m256i w = add_zp_16(ye, yo, rk);                // e0-3 o0-3 | e4-7 o4-7
  const __m256i u = _mm256_packus_epi16(w, w);
  const __m256i inter = _mm256_shuffle_epi8(
      u, _mm256_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7));
  const __m128i v = _mm256_castsi256_si128(_mm256_permute4x64_epi64(inter, 0x08));
  store_bytes(out, _mm_max_epu8(_mm_min_epu8(v, rk.qmax), rk.qmin), nc);
}

// NPX horizontally adjacent output pixels of one channel block. p: the first visited tap of the
// first pixel; w: that tap's weights; nky x nkx taps are visited.
template <int NPX, bool BORDER, int MODE>
inline void pixels(const Geometry& g, const uint8_t* p, const int16_t* w, int nky, int nkx, __m256i zp16,
                   const BlockConsts& bc, const RequantConsts& rk, uint8_t* out, ptrdiff_t out_step, int nc) {
  using V = Vec<MODE>;
  V acc_e[NPX], acc_o[NPX];
  for (int i = 0; i < NPX; ++i) {
    acc_e[i] = lower<MODE>(BORDER ? bc.bias2_e : bc.bias_e);
    acc_o[i] = lower<MODE>(BORDER ? bc.bias2_o : bc.bias_o);
  }
  const V zp = lower<MODE>(zp16);
  for (int ky = 0; ky < nky; ++ky, p += g.row_step, w += 32 * g.kw) {
    const uint8_t* q = p;
    const int16_t* wt = w;
    for (int kx = 0; kx < nkx; ++kx, q += g.tap_step, wt += 32) {
      const V we = load_w<MODE>(wt);
      const V wo = load_w<MODE>(wt + 16);
#pragma GCC unroll 4
      for (int i = 0; i < NPX; ++i) {
        V x = load_x<MODE>(q + i * g.px_step, g.in_end);
        if (BORDER) x = sub16(x, zp);
        acc_e[i] = madd_add(acc_e[i], x, we);
        acc_o[i] = madd_add(acc_o[i], x, wo);
      }
    }
  }
  for (int i = 0; i < NPX; ++i) finish(widen(acc_e[i]), widen(acc_o[i]), bc, rk, out + i * out_step, nc);
}

// Taps [lo, hi) of a kernel axis that land inside [0, size) for window origin `origin`.
inline void tap_range(int origin, int dilation, int taps, int size, int* lo, int* hi) {
  int a = 0;
  while (a < taps && origin + a * dilation < 0) ++a;
  int b = taps;
  while (b > a && origin + (b - 1) * dilation >= size) --b;
  *lo = a;
  *hi = b;
}

// All output pixels of row oy for one channel block.
template <int MODE>
void block_row(const DwConvArgs& a, const Geometry& g, int oy, int c0, int nc, const int16_t* wblock,
               const BlockConsts& bc, const RequantConsts& rk, __m256i zp16, int ox_lo, int ox_hi) {
  const int C = a.channels;
  const int iy0 = oy * a.stride_h - a.pad_top;
  int ky0, ky1;
  tap_range(iy0, a.dilation_h, a.kernel_h, a.in_h, &ky0, &ky1);
  const bool row_full = ky0 == 0 && ky1 == a.kernel_h;
  uint8_t* out_row = a.out + static_cast<size_t>(oy) * a.out_w * C + c0;
  const ptrdiff_t out_step = C;

  auto border = [&](int ox) {
    const int ix0 = ox * a.stride_w - a.pad_left;
    int kx0, kx1;
    tap_range(ix0, a.dilation_w, a.kernel_w, a.in_w, &kx0, &kx1);
    uint8_t* out = out_row + static_cast<size_t>(ox) * C;
    if (ky1 <= ky0 || kx1 <= kx0) {  // window entirely in the padding
      pixels<1, true, MODE>(g, nullptr, wblock, 0, 0, zp16, bc, rk, out, out_step, nc);
      return;
    }
    const int iy = iy0 + ky0 * a.dilation_h, ix = ix0 + kx0 * a.dilation_w;
    const uint8_t* p = a.in + (static_cast<size_t>(iy) * a.in_w + ix) * C + c0;
    const int16_t* w = wblock + static_cast<size_t>(ky0 * a.kernel_w + kx0) * 32;
    pixels<1, true, MODE>(g, p, w, ky1 - ky0, kx1 - kx0, zp16, bc, rk, out, out_step, nc);
  };

  if (!row_full || ox_lo > ox_hi) {
    for (int ox = 0; ox < a.out_w; ++ox) border(ox);
    return;
  }
  for (int ox = 0; ox < ox_lo; ++ox) border(ox);
  const uint8_t* p = a.in + (static_cast<size_t>(iy0) * a.in_w + (ox_lo * a.stride_w - a.pad_left)) * C + c0;
  int ox = ox_lo;
  for (; ox + 4 <= ox_hi + 1; ox += 4, p += 4 * g.px_step)
    pixels<4, false, MODE>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step, nc);
  for (; ox + 2 <= ox_hi + 1; ox += 2, p += 2 * g.px_step)
    pixels<2, false, MODE>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step, nc);
  if (ox <= ox_hi) {
    pixels<1, false, MODE>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step, nc);
    ++ox;
  }
  for (; ox < a.out_w; ++ox) border(ox);
}

}  // namespace

size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels) {
  const size_t blocks = static_cast<size_t>(channels + kBlock - 1) / kBlock;
  return blocks * block_bytes(kernel_h * kernel_w);
}

void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed) {
  const int taps = kernel_h * kernel_w;
  const int blocks = (channels + kBlock - 1) / kBlock;
  for (int b = 0; b < blocks; ++b) {
    uint8_t* dst = packed + static_cast<size_t>(b) * block_bytes(taps);
    int32_t sums[16];
    for (int i = 0; i < 16; ++i) {
      const int c = 16 * b + (i < 8 ? 2 * i : 2 * (i - 8) + 1);  // even channels, then odd
      int32_t s = 0;
      if (c < channels)
        for (int t = 0; t < taps; ++t) s += w[static_cast<size_t>(c) * taps + t];
      sums[i] = s;
    }
    std::memcpy(dst, sums, sizeof(sums));
    for (int t = 0; t < taps; ++t) {
      int16_t v[32];
      for (int i = 0; i < 16; ++i) {
        const int c = 16 * b + i;
        const int16_t wc = c < channels ? w[static_cast<size_t>(c) * taps + t] : 0;
        // lane i of the even vector multiplies channel i when i is even, of the odd when odd
        v[i] = (i % 2 == 0) ? wc : 0;
        v[16 + i] = (i % 2 == 1) ? wc : 0;
      }
      std::memcpy(dst + 64 + static_cast<size_t>(t) * 64, v, sizeof(v));
    }
  }
}

void dw_run(const DwConvArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int taps = a.kernel_h * a.kernel_w;
  const RequantConsts rk(a.rq);
  const __m256i zp16 = _mm256_set1_epi16(a.in_zp);
  Geometry g;
  g.in_end = a.in + static_cast<size_t>(a.in_h) * a.in_w * C;
  g.px_step = static_cast<ptrdiff_t>(a.stride_w) * C;
  g.row_step = static_cast<ptrdiff_t>(a.dilation_h) * a.in_w * C;
  g.tap_step = static_cast<ptrdiff_t>(a.dilation_w) * C;
  g.kw = a.kernel_w;

  // Output columns whose whole window is inside the image horizontally.
  const int ox_lo = (a.pad_left + a.stride_w - 1) / a.stride_w;
  const int last_origin = a.in_w - 1 - (a.kernel_w - 1) * a.dilation_w;  // largest valid ix0
  const int ox_hi = last_origin + a.pad_left < 0 ? -1
                                                 : std::min(a.out_w - 1, (last_origin + a.pad_left) / a.stride_w);

  // Rows outside, channel blocks inside, so each input row is read while it is in cache; the
  // per-block constants are prepared once per group of up to kGroup blocks.
  constexpr int kGroup = 16;
  BlockConsts consts[kGroup];
  const int blocks = (C + kBlock - 1) / kBlock;
  for (int b0 = 0; b0 < blocks; b0 += kGroup) {
    const int nb = std::min(kGroup, blocks - b0);
    for (int j = 0; j < nb; ++j) {
      const int c0 = (b0 + j) * kBlock;
      const uint8_t* blk = a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps);
      alignas(32) int32_t be[8], bo[8], be2[8], bo2[8], sums[16];
      alignas(32) float se[8], so[8];
      std::memcpy(sums, blk, sizeof(sums));
      for (int i = 0; i < 8; ++i) {
        const int ce = c0 + 2 * i, co = ce + 1;
        be[i] = ce < C && a.rq.bias ? a.rq.bias[ce] : 0;
        bo[i] = co < C && a.rq.bias ? a.rq.bias[co] : 0;
        se[i] = ce < C ? a.rq.scale[ce] : 0.0f;
        so[i] = co < C ? a.rq.scale[co] : 0.0f;
        be2[i] = be[i] + static_cast<int32_t>(a.in_zp) * sums[i];
        bo2[i] = bo[i] + static_cast<int32_t>(a.in_zp) * sums[8 + i];
      }
      BlockConsts& bc = consts[j];
      bc.bias_e = _mm256_load_si256(reinterpret_cast<const __m256i*>(be));
      bc.bias_o = _mm256_load_si256(reinterpret_cast<const __m256i*>(bo));
      bc.bias2_e = _mm256_load_si256(reinterpret_cast<const __m256i*>(be2));
      bc.bias2_o = _mm256_load_si256(reinterpret_cast<const __m256i*>(bo2));
      bc.scale_e = _mm256_load_ps(se);
      bc.scale_o = _mm256_load_ps(so);
    }
    for (int oy = row_begin; oy < row_end; ++oy) {
      for (int j = 0; j < nb; ++j) {
        const int c0 = (b0 + j) * kBlock;
        const int nc = std::min(kBlock, C - c0);
        const int16_t* wblock =
            reinterpret_cast<const int16_t*>(a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps) + 64);
        if (nc == kBlock)
          block_row<kFull>(a, g, oy, c0, nc, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
        else if (nc > 8)
          block_row<kPartial>(a, g, oy, c0, nc, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
        else
          block_row<kHalf>(a, g, oy, c0, nc, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
      }
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
