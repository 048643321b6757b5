// AVX2 Winograd F(2x2, 3x3) (kernels.h, WinogradKernel), bit-exact with scalar::winograd_run.
//
// A run call (tiles of one tile row) first transforms the input of every tile into scratch:
// V as int16, [pos][tile][cs] with cs = in_c rounded up to 16, one 16-channel chunk per vector.
// Then, per panel of 16 output channels and group of up to R = 6 tiles, the 16 position GEMMs
// accumulate R x 16 int32 with _mm256_madd_epi16 over channel pairs (exact, as in the im2col
// GEMM) and leave M in a stack buffer, from which the output transform, the shift, the bias and
// the GEMM's requantization write the tiles' outputs. Everything a call touches stays in L2.
//
// Packed weights: panels of 16 output channels (the last one 8 wide when out_c % 16 <= 8), each
// position-major, then channel-pair major: for each pair (2kp, 2kp+1) the panel's U pairs
// interleaved as u[n][2kp], u[n][2kp+1] (the GEMM's panel layout, once per position). Channels
// past out_c and the odd channel past in_c are zero, so V's padding lanes never contribute.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"
#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kR = 6;  // tiles per micro-kernel call

inline int chan_stride(int in_c) { return (in_c + 15) & ~15; }

// ---- input transform ------------------------------------------------------------------------

// How a 16-channel chunk is read from a pixel: all 16 in place; the last `tail` channels of a
// pixel with more than 16, as the 16 bytes ending at the pixel's end shifted down (never reading
// outside the pixel); or a pixel of fewer than 16 channels, copied. Lanes past in_c are zero.
enum class Chunk { Full, Shifted, Copied };

struct InputCtx {
  int in_c;
  __m256i zp;     // in_zp in every lane: the value of pixels outside the image
  __m128i shift;  // Shifted: pshufb mask moving bytes [16 - tail, 16) to [0, tail), zeroing the rest
};

template <Chunk C>
inline __m256i load_chunk(const uint8_t* px, int c0, const InputCtx& x) {
  if (!px) return x.zp;
  if (C == Chunk::Full) return _mm256_cvtepu8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(px + c0)));
  if (C == Chunk::Shifted) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(px + x.in_c - 16));
    return _mm256_cvtepu8_epi16(_mm_shuffle_epi8(v, x.shift));
  }
  alignas(16) uint8_t buf[16] = {};
  std::memcpy(buf, px, static_cast<size_t>(x.in_c));
  return _mm256_cvtepu8_epi16(_mm_load_si128(reinterpret_cast<const __m128i*>(buf)));
}

// V = B^T d B for one chunk of one tile; px holds the 16 window pixels (row-major), null outside
// the image. dst is the tile's chunk in position 0; positions are pos_stride int16 apart.
template <Chunk C>
inline void transform_chunk(const uint8_t* const (&px)[16], int c0, const InputCtx& x, int16_t* dst,
                            size_t pos_stride) {
  __m256i t[16];
  for (int q = 0; q < 4; ++q) {  // B^T d, column q
    const __m256i d0 = load_chunk<C>(px[q], c0, x), d1 = load_chunk<C>(px[4 + q], c0, x);
    const __m256i d2 = load_chunk<C>(px[8 + q], c0, x), d3 = load_chunk<C>(px[12 + q], c0, x);
    t[q] = _mm256_sub_epi16(d0, d2);
    t[4 + q] = _mm256_add_epi16(d1, d2);
    t[8 + q] = _mm256_sub_epi16(d2, d1);
    t[12 + q] = _mm256_sub_epi16(d1, d3);
  }
  for (int i = 0; i < 4; ++i) {  // (B^T d) B, row i
    const __m256i* r = t + 4 * i;
    const __m256i v[4] = {_mm256_sub_epi16(r[0], r[2]), _mm256_add_epi16(r[1], r[2]), _mm256_sub_epi16(r[2], r[1]),
                          _mm256_sub_epi16(r[1], r[3])};
    for (int j = 0; j < 4; ++j)
      _mm256_store_si256(reinterpret_cast<__m256i*>(dst + (4 * i + j) * pos_stride), v[j]);
  }
}

void transform_input(const WinogradArgs& a, int ty, int tx_begin, int nt, int16_t* V) {
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  const int tail = a.in_c % 16;
  InputCtx x;
  x.in_c = a.in_c;
  x.zp = _mm256_set1_epi16(a.in_zp);
  alignas(16) int8_t mask[16];
  for (int i = 0; i < 16; ++i) mask[i] = static_cast<int8_t>(i < tail ? 16 - tail + i : -128);
  x.shift = _mm_load_si128(reinterpret_cast<const __m128i*>(mask));
  const uint8_t* rows[4];
  winograd_tile_rows(a, ty, rows);
  for (int t = 0; t < nt; ++t) {
    const uint8_t* px[16];
    winograd_tile_pixels(a, rows, tx_begin + t, px);
    int16_t* dst = V + static_cast<size_t>(t) * cs;
    int c0 = 0;
    for (; c0 + 16 <= a.in_c; c0 += 16) transform_chunk<Chunk::Full>(px, c0, x, dst + c0, pos_stride);
    if (c0 < a.in_c) {
      if (a.in_c > 16)
        transform_chunk<Chunk::Shifted>(px, c0, x, dst + c0, pos_stride);
      else
        transform_chunk<Chunk::Copied>(px, c0, x, dst + c0, pos_stride);
    }
  }
}

// ---- position GEMMs and output transform -----------------------------------------------------

struct PanelQ {
  __m256i bias[2];
  __m256 scale[2];
  int n0, nw;  // first channel, valid channels
};

// R tiles x one panel: M for every position into mb ([pos][tile][16] int32), then the outputs.
template <int R, int NR>
void tile_group(const WinogradArgs& a, int ty, int tx, const int16_t* v, size_t pos_stride, int cs, int kpairs,
                const int16_t* wpanel, size_t wpos, const PanelQ& pq, const RequantConsts& rk, int32_t* mb) {
  for (int pos = 0; pos < 16; ++pos) {
    __m256i acc[R][NR];
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NR; ++j) acc[r][j] = _mm256_setzero_si256();
    accumulate<R, NR>(v + pos * pos_stride, cs, kpairs, wpanel + pos * wpos, acc);
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NR; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(mb + (pos * R + r) * 16 + 8 * j), acc[r][j]);
  }
  const size_t px_stride = static_cast<size_t>(a.out_c);
  for (int r = 0; r < R; ++r) {
    const int ox = 2 * (tx + r), oy = 2 * ty;
    __m256i q[4][2];  // requantized outputs (i, j) = (0,0), (0,1), (1,0), (1,1)
    for (int j = 0; j < NR; ++j) {
      __m256i m[16];
      for (int pos = 0; pos < 16; ++pos)
        m[pos] = _mm256_load_si256(reinterpret_cast<const __m256i*>(mb + (pos * R + r) * 16 + 8 * j));
      __m256i s0[4], s1[4];  // M A: per row p, columns 0 and 1
      for (int p = 0; p < 4; ++p) {
        s0[p] = _mm256_add_epi32(_mm256_add_epi32(m[4 * p], m[4 * p + 1]), m[4 * p + 2]);
        s1[p] = _mm256_sub_epi32(_mm256_sub_epi32(m[4 * p + 1], m[4 * p + 2]), m[4 * p + 3]);
      }
      const __m256i y[4] = {_mm256_add_epi32(_mm256_add_epi32(s0[0], s0[1]), s0[2]),
                            _mm256_add_epi32(_mm256_add_epi32(s1[0], s1[1]), s1[2]),
                            _mm256_sub_epi32(_mm256_sub_epi32(s0[1], s0[2]), s0[3]),
                            _mm256_sub_epi32(_mm256_sub_epi32(s1[1], s1[2]), s1[3])};
      for (int k = 0; k < 4; ++k)
        q[k][j] = requant_i32(_mm256_add_epi32(pq.bias[j], _mm256_srai_epi32(y[k], 2)), pq.scale[j], rk);
    }
    for (int k = 0; k < 4; ++k) {
      const int yy = oy + (k >> 1), xx = ox + (k & 1);
      if (yy >= a.out_h || xx >= a.out_w) continue;
      store_bytes(a.out + (static_cast<size_t>(yy) * a.out_w + xx) * px_stride + pq.n0,
                  narrow_clamp_16(q[k][0], q[k][NR - 1], rk), pq.nw);
    }
  }
}

template <int NR>
void panel(const WinogradArgs& a, int ty, int tx_begin, int nt, const int16_t* V, int kpairs, const int16_t* wpanel,
           const PanelQ& pq, const RequantConsts& rk, int32_t* mb) {
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  const size_t wpos = static_cast<size_t>(kpairs) * 16 * NR;
  for_row_blocks<kR>(nt, [&](int t, auto tiles) {
    tile_group<decltype(tiles)::value, NR>(a, ty, tx_begin + t, V + static_cast<size_t>(t) * cs, pos_stride, cs,
                                           kpairs, wpanel, wpos, pq, rk, mb);
  });
}

}  // namespace

size_t winograd_packed_bytes(int in_c, int out_c) {
  return sizeof(int16_t) * 16 * 2 * static_cast<size_t>(kpairs_of(in_c)) * padded_channels(panel_layout(out_c));
}

void winograd_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  std::vector<int16_t> u(static_cast<size_t>(out_c) * 16 * in_c);
  winograd_weights(w, in_c, out_c, u.data());
  const PanelLayout l = panel_layout(out_c);
  const int kpairs = kpairs_of(in_c);
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    for (int pos = 0; pos < 16; ++pos)
      for (int kp = 0; kp < kpairs; ++kp)
        for (int c = 0; c < width; ++c) {
          const int n = 16 * p + c;
          for (int i = 0; i < 2; ++i) {
            const int k = 2 * kp + i;
            *out++ = (n < out_c && k < in_c) ? u[(static_cast<size_t>(n) * 16 + pos) * in_c + k] : 0;
          }
        }
  }
}

size_t winograd_scratch_bytes(int in_c, int tiles) {
  return sizeof(int16_t) * 16 * static_cast<size_t>(tiles) * chan_stride(in_c);
}

void winograd_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  const int nt = tx_end - tx_begin;
  if (nt <= 0 || a.out_c <= 0) return;
  int16_t* V = static_cast<int16_t*>(scratch);
  transform_input(a, ty, tx_begin, nt, V);
  const PanelLayout l = panel_layout(a.out_c);
  const int kpairs = kpairs_of(a.in_c);
  const RequantConsts rk(a.rq);
  alignas(32) int32_t mb[16 * kR * 16];
  const int16_t* w = reinterpret_cast<const int16_t*>(a.packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    PanelQ pq;
    pq.n0 = 16 * p;
    pq.nw = std::min(16, a.out_c - pq.n0);
    // Bias and scale of a partial panel are read through padded copies so no lane reads past out_c.
    alignas(32) int32_t bpad[16] = {};
    alignas(32) float spad[16] = {};
    for (int i = 0; i < pq.nw; ++i) {
      bpad[i] = a.rq.bias ? a.rq.bias[pq.n0 + i] : 0;
      spad[i] = a.rq.scale[pq.n0 + i];
    }
    for (int j = 0; j < 2; ++j) {
      pq.bias[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(bpad + 8 * j));
      pq.scale[j] = _mm256_load_ps(spad + 8 * j);
    }
    const int16_t* wpanel = w + static_cast<size_t>(p) * 16 * kpairs * 32;
    if (p < l.full || l.tail_width == 16)
      panel<2>(a, ty, tx_begin, nt, V, kpairs, wpanel, pq, rk, mb);
    else
      panel<1>(a, ty, tx_begin, nt, V, kpairs, wpanel, pq, rk, mb);
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
