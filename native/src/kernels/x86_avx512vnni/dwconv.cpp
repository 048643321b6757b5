// AVX-512 VNNI depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run.
//
// The same scheme as the AVX2 kernel, twice as wide: 32 channels per block, each tap widens 32
// input bytes to int16 and accumulates them with _mm512_dpwssd_epi32 against an even-channel and
// an odd-channel weight vector (the other lanes zero), so every int32 lane receives exactly one
// exact product per tap. Accumulators stay in even/odd channel order; bias and scale are
// arranged to match and the narrowing (finish) restores channel order for one store.
//
// Padding: interior pixels (every tap inside the image) use raw bytes. Border pixels visit only
// their in-image taps with (x - in_zp) and start from bias + in_zp * sum(w), which equals the
// reference's "padding reads as in_zp" exactly in integer arithmetic.
//
// The last, partial block of a pixel uses masked loads and stores (no access past channel C);
// when it has at most 16 channels it is computed 16 wide.
//
// Packed layout per block of 32 channels: 32 int32 sums of weights (even channels, then odd),
// then per tap (ky, kx) 32 int16 even-channel weights and 32 int16 odd-channel weights. Channels
// past C are zero.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/x86_avx512vnni/requant.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

constexpr int kBlock = 32;

inline size_t block_bytes(int taps) { return 128 + static_cast<size_t>(taps) * 128; }

struct BlockConsts {
  __m512i bias_e, bias_o;    // interior pixels
  __m512i bias2_e, bias2_o;  // border pixels: bias + in_zp * sum(w)
  __m512 scale_e, scale_o;
  __mmask32 load_mask;       // channels of this block that exist
  __mmask32 store;            // the same, for the store
};

struct Geometry {
  ptrdiff_t px_step;   // bytes between horizontally adjacent output pixels' windows
  ptrdiff_t row_step;  // bytes between kernel rows (dilation_h input rows)
  ptrdiff_t tap_step;  // bytes between kernel columns (dilation_w input pixels)
  int kw;
};

// How a channel block is computed: all 32 channels present; 17..31 present (32-wide math, masked
// loads); 1..16 present (16-wide math on the low half of the packed vectors, masked loads).
enum Mode { kFull, kPartial, kHalf };

template <int MODE>
struct VecOf {
  using type = __m512i;
};
template <>
struct VecOf<kHalf> {
  using type = __m256i;
};
template <int MODE>
using Vec = typename VecOf<MODE>::type;

inline __m512i dot_add(__m512i acc, __m512i x, __m512i w) { return _mm512_dpwssd_epi32(acc, x, w); }
inline __m256i dot_add(__m256i acc, __m256i x, __m256i w) { return _mm256_dpwssd_epi32(acc, x, w); }
inline __m512i sub16(__m512i a, __m512i b) { return _mm512_sub_epi16(a, b); }
inline __m256i sub16(__m256i a, __m256i b) { return _mm256_sub_epi16(a, b); }
inline void narrow(__m512i v, __m512i* out) { *out = v; }
inline void narrow(__m512i v, __m256i* out) { *out = _mm512_castsi512_si256(v); }
inline __m512i widen(__m512i v) { return v; }
inline __m512i widen(__m256i v) { return _mm512_inserti64x4(_mm512_setzero_si512(), v, 0); }
template <int MODE>
inline Vec<MODE> lower(__m512i v) {
  Vec<MODE> r;
  narrow(v, &r);
  return r;
}

// Packed weights of one tap (the low 16 lanes in half mode).
template <int MODE>
inline Vec<MODE> load_w(const int16_t* p) {
  Vec<MODE> r;
  if (MODE == kHalf)
    narrow(_mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))), &r);
  else
    narrow(_mm512_loadu_si512(reinterpret_cast<const void*>(p)), &r);
  return r;
}

// The block's input bytes at p widened to int16; masked (no access past channel C) unless full.
template <int MODE>
inline Vec<MODE> load_x(const uint8_t* p, __mmask32 mask) {
  Vec<MODE> r;
  if (MODE == kHalf) {
    narrow(_mm512_castsi256_si512(_mm256_cvtepu8_epi16(_mm_maskz_loadu_epi8(static_cast<__mmask16>(mask), p))), &r);
  } else {
    const __m256i b = MODE == kPartial ? _mm256_maskz_loadu_epi8(mask, p)
                                       : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    narrow(_mm512_cvtepu8_epi16(b), &r);
  }
  return r;
}

// Requantizes one pixel's even/odd accumulators and stores its channels in order with one store:
// the packs of requant.h narrow64 (same exactness argument), then a byte shuffle and a qword
// permute from the packs' per-lane even/odd order.
inline void finish(__m512i acc_e, __m512i acc_o, const BlockConsts& bc, const RequantConsts& rk, uint8_t* out) {
  const __m512i ye = round_i32(acc_e, bc.scale_e, rk);  // channels 0,2,..,30
  const __m512i yo = round_i32(acc_o, bc.scale_o, rk);  // channels 1,3,..,31
  // Lane l: int16 channels 8l, 8l+2, 8l+4, 8l+6, 8l+1, 8l+3, 8l+5, 8l+7; as bytes twice over.
  const __m512i w = _mm512_adds_epi16(_mm512_packs_epi32(ye, yo), rk.zp16);
  const __m512i b = _mm512_packus_epi16(w, w);
  // Bytes of lane l in channel order, then the lanes' low qwords together.
  const __m512i in_order = _mm512_shuffle_epi8(b, _mm512_broadcast_i32x4(_mm_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7)));
  const __m256i r = _mm512_castsi512_si256(_mm512_permutexvar_epi64(_mm512_setr_epi64(0, 2, 4, 6, 0, 2, 4, 6), in_order));
  const __m256i c = _mm256_min_epu8(_mm256_max_epu8(r, _mm512_castsi512_si256(rk.qmin8)), _mm512_castsi512_si256(rk.qmax8));
  _mm256_mask_storeu_epi8(out, bc.store, c);
}

// NPX horizontally adjacent output pixels of one channel block. p: the first visited tap of the
// first pixel; w: that tap's weights; nky x nkx taps are visited.
template <int NPX, bool BORDER, int MODE>
inline void pixels(const Geometry& g, const uint8_t* p, const int16_t* w, int nky, int nkx, __m512i zp16,
                   const BlockConsts& bc, const RequantConsts& rk, uint8_t* out, ptrdiff_t out_step) {
  using V = Vec<MODE>;
  V acc_e[NPX], acc_o[NPX];
  for (int i = 0; i < NPX; ++i) {
    acc_e[i] = lower<MODE>(BORDER ? bc.bias2_e : bc.bias_e);
    acc_o[i] = lower<MODE>(BORDER ? bc.bias2_o : bc.bias_o);
  }
  const V zp = lower<MODE>(zp16);
  for (int ky = 0; ky < nky; ++ky, p += g.row_step, w += 64 * g.kw) {
    const uint8_t* q = p;
    const int16_t* wt = w;
    for (int kx = 0; kx < nkx; ++kx, q += g.tap_step, wt += 64) {
      const V we = load_w<MODE>(wt);
      const V wo = load_w<MODE>(wt + 32);
#pragma GCC unroll 4
      for (int i = 0; i < NPX; ++i) {
        V x = load_x<MODE>(q + i * g.px_step, bc.load_mask);
        if (BORDER) x = sub16(x, zp);
        acc_e[i] = dot_add(acc_e[i], x, we);
        acc_o[i] = dot_add(acc_o[i], x, wo);
      }
    }
  }
  for (int i = 0; i < NPX; ++i) finish(widen(acc_e[i]), widen(acc_o[i]), bc, rk, out + i * out_step);
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
void block_row(const DwConvArgs& a, const Geometry& g, int oy, int c0, const int16_t* wblock, const BlockConsts& bc,
               const RequantConsts& rk, __m512i zp16, int ox_lo, int ox_hi) {
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
      pixels<1, true, MODE>(g, nullptr, wblock, 0, 0, zp16, bc, rk, out, out_step);
      return;
    }
    const int iy = iy0 + ky0 * a.dilation_h, ix = ix0 + kx0 * a.dilation_w;
    const uint8_t* p = a.in + (static_cast<size_t>(iy) * a.in_w + ix) * C + c0;
    const int16_t* w = wblock + static_cast<size_t>(ky0 * a.kernel_w + kx0) * 64;
    pixels<1, true, MODE>(g, p, w, ky1 - ky0, kx1 - kx0, zp16, bc, rk, out, out_step);
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
                           out_row + static_cast<size_t>(ox) * C, out_step);
  for (; ox + 2 <= ox_hi + 1; ox += 2, p += 2 * g.px_step)
    pixels<2, false, MODE>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step);
  if (ox <= ox_hi) {
    pixels<1, false, MODE>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step);
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
    int32_t sums[32];
    for (int i = 0; i < 32; ++i) {
      const int c = kBlock * b + (i < 16 ? 2 * i : 2 * (i - 16) + 1);  // even channels, then odd
      int32_t s = 0;
      if (c < channels)
        for (int t = 0; t < taps; ++t) s += w[static_cast<size_t>(c) * taps + t];
      sums[i] = s;
    }
    std::memcpy(dst, sums, sizeof(sums));
    for (int t = 0; t < taps; ++t) {
      int16_t v[64];
      for (int i = 0; i < 32; ++i) {
        const int c = kBlock * b + i;
        const int16_t wc = c < channels ? w[static_cast<size_t>(c) * taps + t] : 0;
        // lane i of the even vector multiplies channel i when i is even, of the odd when odd
        v[i] = (i % 2 == 0) ? wc : 0;
        v[32 + i] = (i % 2 == 1) ? wc : 0;
      }
      std::memcpy(dst + 128 + static_cast<size_t>(t) * 128, v, sizeof(v));
    }
  }
}

void dw_run(const DwConvArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int taps = a.kernel_h * a.kernel_w;
  const RequantConsts rk(a.rq);
  const __m512i zp16 = _mm512_set1_epi16(a.in_zp);
  Geometry g;
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
  constexpr int kGroup = 8;
  BlockConsts consts[kGroup];
  const int blocks = (C + kBlock - 1) / kBlock;
  for (int b0 = 0; b0 < blocks; b0 += kGroup) {
    const int nb = std::min(kGroup, blocks - b0);
    for (int j = 0; j < nb; ++j) {
      const int c0 = (b0 + j) * kBlock;
      const int nc = std::min(kBlock, C - c0);
      const uint8_t* blk = a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps);
      alignas(64) int32_t be[16], bo[16], be2[16], bo2[16], sums[32];
      alignas(64) float se[16], so[16];
      std::memcpy(sums, blk, sizeof(sums));
      for (int i = 0; i < 16; ++i) {
        const int ce = c0 + 2 * i, co = ce + 1;
        be[i] = ce < C && a.rq.bias ? a.rq.bias[ce] : 0;
        bo[i] = co < C && a.rq.bias ? a.rq.bias[co] : 0;
        se[i] = ce < C ? a.rq.scale[ce] : 0.0f;
        so[i] = co < C ? a.rq.scale[co] : 0.0f;
        be2[i] = be[i] + static_cast<int32_t>(a.in_zp) * sums[i];
        bo2[i] = bo[i] + static_cast<int32_t>(a.in_zp) * sums[16 + i];
      }
      BlockConsts& bc = consts[j];
      bc.bias_e = _mm512_load_si512(be);
      bc.bias_o = _mm512_load_si512(bo);
      bc.bias2_e = _mm512_load_si512(be2);
      bc.bias2_o = _mm512_load_si512(bo2);
      bc.scale_e = _mm512_load_ps(se);
      bc.scale_o = _mm512_load_ps(so);
      bc.load_mask = first_lanes32(nc);
      bc.store = bc.load_mask;
    }
    for (int oy = row_begin; oy < row_end; ++oy) {
      for (int j = 0; j < nb; ++j) {
        const int c0 = (b0 + j) * kBlock;
        const int16_t* wblock =
            reinterpret_cast<const int16_t*>(a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps) + 128);
        const int nc = C - c0;
        if (nc >= kBlock)
          block_row<kFull>(a, g, oy, c0, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
        else if (nc > 16)
          block_row<kPartial>(a, g, oy, c0, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
        else
          block_row<kHalf>(a, g, oy, c0, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
      }
    }
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
