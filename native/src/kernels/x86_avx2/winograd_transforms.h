// The AVX2 Winograd transforms of kernels.h, F(2x2, 3x3) and F(4x4, 3x3), for winograd.cpp: the
// input transform in int16 lanes across 16 input channels (every intermediate fits int16, and
// wrapping would cancel anyway since V does), the output transform in int32 lanes across 8
// output channels (16 where compiled with AVX-512), wrapping as kernels.h's sums do.
#pragma once
#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace attendseg {
namespace kernels {
namespace avx2 {
// Internal linkage, as requant.h.
namespace {

// How a 16-channel chunk is read from a pixel: all 16 in place; the last `tail` channels of a
// pixel with more than 16, as the 16 bytes ending at the pixel's end shifted down (never reading
// outside the pixel; lanes past the tail zero); or a pixel of fewer than 16 channels, read in place
// (its lanes past in_c meet zero weights) or, at the input's end, copied.
enum class Chunk { Full, Shifted, Copied };

struct InputCtx {
  int in_c;
  __m256i zp;     // in_zp in every lane: the value of pixels outside the image
  __m128i shift;  // Shifted: pshufb mask moving bytes [16 - tail, 16) to [0, tail), zeroing the rest
  uintptr_t in_end;  // the input's end: Copied reads a pixel's 16 bytes in place where they lie before it
};

template <Chunk C>
inline __m256i load_chunk(const uint8_t* px, int c0, const InputCtx& x) {
  if (!px) return x.zp;
  if (C == Chunk::Full) return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(px + c0)));
  if (C == Chunk::Shifted) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(px + x.in_c - 16));
    return _mm256_cvtepu8_epi16(_mm_shuffle_epi8(v, x.shift));
  }
  // Fewer than 16 channels: the 16 bytes from the pixel on, a copy only at the input's end (a copy
  // of run-time length per tap made 8 channels 1.7x slower than 16). The lanes past in_c then hold
  // the next pixels' bytes, which meet only the zero weights past in_c, or no weight at all.
  if (reinterpret_cast<uintptr_t>(px) + 16 <= x.in_end)
    return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(px)));
  alignas(16) uint8_t buf[16] = {};
  std::memcpy(buf, px, static_cast<size_t>(x.in_c));
  return _mm256_cvtepu8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(buf)));
}

// int32 lane operations of the output transform at either width: 8 output channels per ymm, or
// 16 per zmm where the file is compiled with AVX-512 (the avx512vnni table's copy).
inline __m256i add32(__m256i a, __m256i b) { return _mm256_add_epi32(a, b); }
inline __m256i sub32(__m256i a, __m256i b) { return _mm256_sub_epi32(a, b); }
template <int k>
inline __m256i shl32(__m256i a) { return _mm256_slli_epi32(a, k); }
template <int k>
inline __m256i sra32(__m256i a) { return _mm256_srai_epi32(a, k); }
inline __m256i sra32(__m256i a, int k) { return _mm256_srai_epi32(a, k); }  // k a constant once unrolled
inline __m256i mul32(__m256i a, int32_t b) { return _mm256_mullo_epi32(a, _mm256_set1_epi32(b)); }
#if defined(__AVX512F__)
inline __m512i add32(__m512i a, __m512i b) { return _mm512_add_epi32(a, b); }
inline __m512i sub32(__m512i a, __m512i b) { return _mm512_sub_epi32(a, b); }
template <int k>
inline __m512i shl32(__m512i a) { return _mm512_slli_epi32(a, k); }
template <int k>
inline __m512i sra32(__m512i a) { return _mm512_srai_epi32(a, k); }
inline __m512i sra32(__m512i a, int k) { return _mm512_srai_epi32(a, k); }
inline __m512i mul32(__m512i a, int32_t b) { return _mm512_mullo_epi32(a, _mm512_set1_epi32(b)); }
#endif

// The transforms of tile size T: window N = T + 2, P = N * N positions.
template <int T>
struct Wino;

template <>
struct Wino<2> {
  static constexpr int N = 4, P = 16;
  // B^T x for one column x of 4 vectors.
  static inline void bt(const __m256i (&d)[4], __m256i (&o)[4]) {
    o[0] = _mm256_sub_epi16(d[0], d[2]);
    o[1] = _mm256_add_epi16(d[1], d[2]);
    o[2] = _mm256_sub_epi16(d[2], d[1]);
    o[3] = _mm256_sub_epi16(d[1], d[3]);
  }
  // A^T x for one column x of 4 int32 vectors.
  template <class V>
  static inline void at(const V (&m)[4], V (&o)[2]) {
    o[0] = add32(add32(m[0], m[1]), m[2]);
    o[1] = sub32(sub32(m[1], m[2]), m[3]);
  }
  // y (i, j) from Y = A^T M A: Y is 4 y.
  template <class V>
  static inline V sum(V r, int, int) { return sra32<2>(r); }
};

template <>
struct Wino<4> {
  static constexpr int N = 6, P = 36;
  // B^T x, rows (4,0,-5,0,1,0), (0,-4,-4,1,1,0), (0,4,-4,-1,1,0), (0,-2,-1,2,1,0), (0,2,-1,-2,1,0),
  // (0,4,0,-5,0,1), through the shared terms d4 - 4 d2 +- (d3 - 4 d1) and d4 - d2 +- 2 (d3 - d1).
  static inline void bt(const __m256i (&d)[6], __m256i (&o)[6]) {
    const __m256i a = _mm256_sub_epi16(d[4], _mm256_slli_epi16(d[2], 2));
    const __m256i b = _mm256_sub_epi16(d[3], _mm256_slli_epi16(d[1], 2));
    const __m256i c = _mm256_sub_epi16(d[4], d[2]);
    const __m256i e = _mm256_slli_epi16(_mm256_sub_epi16(d[3], d[1]), 1);
    o[0] = _mm256_add_epi16(_mm256_slli_epi16(_mm256_sub_epi16(d[0], d[2]), 2), c);
    o[1] = _mm256_add_epi16(a, b);
    o[2] = _mm256_sub_epi16(a, b);
    o[3] = _mm256_add_epi16(c, e);
    o[4] = _mm256_sub_epi16(c, e);
    o[5] = _mm256_add_epi16(_mm256_slli_epi16(_mm256_sub_epi16(d[1], d[3]), 2), _mm256_sub_epi16(d[5], d[3]));
  }
  // A'^T x, rows (6,4,4,1,1,0), (0,4,-4,2,-2,0), (0,4,4,4,4,0), (0,4,-4,8,-8,24), with
  // p, q = m1 +- m2 and r, s = m3 +- m4: 2 (3 m0 + 2 p) + r, 2 (2 q + s), 4 (p + r), 4 (q + 2 (s + 3 m5)),
  // each row without its power-of-two factor 2^kRowShift[i] (1, 2, 4, 4): both passes leave them
  // out, and sum() takes them from its final shift instead (three shifts fewer per column).
  static constexpr int kRowShift[4] = {0, 1, 2, 2};
  template <class V>
  static inline void at(const V (&m)[6], V (&o)[4]) {
    const V p = add32(m[1], m[2]), q = sub32(m[1], m[2]);
    const V r = add32(m[3], m[4]), s = sub32(m[3], m[4]);
    const V m0x3 = add32(m[0], shl32<1>(m[0]));
    const V m5x3 = add32(m[5], shl32<1>(m[5]));
    o[0] = add32(shl32<1>(add32(m0x3, shl32<1>(p))), r);
    o[1] = add32(shl32<1>(q), s);
    o[2] = add32(p, r);
    o[3] = add32(q, shl32<1>(add32(s, m5x3)));
  }
  // y (i, j) from R = A'^T M' A' = 576 y, computed as R / 2^(kRowShift[i] + kRowShift[j]) =
  // 9 * 2^(6 - kRowShift[i] - kRowShift[j]) y (integers: each factor left out multiplies an
  // integer): times the inverse of 9 that is 2^(6 - ...) y (mod 2^32, and exactly while |y| < 2^25),
  // then the shift.
  template <class V>
  static inline V sum(V r, int i, int j) {
    return sra32(mul32(r, 0x38E38E39), 6 - kRowShift[i] - kRowShift[j]);
  }
};

// V = B^T d B for one chunk of one tile; px holds the N x N window pixels (row-major), null
// outside the image. dst is the tile's chunk in position 0; positions are pos_stride int16 apart.
template <int T, Chunk C>
inline void transform_chunk(const uint8_t* const (&px)[Wino<T>::P], int c0, const InputCtx& x, int16_t* dst,
                            size_t pos_stride) {
  constexpr int N = Wino<T>::N;
  __m256i t[N][N];  // B^T d: t[i][q]
  for (int q = 0; q < N; ++q) {
    __m256i d[N], o[N];
    for (int r = 0; r < N; ++r) d[r] = load_chunk<C>(px[N * r + q], c0, x);
    Wino<T>::bt(d, o);
    for (int i = 0; i < N; ++i) t[i][q] = o[i];
  }
  for (int i = 0; i < N; ++i) {  // (B^T d) B, row i
    __m256i v[N];
    Wino<T>::bt(t[i], v);
    for (int j = 0; j < N; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(dst + (N * i + j) * pos_stride), v[j]);
  }
}

// y of the T x T outputs of one tile from its P vectors of M (8 output channels per ymm, 16 per
// zmm): y[T * i + j].
template <int T, class V>
inline void transform_output(const V (&m)[Wino<T>::P], V (&y)[T * T]) {
  constexpr int N = Wino<T>::N;
  V s[T][N];  // A^T M: s[i][q]
  for (int q = 0; q < N; ++q) {
    V col[N], o[T];
    for (int p = 0; p < N; ++p) col[p] = m[N * p + q];
    Wino<T>::at(col, o);
    for (int i = 0; i < T; ++i) s[i][q] = o[i];
  }
#pragma GCC unroll 4
  for (int i = 0; i < T; ++i) {  // (A^T M) A, row i (unrolled: sum's shifts are then constants)
    V o[T];
    Wino<T>::at(s[i], o);
#pragma GCC unroll 4
    for (int j = 0; j < T; ++j) y[T * i + j] = Wino<T>::sum(o[j], i, j);
  }
}

}  // namespace
}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
