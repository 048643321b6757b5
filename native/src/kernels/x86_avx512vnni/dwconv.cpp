// AVX-512 VNNI depthwise convolution (kernels.h, DwConvArgs), bit-exact with scalar::dw_run.
//
// vpdpbusd on four taps at once. Per block of 64 channels the kernel's taps are taken in groups
// of four in (ky, kx) order; the input bytes of a group's taps (one zmm each, channels in order)
// are interleaved by two rounds of unpacks into four vectors holding, per channel, its four tap
// bytes, and one vpdpbusd adds 16 channels' four u8 x s8 products to their int32 accumulators
// (exact: no saturation in vpdpbusd, and |sum| stays far inside int32). A 3x3 kernel takes three
// groups (the last with one tap, its other weights zero): 12 vpdpbusd per pixel and 64 channels,
// against 36 half-used vpdpwssd on int16-widened bytes.
//
// Padding: a tap outside the image reads a vector of in_zp, which is what the reference's padding
// reads, so border pixels run the same arithmetic as interior ones; only their tap addresses
// differ.
//
// Channel order: the unpacks work within 128-bit lanes, so accumulator k holds in lane L, dword
// j, channel 16L + 4k + j. Signed packs of accumulators 0 and 1 (and 2 and 3), then an unsigned
// pack of the two, put lane L's bytes back in channel order 16L..16L+15: no permute. Bias, scale
// and the packed weights follow the accumulators' order.
//
// A last block of 33 to 63 channels loads and stores with a byte mask; one of at most 32 channels
// is computed 256 bits wide (on the low halves of its packed vectors), masked below 32.
//
// Packed layout: per block of 64 channels, per group of 4 taps, per accumulator k, 64 bytes: for
// dword 4L + j (channel 16L + 4k + j) the weights of the group's 4 taps; zero past the channel
// count and past the last tap.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

#include "kernels/x86_avx512vnni/conv_ops.h"
#include "kernels/x86_avx512vnni/requant.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

namespace {

constexpr int kBlock = 64;

inline int groups_of(int taps) { return (taps + 3) / 4; }
inline size_t block_bytes(int taps) { return static_cast<size_t>(groups_of(taps)) * 4 * 64; }
// The channel (within its block) of accumulator k's dword d = 4L + j.
inline int channel_of(int k, int d) { return 16 * (d / 4) + 4 * k + d % 4; }

struct BlockConsts {
  __m512i bias[4];
  __m512 scale[4];
  __mmask64 mask;      // channels of this block that exist: loads and the store
  const __m512i* w;    // the block's packed weights
};

// The vector steps at two widths: Zmm for blocks of 33 to 64 channels, Ymm for at most 32, which
// use the low half of each packed vector (channels 0..31 of a block are lanes 0 and 1).
template <class M>  // a RequantMode
struct Zmm {
  using V = __m512i;
  static V load(const uint8_t* p) { return _mm512_loadu_si512(reinterpret_cast<const void*>(p)); }
  static V load(const uint8_t* p, __mmask64 m) { return _mm512_maskz_loadu_epi8(m, p); }
  static V zero() { return _mm512_setzero_si512(); }
  static V w(const __m512i* p) { return _mm512_loadu_si512(reinterpret_cast<const void*>(p)); }
  static V lo8(V a, V b) { return _mm512_unpacklo_epi8(a, b); }
  static V hi8(V a, V b) { return _mm512_unpackhi_epi8(a, b); }
  static V lo16(V a, V b) { return _mm512_unpacklo_epi16(a, b); }
  static V hi16(V a, V b) { return _mm512_unpackhi_epi16(a, b); }
  static V dot(V acc, V x, V w) { return _mm512_dpbusd_epi32(acc, x, w); }
  static V bias(const BlockConsts& bc, int k) { return bc.bias[k]; }
  static V round(V acc, const BlockConsts& bc, int k, const RequantConsts& rk) {
    return round_i32<M::kBounded>(acc, bc.scale[k], rk);
  }
  // (packs of y0, y1) and (packs of y2, y3) + zp, unsigned pack, clamp: the block's bytes in order.
  static V narrow(V y0, V y1, V y2, V y3, const RequantConsts& rk) {
    const V w0 = _mm512_adds_epi16(_mm512_packs_epi32(y0, y1), rk.zp16);
    const V w1 = _mm512_adds_epi16(_mm512_packs_epi32(y2, y3), rk.zp16);
    const V b = _mm512_packus_epi16(w0, w1);
    return M::kClamp ? _mm512_min_epu8(_mm512_max_epu8(b, rk.qmin8), rk.qmax8) : b;
  }
  static void store(uint8_t* p, V v) { _mm512_storeu_si512(reinterpret_cast<void*>(p), v); }
  static void store(uint8_t* p, V v, __mmask64 m) { _mm512_mask_storeu_epi8(p, m, v); }
};
template <class M>
struct Ymm {
  using V = __m256i;
  static V load(const uint8_t* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static V load(const uint8_t* p, __mmask64 m) { return _mm256_maskz_loadu_epi8(static_cast<__mmask32>(m), p); }
  static V zero() { return _mm256_setzero_si256(); }
  static V w(const __m512i* p) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)); }
  static V lo8(V a, V b) { return _mm256_unpacklo_epi8(a, b); }
  static V hi8(V a, V b) { return _mm256_unpackhi_epi8(a, b); }
  static V lo16(V a, V b) { return _mm256_unpacklo_epi16(a, b); }
  static V hi16(V a, V b) { return _mm256_unpackhi_epi16(a, b); }
  static V dot(V acc, V x, V w) { return _mm256_dpbusd_epi32(acc, x, w); }
  static V bias(const BlockConsts& bc, int k) { return _mm512_castsi512_si256(bc.bias[k]); }
  // round_i32 on 8 lanes.
  static V round(V acc, const BlockConsts& bc, int k, const RequantConsts& rk) {
    const __m256 f = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm512_castps512_ps256(bc.scale[k]));
    return _mm256_cvtps_epi32(M::kBounded ? f : _mm256_min_ps(f, _mm512_castps512_ps256(rk.hi)));
  }
  static V narrow(V y0, V y1, V y2, V y3, const RequantConsts& rk) {
    const V w0 = _mm256_adds_epi16(_mm256_packs_epi32(y0, y1), _mm512_castsi512_si256(rk.zp16));
    const V w1 = _mm256_adds_epi16(_mm256_packs_epi32(y2, y3), _mm512_castsi512_si256(rk.zp16));
    const V b = _mm256_packus_epi16(w0, w1);
    return M::kClamp ? _mm256_min_epu8(_mm256_max_epu8(b, _mm512_castsi512_si256(rk.qmin8)), _mm512_castsi512_si256(rk.qmax8))
                     : b;
  }
  static void store(uint8_t* p, V v) { _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), v); }
  static void store(uint8_t* p, V v, __mmask64 m) { _mm256_mask_storeu_epi8(p, static_cast<__mmask32>(m), v); }
};

// The steps are forced inline: with four instantiations GCC 12 calls group() and finish(),
// their vectors passed through memory (1.6x slower).
template <class S, bool MASKED>
inline __attribute__((always_inline)) typename S::V load_x(const uint8_t* p, __mmask64 mask) {
  return MASKED ? S::load(p, mask) : S::load(p);
}

// acc[k] += the products of four taps' bytes t[0..3] (channels in order) with weights w[0..3].
template <class S>
inline __attribute__((always_inline)) void group(const typename S::V (&t)[4], const __m512i* w, typename S::V (&acc)[4]) {
  using V = typename S::V;
  const V a = S::lo8(t[0], t[1]), b = S::hi8(t[0], t[1]);
  const V c = S::lo8(t[2], t[3]), d = S::hi8(t[2], t[3]);
  acc[0] = S::dot(acc[0], S::lo16(a, c), S::w(w));
  acc[1] = S::dot(acc[1], S::hi16(a, c), S::w(w + 1));
  acc[2] = S::dot(acc[2], S::lo16(b, d), S::w(w + 2));
  acc[3] = S::dot(acc[3], S::hi16(b, d), S::w(w + 3));
}

// Requantizes one pixel's accumulators and stores its channels in order (requant.h narrow64's
// packs and exactness argument, without its permute: see the channel order above).
template <class S, bool MASKED>
inline __attribute__((always_inline)) void finish(const typename S::V (&acc)[4], const BlockConsts& bc, const RequantConsts& rk, uint8_t* out) {
  const typename S::V b = S::narrow(S::round(acc[0], bc, 0, rk), S::round(acc[1], bc, 1, rk),
                                    S::round(acc[2], bc, 2, rk), S::round(acc[3], bc, 3, rk), rk);
  if (MASKED)
    S::store(out, b, bc.mask);
  else
    S::store(out, b);
}

// NPX output pixels of one block; tap(i, t) is the address of tap t's input bytes for pixel i.
template <int NPX, class S, bool MASKED, class Tap>
inline __attribute__((always_inline)) void pixels(int taps, const BlockConsts& bc, const RequantConsts& rk, Tap tap, uint8_t* out,
                   ptrdiff_t out_step) {
  using V = typename S::V;
  V acc[NPX][4];
  for (int i = 0; i < NPX; ++i)
    for (int k = 0; k < 4; ++k) acc[i][k] = S::bias(bc, k);
  const __m512i* w = bc.w;
  int t0 = 0;
  for (; t0 + 4 <= taps; t0 += 4, w += 4)
    for (int i = 0; i < NPX; ++i) {
      const V t[4] = {load_x<S, MASKED>(tap(i, t0), bc.mask), load_x<S, MASKED>(tap(i, t0 + 1), bc.mask),
                      load_x<S, MASKED>(tap(i, t0 + 2), bc.mask), load_x<S, MASKED>(tap(i, t0 + 3), bc.mask)};
      group<S>(t, w, acc[i]);
    }
  if (t0 < taps)  // the last 1 to 3 taps, the rest of their group zero (their weights are zero too)
    for (int i = 0; i < NPX; ++i) {
      V t[4];
      for (int u = 0; u < 4; ++u) t[u] = t0 + u < taps ? load_x<S, MASKED>(tap(i, t0 + u), bc.mask) : S::zero();
      group<S>(t, w, acc[i]);
    }
  for (int i = 0; i < NPX; ++i) finish<S, MASKED>(acc[i], bc, rk, out + i * out_step);
}

struct Walk {
  const DwConvArgs& a;
  int taps;
  int ox_lo, ox_hi;                    // the output columns whose windows lie inside horizontally
  ptrdiff_t px_step;                   // bytes between horizontally adjacent pixels' windows
  std::vector<ptrdiff_t> offset;       // per tap, its bytes from the window's first tap (interior)
  std::vector<const uint8_t*> border;  // per tap, one border pixel's tap addresses
  const uint8_t* zp_bytes;             // 64 bytes of in_zp: what a tap in the padding reads
};

// Output row oy of one block of channels starting at c0.
template <class S, bool MASKED>
void block_row(Walk& k, int oy, int c0, const BlockConsts& bc, const RequantConsts& rk) {
  const DwConvArgs& a = k.a;
  const int C = a.channels;
  const int iy0 = oy * a.stride_h - a.pad_top;
  const bool row_inside = iy0 >= 0 && iy0 + (a.kernel_h - 1) * a.dilation_h < a.in_h;
  uint8_t* out_row = a.out + static_cast<size_t>(oy) * a.out_w * C + c0;

  auto border = [&](int ox) {
    const int ix0 = ox * a.stride_w - a.pad_left;
    int t = 0;
    for (int ky = 0; ky < a.kernel_h; ++ky) {
      const int iy = iy0 + ky * a.dilation_h;
      for (int kx = 0; kx < a.kernel_w; ++kx, ++t) {
        const int ix = ix0 + kx * a.dilation_w;
        k.border[t] = (iy >= 0 && iy < a.in_h && ix >= 0 && ix < a.in_w)
                          ? a.in + (static_cast<size_t>(iy) * a.in_w + ix) * C + c0
                          : k.zp_bytes;
      }
    }
    const uint8_t* const* p = k.border.data();
    pixels<1, S, MASKED>(k.taps, bc, rk, [p](int, int t) { return p[t]; }, out_row + static_cast<size_t>(ox) * C, C);
  };

  if (!row_inside || k.ox_lo > k.ox_hi) {
    for (int ox = 0; ox < a.out_w; ++ox) border(ox);
    return;
  }
  for (int ox = 0; ox < k.ox_lo; ++ox) border(ox);
  const ptrdiff_t* off = k.offset.data();
  const ptrdiff_t step = k.px_step;
  const uint8_t* p = a.in + (static_cast<size_t>(iy0) * a.in_w + (k.ox_lo * a.stride_w - a.pad_left)) * C + c0;
  int ox = k.ox_lo;
  for (; ox + 4 <= k.ox_hi + 1; ox += 4, p += 4 * step)
    pixels<4, S, MASKED>(k.taps, bc, rk, [p, off, step](int i, int t) { return p + i * step + off[t]; },
                         out_row + static_cast<size_t>(ox) * C, C);
  for (; ox + 2 <= k.ox_hi + 1; ox += 2, p += 2 * step)
    pixels<2, S, MASKED>(k.taps, bc, rk, [p, off, step](int i, int t) { return p + i * step + off[t]; },
                      out_row + static_cast<size_t>(ox) * C, C);
  if (ox <= k.ox_hi) {
    pixels<1, S, MASKED>(k.taps, bc, rk, [p, off](int, int t) { return p + off[t]; }, out_row + static_cast<size_t>(ox) * C, C);
    ++ox;
  }
  for (; ox < a.out_w; ++ox) border(ox);
}

// block_row at the block's width and requantization form (M, a RequantMode).
template <class M>
void block_row_as(Walk& k, int oy, int c0, int n, const BlockConsts& bc, const RequantConsts& rk) {
  if (n >= 64)
    block_row<Zmm<M>, false>(k, oy, c0, bc, rk);
  else if (n > 32)
    block_row<Zmm<M>, true>(k, oy, c0, bc, rk);
  else if (n == 32)
    block_row<Ymm<M>, false>(k, oy, c0, bc, rk);
  else
    block_row<Ymm<M>, true>(k, oy, c0, bc, rk);
}

}  // namespace

size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels) {
  return static_cast<size_t>((channels + kBlock - 1) / kBlock) * block_bytes(kernel_h * kernel_w);
}

void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed) {
  const int taps = kernel_h * kernel_w, groups = groups_of(taps);
  const int blocks = (channels + kBlock - 1) / kBlock;
  int8_t* out = reinterpret_cast<int8_t*>(packed);
  for (int b = 0; b < blocks; ++b)
    for (int g = 0; g < groups; ++g)
      for (int k = 0; k < 4; ++k)
        for (int d = 0; d < 16; ++d)
          for (int u = 0; u < 4; ++u) {
            const int c = kBlock * b + channel_of(k, d), t = 4 * g + u;
            *out++ = (c < channels && t < taps) ? w[static_cast<size_t>(c) * taps + t] : 0;
          }
}

void dw_run(const DwConvArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const int taps = a.kernel_h * a.kernel_w;
  const RequantConsts rk(a.rq);
  alignas(64) uint8_t zp_bytes[64];
  std::memset(zp_bytes, a.in_zp, sizeof(zp_bytes));
  Walk k{a, taps, 0, -1, static_cast<ptrdiff_t>(a.stride_w) * C, std::vector<ptrdiff_t>(taps),
         std::vector<const uint8_t*>(taps), zp_bytes};
  for (int ky = 0, t = 0; ky < a.kernel_h; ++ky)
    for (int kx = 0; kx < a.kernel_w; ++kx, ++t)
      k.offset[t] = (static_cast<ptrdiff_t>(ky) * a.dilation_h * a.in_w + static_cast<ptrdiff_t>(kx) * a.dilation_w) * C;
  k.ox_lo = (a.pad_left + a.stride_w - 1) / a.stride_w;
  const int last_origin = a.in_w - 1 - (a.kernel_w - 1) * a.dilation_w;  // largest window origin inside
  k.ox_hi = last_origin + a.pad_left < 0 ? -1 : std::min(a.out_w - 1, (last_origin + a.pad_left) / a.stride_w);

  // Rows outside, blocks inside, so each input row is read while it is in cache; the constants of
  // up to kGroup blocks are prepared once per call.
  constexpr int kGroup = 8;
  BlockConsts consts[kGroup];
  const int blocks = (C + kBlock - 1) / kBlock;
  for (int b0 = 0; b0 < blocks; b0 += kGroup) {
    const int nb = std::min(kGroup, blocks - b0);
    for (int j = 0; j < nb; ++j) {
      const int c0 = (b0 + j) * kBlock;
      alignas(64) int32_t bias[4][16];
      alignas(64) float scale[4][16];
      for (int q = 0; q < 4; ++q)
        for (int d = 0; d < 16; ++d) {
          const int c = c0 + channel_of(q, d);
          bias[q][d] = c < C && a.rq.bias ? a.rq.bias[c] : 0;
          scale[q][d] = c < C ? a.rq.scale[c] : 0.0f;
        }
      BlockConsts& bc = consts[j];
      for (int q = 0; q < 4; ++q) {
        bc.bias[q] = _mm512_load_si512(bias[q]);
        bc.scale[q] = _mm512_load_ps(scale[q]);
      }
      const int n = std::min(kBlock, C - c0);
      bc.mask = n >= 64 ? ~static_cast<__mmask64>(0) : (static_cast<__mmask64>(1) << n) - 1;
      bc.w = reinterpret_cast<const __m512i*>(a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps));
    }
    const bool short_form = rk.bounded && !rk.clamp;
    for (int oy = row_begin; oy < row_end; ++oy)
      for (int j = 0; j < nb; ++j) {
        const int c0 = (b0 + j) * kBlock;
        const int n = C - c0;
        if (short_form)
          block_row_as<RequantMode<true>>(k, oy, c0, n, consts[j], rk);
        else
          block_row_as<RequantMode<false>>(k, oy, c0, n, consts[j], rk);
      }
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
