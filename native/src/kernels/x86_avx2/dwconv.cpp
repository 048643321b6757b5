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
// Packed layout and the walk over rows: dwconv_rows.inc, shared with the AVX-512 kernel. A last
// block of 9..15 channels keeps its loads inside the input; one of 1..8 channels is computed 8
// wide.
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
using Zp16 = __m256i;

// Per-block constants, arranged in even/odd channel order.
struct BlockConsts {
  __m256i bias_e, bias_o;      // interior pixels
  __m256i bias2_e, bias2_o;    // border pixels: bias + in_zp * sum(w)
  __m256 scale_e, scale_o;
  int nc;                      // channels of this block that exist
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

inline __m256i dot_add(__m256i acc, __m256i x, __m256i w) { return _mm256_add_epi32(acc, _mm256_madd_epi16(x, w)); }
inline __m128i dot_add(__m128i acc, __m128i x, __m128i w) { return _mm_add_epi32(acc, _mm_madd_epi16(x, w)); }
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
inline Vec<MODE> load_x(const uint8_t* p, const Geometry& g, const BlockConsts&) {
  const uint8_t* end = g.in_end;
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

// Requantizes one pixel's even/odd accumulators and stores the block's channels in order (full
// blocks with a constant width: one plain store).
template <int MODE>
inline void finish(__m256i acc_e, __m256i acc_o, const BlockConsts& bc, const RequantConsts& rk, uint8_t* out) {
  const int nc = MODE == kFull ? kBlock : bc.nc;
  const __m256i ye = requant_i32(acc_e, bc.scale_e, rk);  // channels 0,2,..,14
  const __m256i yo = requant_i32(acc_o, bc.scale_o, rk);  // channels 1,3,..,15
  const __m256i w = add_zp_16(ye, yo, rk);                // e0-3 o0-3 | e4-7 o4-7
  const __m256i u = _mm256_packus_epi16(w, w);
  const __m256i inter = _mm256_shuffle_epi8(
      u, _mm256_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7, 0, 4, 1, 5, 2, 6, 3, 7));
  const __m128i v = _mm256_castsi256_si128(_mm256_permute4x64_epi64(inter, 0x08));
  store_bytes(out, _mm_max_epu8(_mm_min_epu8(v, rk.qmax), rk.qmin), nc);
}

#include "kernels/x86_avx2/dwconv_rows.inc"

}  // namespace

size_t dw_packed_bytes(int kernel_h, int kernel_w, int channels) { return dw_blocks_bytes(kernel_h, kernel_w, channels); }

void dw_pack(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed) {
  dw_pack_blocks(w, kernel_h, kernel_w, channels, packed);
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

  // The per-block constants are prepared once per group of up to kGroup blocks.
  constexpr int kGroup = 16;
  BlockConsts consts[kGroup];
  const int blocks = (C + kBlock - 1) / kBlock;
  for (int b0 = 0; b0 < blocks; b0 += kGroup) {
    const int nb = std::min(kGroup, blocks - b0);
    for (int j = 0; j < nb; ++j) {
      const int c0 = (b0 + j) * kBlock;
      const BlockValues v(a, a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps), c0);
      BlockConsts& bc = consts[j];
      bc.bias_e = _mm256_load_si256(reinterpret_cast<const __m256i*>(v.bias_e));
      bc.bias_o = _mm256_load_si256(reinterpret_cast<const __m256i*>(v.bias_o));
      bc.bias2_e = _mm256_load_si256(reinterpret_cast<const __m256i*>(v.bias2_e));
      bc.bias2_o = _mm256_load_si256(reinterpret_cast<const __m256i*>(v.bias2_o));
      bc.scale_e = _mm256_load_ps(v.scale_e);
      bc.scale_o = _mm256_load_ps(v.scale_o);
      bc.nc = std::min(kBlock, C - c0);
    }
    block_rows(a, g, row_begin, row_end, b0, nb, consts, rk, zp16);
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
