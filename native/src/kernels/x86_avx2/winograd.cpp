// AVX2 Winograd F(2x2, 3x3) and F(4x4, 3x3) (kernels.h, WinogradKernel), bit-exact with
// scalar::winograd_run and scalar::winograd4_run; one driver for both tile sizes T, with the
// transforms in winograd_transforms.h (P = 16 or 36 positions).
//
// A run call (tiles of one tile row) first transforms the input of every tile into scratch:
// V as int16, [pos][tile][cs] with cs = in_c rounded up to 16, one 16-channel chunk per vector.
// Then, per panel of 16 output channels and group of up to R = 6 tiles, the P position GEMMs
// accumulate R x 16 int32 with _mm256_madd_epi16 over channel pairs (exact, as in the im2col
// GEMM) and leave M in a stack buffer, from which the output transform, the bias and the GEMM's
// requantization write the tiles' outputs. Everything a call touches stays in L2.
//
// Packed weights: panels of 16 output channels (the last one 8 wide when out_c % 16 <= 8), each
// position-major, then channel-pair major: for each pair (2kp, 2kp+1) the panel's U pairs
// interleaved as u[n][2kp], u[n][2kp+1] (the GEMM's panel layout, once per position). Channels
// past out_c and the odd channel past in_c are zero, so V's padding lanes never contribute.
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/x86_avx2/madd16_accumulate.h"
#include "kernels/x86_avx2/requant.h"
#include "kernels/x86_avx2/winograd_transforms.h"
#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kR = 6;  // tiles per micro-kernel call

inline int chan_stride(int in_c) { return (in_c + 15) & ~15; }

template <int T>
void transform_input(const WinogradArgs& a, int ty, int tx_begin, int nt, int16_t* V) {
  constexpr int N = Wino<T>::N;
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  const int tail = a.in_c % 16;
  InputCtx x;
  x.in_c = a.in_c;
  x.zp = _mm256_set1_epi16(a.in_zp);
  alignas(16) int8_t mask[16];
  for (int i = 0; i < 16; ++i) mask[i] = static_cast<int8_t>(i < tail ? 16 - tail + i : -128);
  x.shift = _mm_load_si128(reinterpret_cast<const __m128i*>(mask));
  const uint8_t* rows[N];
  winograd_tile_rows<T>(a, ty, rows);
  for (int t = 0; t < nt; ++t) {
    const uint8_t* px[N * N];
    winograd_tile_pixels<T>(a, rows, tx_begin + t, px);
    int16_t* dst = V + static_cast<size_t>(t) * cs;
    int c0 = 0;
    for (; c0 + 16 <= a.in_c; c0 += 16) transform_chunk<T, Chunk::Full>(px, c0, x, dst + c0, pos_stride);
    if (c0 < a.in_c) {
      if (a.in_c > 16)
        transform_chunk<T, Chunk::Shifted>(px, c0, x, dst + c0, pos_stride);
      else
        transform_chunk<T, Chunk::Copied>(px, c0, x, dst + c0, pos_stride);
    }
  }
}

struct PanelQ {
  __m256i bias[2];
  __m256 scale[2];
  int n0, nw;  // first channel, valid channels
};

// R tiles x one panel: M for every position into mb ([pos][tile][16] int32), then the outputs.
template <int T, int R, int NR>
void tile_group(const WinogradArgs& a, int ty, int tx, const int16_t* v, size_t pos_stride, int cs, int kpairs,
                const int16_t* wpanel, size_t wpos, const PanelQ& pq, const RequantConsts& rk, int32_t* mb) {
  constexpr int P = Wino<T>::P;
  for (int pos = 0; pos < P; ++pos) {
    __m256i acc[R][NR];
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NR; ++j) acc[r][j] = _mm256_setzero_si256();
    accumulate<R, NR>(v + pos * pos_stride, cs, kpairs, wpanel + pos * wpos, acc);
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < NR; ++j) _mm256_store_si256(reinterpret_cast<__m256i*>(mb + (pos * R + r) * 16 + 8 * j), acc[r][j]);
  }
  const size_t px_stride = static_cast<size_t>(a.out_c);
  const int oy = T * ty;
  for (int r = 0; r < R; ++r) {
    const int ox = T * (tx + r);
    __m256i q[T * T][2];  // requantized outputs (i, j) at T * i + j
    for (int j = 0; j < NR; ++j) {
      __m256i m[P], y[T * T];
      for (int pos = 0; pos < P; ++pos)
        m[pos] = _mm256_load_si256(reinterpret_cast<const __m256i*>(mb + (pos * R + r) * 16 + 8 * j));
      transform_output<T>(m, y);
      for (int k = 0; k < T * T; ++k) q[k][j] = requant_i32(_mm256_add_epi32(pq.bias[j], y[k]), pq.scale[j], rk);
    }
    for (int k = 0; k < T * T; ++k) {
      const int yy = oy + k / T, xx = ox + k % T;
      if (yy >= a.out_h || xx >= a.out_w) continue;
      store_bytes(a.out + (static_cast<size_t>(yy) * a.out_w + xx) * px_stride + pq.n0,
                  narrow_clamp_16(q[k][0], q[k][NR - 1], rk), pq.nw);
    }
  }
}

template <int T, int NR>
void panel(const WinogradArgs& a, int ty, int tx_begin, int nt, const int16_t* V, int kpairs, const int16_t* wpanel,
           const PanelQ& pq, const RequantConsts& rk, int32_t* mb) {
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  const size_t wpos = static_cast<size_t>(kpairs) * 16 * NR;
  for_row_blocks<kR>(nt, [&](int t, auto tiles) {
    tile_group<T, decltype(tiles)::value, NR>(a, ty, tx_begin + t, V + static_cast<size_t>(t) * cs, pos_stride, cs,
                                              kpairs, wpanel, wpos, pq, rk, mb);
  });
}

template <int T>
size_t packed_bytes(int in_c, int out_c) {
  return sizeof(int16_t) * Wino<T>::P * 2 * static_cast<size_t>(kpairs_of(in_c)) * padded_channels(panel_layout(out_c));
}

// u: [out_c][P][in_c], from winograd_weights or winograd4_weights.
template <int T>
void pack(const std::vector<int16_t>& u, int in_c, int out_c, uint8_t* packed) {
  constexpr int P = Wino<T>::P;
  const PanelLayout l = panel_layout(out_c);
  const int kpairs = kpairs_of(in_c);
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    for (int pos = 0; pos < P; ++pos)
      for (int kp = 0; kp < kpairs; ++kp)
        for (int c = 0; c < width; ++c) {
          const int n = 16 * p + c;
          for (int i = 0; i < 2; ++i) {
            const int k = 2 * kp + i;
            *out++ = (n < out_c && k < in_c) ? u[(static_cast<size_t>(n) * P + pos) * in_c + k] : 0;
          }
        }
  }
}

template <int T>
size_t scratch_bytes(int in_c, int tiles) {
  return sizeof(int16_t) * Wino<T>::P * static_cast<size_t>(tiles) * chan_stride(in_c);
}

template <int T>
void run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  constexpr int P = Wino<T>::P;
  const int nt = tx_end - tx_begin;
  if (nt <= 0 || a.out_c <= 0) return;
  int16_t* V = static_cast<int16_t*>(scratch);
  transform_input<T>(a, ty, tx_begin, nt, V);
  const PanelLayout l = panel_layout(a.out_c);
  const int kpairs = kpairs_of(a.in_c);
  const RequantConsts rk(a.rq);
  alignas(32) int32_t mb[P * kR * 16];
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
    const int16_t* wpanel = w + static_cast<size_t>(p) * P * kpairs * 32;
    if (p < l.full || l.tail_width == 16)
      panel<T, 2>(a, ty, tx_begin, nt, V, kpairs, wpanel, pq, rk, mb);
    else
      panel<T, 1>(a, ty, tx_begin, nt, V, kpairs, wpanel, pq, rk, mb);
  }
}

}  // namespace

size_t winograd_packed_bytes(int in_c, int out_c) { return packed_bytes<2>(in_c, out_c); }

void winograd_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  std::vector<int16_t> u(static_cast<size_t>(out_c) * 16 * in_c);
  winograd_weights(w, in_c, out_c, u.data());
  pack<2>(u, in_c, out_c, packed);
}

size_t winograd_scratch_bytes(int in_c, int tiles) { return scratch_bytes<2>(in_c, tiles); }

void winograd_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  run<2>(a, ty, tx_begin, tx_end, scratch);
}

size_t winograd4_packed_bytes(int in_c, int out_c) { return packed_bytes<4>(in_c, out_c); }

void winograd4_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  std::vector<int16_t> u(static_cast<size_t>(out_c) * 36 * in_c);
  winograd4_weights(w, in_c, out_c, u.data());
  pack<4>(u, in_c, out_c, packed);
}

size_t winograd4_scratch_bytes(int in_c, int tiles) { return scratch_bytes<4>(in_c, tiles); }

void winograd4_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  run<4>(a, ty, tx_begin, tx_end, scratch);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
