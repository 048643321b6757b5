// AVX-512 VNNI depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run.
//
// The same scheme as the AVX2 kernel, twice as wide: 32 channels per block, each tap widens 32
// input bytes to int16 and accumulates them with _mm512_dpwssd_epi32 against an even-channel and
// an odd-channel weight vector (the other lanes zero), so every int32 lane receives exactly one
// exact product per tap. Accumulators stay in even/odd channel order; bias and scale are
// arranged to match and two permutes restore channel order before the store.
//
// Padding: interior pixels (every tap inside the image) use raw bytes. Border pixels visit only
// their in-image taps with (x - in_zp) and start from bias + in_zp * sum(w), which equals the
// reference's "padding reads as in_zp" exactly in integer arithmetic.
//
// The last, partial block of a pixel uses masked loads and stores (no access past channel C).
//
// Packed layout per block of 32 channels: 32 int32 sums of weights (even channels, then odd),
// then per tap (ky, kx) 32 int16 even-channel weights and 32 int16 odd-channel weights. Channels
// past C are zero.
#include <immintrin.h>

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
  __mmask16 store_lo, store_hi;
};

struct Geometry {
  ptrdiff_t px_step;   // bytes between horizontally adjacent output pixels' windows
  ptrdiff_t row_step;  // bytes between kernel rows (dilation_h input rows)
  ptrdiff_t tap_step;  // bytes between kernel columns (dilation_w input pixels)
  int kw;
};

template <bool PARTIAL>
inline __m512i load_x(const uint8_t* p, __mmask32 mask) {
  const __m256i b = PARTIAL ? _mm256_maskz_loadu_epi8(mask, p) : _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  return _mm512_cvtepu8_epi16(b);
}

// Requantizes one pixel's even/odd accumulators and stores its channels in order.
inline void finish(__m512i acc_e, __m512i acc_o, const BlockConsts& bc, const RequantConsts& rk, uint8_t* out) {
  const __m512i ye = requant_i32(acc_e, bc.scale_e, rk);  // channels 0,2,..,30
  const __m512i yo = requant_i32(acc_o, bc.scale_o, rk);  // channels 1,3,..,31
  // Output lane i takes channel i: even i from ye lane i/2, odd i from yo lane i/2 (index 16+).
  const __m512i idx_lo = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  const __m512i idx_hi = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  _mm512_mask_cvtepi32_storeu_epi8(out, bc.store_lo, _mm512_permutex2var_epi32(ye, idx_lo, yo));
  _mm512_mask_cvtepi32_storeu_epi8(out + 16, bc.store_hi, _mm512_permutex2var_epi32(ye, idx_hi, yo));
}

// NPX horizontally adjacent output pixels of one channel block. p: the first visited tap of the
// first pixel; w: that tap's weights; nky x nkx taps are visited.
template <int NPX, bool BORDER, bool PARTIAL>
inline void pixels(const Geometry& g, const uint8_t* p, const int16_t* w, int nky, int nkx, __m512i zp16,
                   const BlockConsts& bc, const RequantConsts& rk, uint8_t* out, ptrdiff_t out_step) {
  __m512i acc_e[NPX], acc_o[NPX];
  for (int i = 0; i < NPX; ++i) {
    acc_e[i] = BORDER ? bc.bias2_e : bc.bias_e;
    acc_o[i] = BORDER ? bc.bias2_o : bc.bias_o;
  }
  for (int ky = 0; ky < nky; ++ky, p += g.row_step, w += 64 * g.kw) {
    const uint8_t* q = p;
    const int16_t* wt = w;
    for (int kx = 0; kx < nkx; ++kx, q += g.tap_step, wt += 64) {
      const __m512i we = _mm512_loadu_si512(reinterpret_cast<const void*>(wt));
      const __m512i wo = _mm512_loadu_si512(reinterpret_cast<const void*>(wt + 32));
#pragma GCC unroll 4
      for (int i = 0; i < NPX; ++i) {
        __m512i x = load_x<PARTIAL>(q + i * g.px_step, bc.load_mask);
        if (BORDER) x = _mm512_sub_epi16(x, zp16);
        acc_e[i] = _mm512_dpwssd_epi32(acc_e[i], x, we);
        acc_o[i] = _mm512_dpwssd_epi32(acc_o[i], x, wo);
      }
    }
  }
  for (int i = 0; i < NPX; ++i) finish(acc_e[i], acc_o[i], bc, rk, out + i * out_step);
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
template <bool PARTIAL>
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
      pixels<1, true, PARTIAL>(g, nullptr, wblock, 0, 0, zp16, bc, rk, out, out_step);
      return;
    }
    const int iy = iy0 + ky0 * a.dilation_h, ix = ix0 + kx0 * a.dilation_w;
    const uint8_t* p = a.in + (static_cast<size_t>(iy) * a.in_w + ix) * C + c0;
    const int16_t* w = wblock + static_cast<size_t>(ky0 * a.kernel_w + kx0) * 64;
    pixels<1, true, PARTIAL>(g, p, w, ky1 - ky0, kx1 - kx0, zp16, bc, rk, out, out_step);
  };

  if (!row_full || ox_lo > ox_hi) {
    for (int ox = 0; ox < a.out_w; ++ox) border(ox);
    return;
  }
  for (int ox = 0; ox < ox_lo; ++ox) border(ox);
  const uint8_t* p = a.in + (static_cast<size_t>(iy0) * a.in_w + (ox_lo * a.stride_w - a.pad_left)) * C + c0;
  int ox = ox_lo;
  for (; ox + 2 <= ox_hi + 1; ox += 2, p += 2 * g.px_step)
    pixels<2, false, PARTIAL>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
                              out_row + static_cast<size_t>(ox) * C, out_step);
  if (ox <= ox_hi) {
    pixels<1, false, PARTIAL>(g, p, wblock, a.kernel_h, a.kernel_w, zp16, bc, rk,
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
      bc.store_lo = first_lanes16(std::min(16, nc));
      bc.store_hi = first_lanes16(std::max(0, nc - 16));
    }
    for (int oy = row_begin; oy < row_end; ++oy) {
      for (int j = 0; j < nb; ++j) {
        const int c0 = (b0 + j) * kBlock;
        const int16_t* wblock =
            reinterpret_cast<const int16_t*>(a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps) + 128);
        if (C - c0 >= kBlock)
          block_row<false>(a, g, oy, c0, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
        else
          block_row<true>(a, g, oy, c0, wblock, consts[j], rk, zp16, ox_lo, ox_hi);
      }
    }
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
