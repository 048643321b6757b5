// Nearest and bilinear resize, NHWC uint8, AVX-512: bit-identical to scalar/resize.cpp. Bilinear
// resize of fewer than 16 channels (the class maps, with the fused argmax) stays the AVX2 table's
// dense path.
#include "kernels/x86_avx512vnni/gcc_avx512_warnings.h"

#include "kernels/resize_linear_rows.h"
#include "kernels/x86_avx2/other_ops.h"
#include "kernels/x86_avx512vnni/avx512_util.h"
#include "kernels/x86_avx512vnni/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx512vnni {

void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  resize_nearest_rows<Moves>(a, row_begin, row_end);
}

namespace {

// Source row y dequantized, X(q) of kernels.h, into f (in_w * channels floats), 16 at a time.
void dequantize_row(const ResizeArgs& a, int y, float* f) {
  const int n = a.in_w * a.channels;
  const __m512i vzp = _mm512_set1_epi32(a.in_zp);
  const __m512 vs = _mm512_set1_ps(a.in_scale);
  const uint8_t* q = a.in + static_cast<size_t>(y) * n;
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i x = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q + i)));
    _mm512_storeu_ps(f + i, _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(x, vzp)), vs));
  }
  for (; i < n; ++i) f[i] = static_cast<float>(q[i] - a.in_zp) * a.in_scale;
}

// k * X on 16 lanes, the X from p (k = 1: X itself).
template <int k>
inline __m512 times(const float* p) {
  const __m512 x = _mm512_loadu_ps(p);
  return k == 1 ? x : _mm512_mul_ps(_mm512_set1_ps(static_cast<float>(k)), x);
}

// 16 channels per zmm, as the AVX2 kernel's blocks 8 per ymm: per lane the scalar operations in
// the scalar order (kernels.h "Resize"), the four weight products computed once per output
// pixel as scalar (linear_rows' sixteenths pixels: 1, 3 or 9 times X, by 16 times the
// output scale). 64 channels share one pack and store, then 32 one more; the rest go 16 at a
// time, the last block overlapping the one before (identical values).
template <Quotient kQuotient, bool kBounded>
void blocks(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const Quantize16<kQuotient, kBounded, false> quant(a.out_scale, a.out_zp, 0, 255);  // bounds 0..255: no byte clamp
  const Quantize16<kQuotient, kBounded, false> quant16(16.0f * a.out_scale, a.out_zp, 0, 255);  // linear_rows' sixteenths
  // The packs leave, in 128-bit lane k, dword j = elements 4k..4k+3 of their argument j; 32
  // channels in order need dwords 4k (first block) and 4k + 1 (pack64_ordered does it for 64).
  const __m512i order32 = _mm512_setr_epi32(0, 4, 8, 12, 1, 5, 9, 13, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m512i zp = _mm512_set1_epi32(a.out_zp), lo = _mm512_setzero_si512(), hi = _mm512_set1_epi32(255);
  // A pixel's C bytes from rounded(c), channels c..c+15 rounded (q's zero point and bounds are
  // the same for both quantizers).
  const auto store_pixel = [&](uint8_t* out, auto rounded) {
    // One block's bytes: the packs' saturations and clamp in int32 (the rounded value is at most
    // 65536, or INT_MIN, so + zp cannot overflow, and whatever the saturations would change lies
    // outside [0, 255] either way), then a truncating narrow.
    auto block16 = [&](int c) {
      const __m512i q = _mm512_max_epi32(_mm512_min_epi32(_mm512_add_epi32(rounded(c), zp), hi), lo);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + c), _mm512_cvtepi32_epi8(q));
    };
    int c = 0;
    for (; c + 64 <= C; c += 64)
      store64(out + c, pack64_ordered<false>(rounded(c), rounded(c + 16), rounded(c + 32), rounded(c + 48), quant.zp16,
                                             quant.lo8, quant.hi8));
    if (c + 32 <= C) {  // 32 channels: one pack, then dwords 4k (first block) and 4k + 1 in order
      const __m512i w = _mm512_adds_epi16(_mm512_packs_epi32(rounded(c), rounded(c + 16)), quant.zp16);
      const __m512i b = _mm512_permutexvar_epi32(order32, _mm512_packus_epi16(w, w));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + c), _mm512_castsi512_si256(b));
      c += 32;
    }
    for (; c + 16 <= C; c += 16) block16(c);
    if (c < C) block16(C - 16);
  };
  linear_rows(
      a, row_begin, row_end, per_thread<DequantRows>(), dequantize_row,
      [&](uint8_t* out, const float* p11, const float* p21, const float* p12, const float* p22, float w11, float w21,
          float w12, float w22) {
        const __m512 v11 = _mm512_set1_ps(w11), v21 = _mm512_set1_ps(w21);
        const __m512 v12 = _mm512_set1_ps(w12), v22 = _mm512_set1_ps(w22);
        store_pixel(out, [&](int c) {
          __m512 v = _mm512_mul_ps(v11, _mm512_loadu_ps(p11 + c));
          v = _mm512_add_ps(v, _mm512_mul_ps(v21, _mm512_loadu_ps(p21 + c)));
          v = _mm512_add_ps(v, _mm512_mul_ps(v12, _mm512_loadu_ps(p12 + c)));
          v = _mm512_add_ps(v, _mm512_mul_ps(v22, _mm512_loadu_ps(p22 + c)));
          return quant.round16(v);
        });
      },
      [&](uint8_t* out, const float* p11, const float* p21, const float* p12, const float* p22, int one) {
        with_sixteenths(one, [&](auto k) {
          constexpr int kOne = decltype(k)::value;
          store_pixel(out, [&](int c) {
            __m512 v = _mm512_add_ps(times<sixteenths_of(0, kOne)>(p11 + c), times<sixteenths_of(1, kOne)>(p21 + c));
            v = _mm512_add_ps(v, times<sixteenths_of(2, kOne)>(p12 + c));
            return quant16.round16(_mm512_add_ps(v, times<sixteenths_of(3, kOne)>(p22 + c)));
          });
        });
      });
}

}  // namespace

// Fewer than 16 channels: the AVX2 kernel (its dense path, or the reference for fewer than 8).
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  if (a.channels < 16) {
    avx2::resize_linear(a, row_begin, row_end);
    return;
  }
  with_resize_quotient(a, [&](auto quotient, auto bounded) {
    blocks<decltype(quotient)::value, decltype(bounded)::value>(a, row_begin, row_end);
  });
}

// Fewer than 16 channels: the AVX2 kernel's (the dense path skipping pixels of certain label);
// others: the Resize, then the argmax of its rows.
void resize_linear_argmax(const ResizeArgmaxArgs& a, int row_begin, int row_end) {
  const ResizeArgs& r = a.resize;
  if (r.channels < 16) {
    avx2::resize_linear_argmax(a, row_begin, row_end);
    return;
  }
  resize_linear(r, row_begin, row_end);
  const size_t w = static_cast<size_t>(r.out_w);
  avx2::argmax(ArgmaxArgs{r.out, r.channels, a.labels, a.confidence, a.softmax}, static_cast<size_t>(row_begin) * w,
               static_cast<size_t>(row_end) * w);
}

}  // namespace avx512vnni
}  // namespace kernels
}  // namespace attendseg
