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
// Packed layout (blocks of 32 channels) and the walk over rows: x86_avx2/dwconv_rows.inc, shared
// with the AVX2 kernel.
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
using Zp16 = __m512i;

struct BlockConsts {
  __m512i bias_e, bias_o;    // interior pixels
  __m512i bias2_e, bias2_o;  // border pixels: bias + in_zp * sum(w)
  __m512 scale_e, scale_o;
  __mmask32 mask;            // channels of this block that exist: loads and the store
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
inline Vec<MODE> load_x(const uint8_t* p, const Geometry&, const BlockConsts& bc) {
  const __mmask32 mask = bc.mask;
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
// permute from the packs' per-lane even/odd order. MODE is dwconv_rows.inc's calling convention;
// the masked store serves every mode here.
template <int MODE>
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
  _mm256_mask_storeu_epi8(out, bc.mask, c);
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
  const __m512i zp16 = _mm512_set1_epi16(a.in_zp);
  Geometry g;
  g.px_step = static_cast<ptrdiff_t>(a.stride_w) * C;
  g.row_step = static_cast<ptrdiff_t>(a.dilation_h) * a.in_w * C;
  g.tap_step = static_cast<ptrdiff_t>(a.dilation_w) * C;
  g.kw = a.kernel_w;

  // The per-block constants are prepared once per group of up to kGroup blocks.
  constexpr int kGroup = 8;
  BlockConsts consts[kGroup];
  const int blocks = (C + kBlock - 1) / kBlock;
  for (int b0 = 0; b0 < blocks; b0 += kGroup) {
    const int nb = std::min(kGroup, blocks - b0);
    for (int j = 0; j < nb; ++j) {
      const int c0 = (b0 + j) * kBlock;
      const BlockValues v(a, a.packed + static_cast<size_t>(b0 + j) * block_bytes(taps), c0);
      BlockConsts& bc = consts[j];
      bc.bias_e = _mm512_load_si512(v.bias_e);
      bc.bias_o = _mm512_load_si512(v.bias_o);
      bc.bias2_e = _mm512_load_si512(v.bias2_e);
      bc.bias2_o = _mm512_load_si512(v.bias2_o);
      bc.scale_e = _mm512_load_ps(v.scale_e);
      bc.scale_o = _mm512_load_ps(v.scale_o);
      bc.mask = first_lanes32(std::min(kBlock, C - c0));
    }
    block_rows(a, g, row_begin, row_end, b0, nb, consts, rk, zp16);
  }
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
