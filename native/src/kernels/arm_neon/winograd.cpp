// NEON Winograd F(2x2, 3x3) (kernels.h, WinogradKernel), bit-exact with scalar::winograd_run,
// for the neon table: against its widening GEMM (4 multiply-adds per SMLAL) Winograd does the
// work of 9 per SMLAL. The dot-product table offers it after im2col (its gemm_macs_per_insn): its
// SDOT GEMM does 16 per instruction.
//
// The structure of the AVX2 kernel: a run call (tiles of one tile row) transforms the input of
// every tile into scratch, V as int16 [pos][tile][cs] with cs = in_c rounded up to 8 (one
// 8-channel chunk per register); then per panel of 16 output channels and group of up to R = 4
// tiles, the 16 position GEMMs accumulate R x 16 int32 with SMLAL/SMLAL2 by lane (int16 x int16
// products, exact, as the neon GEMM) and leave M in a stack buffer, from which the output
// transform, the shift, the bias and the GEMM's requantization write the tiles' outputs.
//
// Packed weights: panels of 16 output channels, each position-major, then channel-major: for
// each in channel k (padded to cs) the panel's 16 U values. Channels past out_c or in_c are zero,
// so V's padding lanes never contribute.
#include <arm_neon.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/arm_neon/conv_ops.h"
#include "kernels/arm_neon/requant.h"
#include "kernels/row_blocks.h"
#include "kernels/winograd_tile.h"

namespace attendseg {
namespace kernels {
namespace neon {

namespace {

constexpr int kR = 4;  // tiles per micro-kernel call

inline int chan_stride(int in_c) { return (in_c + 7) & ~7; }
inline int panels_of(int out_c) { return (out_c + 15) / 16; }

// ---- input transform ------------------------------------------------------------------------

// How an 8-channel chunk is read from a pixel: all 8 in place; the last `tail` channels of a
// pixel with more than 8, as the 8 bytes ending at the pixel's end moved down by a table lookup
// (never reading outside the pixel; lanes past the tail zero); or a pixel of fewer than 8
// channels, read in place (its lanes past in_c meet zero weights) or, at the input's end, copied.
enum class Chunk { Full, Shifted, Copied };

struct InputCtx {
  int in_c;
  int16x8_t zp;   // in_zp in every lane: the value of pixels outside the image
  uint8x8_t idx;  // Shifted: TBL indices moving bytes [8 - tail, 8) to [0, tail), 0 elsewhere
  uintptr_t in_end;  // the input's end: Copied reads a pixel's 8 bytes in place where they lie before it
};

template <Chunk C>
inline int16x8_t load_chunk(const uint8_t* px, int c0, const InputCtx& x) {
  if (!px) return x.zp;
  uint8x8_t v;
  if (C == Chunk::Full) {
    v = vld1_u8(px + c0);
  } else if (C == Chunk::Shifted) {
    v = vtbl1_u8(vld1_u8(px + x.in_c - 8), x.idx);
  } else if (reinterpret_cast<uintptr_t>(px) + 8 <= x.in_end) {
    v = vld1_u8(px);  // a copy of run-time length per tap cost a library call each
  } else {
    uint8_t buf[8] = {};
    std::memcpy(buf, px, static_cast<size_t>(x.in_c));
    v = vld1_u8(buf);
  }
  return vreinterpretq_s16_u16(vmovl_u8(v));
}

// V = B^T d B for one chunk of one tile; px holds the 16 window pixels (row-major), null outside
// the image. dst is the tile's chunk in position 0; positions are pos_stride int16 apart.
template <Chunk C>
inline void transform_chunk(const uint8_t* const (&px)[16], int c0, const InputCtx& x, int16_t* dst,
                            size_t pos_stride) {
  int16x8_t t[16];
  for (int q = 0; q < 4; ++q) {  // B^T d, column q
    const int16x8_t d0 = load_chunk<C>(px[q], c0, x), d1 = load_chunk<C>(px[4 + q], c0, x);
    const int16x8_t d2 = load_chunk<C>(px[8 + q], c0, x), d3 = load_chunk<C>(px[12 + q], c0, x);
    t[q] = vsubq_s16(d0, d2);
    t[4 + q] = vaddq_s16(d1, d2);
    t[8 + q] = vsubq_s16(d2, d1);
    t[12 + q] = vsubq_s16(d1, d3);
  }
  for (int i = 0; i < 4; ++i) {  // (B^T d) B, row i
    const int16x8_t* r = t + 4 * i;
    vst1q_s16(dst + (4 * i + 0) * pos_stride, vsubq_s16(r[0], r[2]));
    vst1q_s16(dst + (4 * i + 1) * pos_stride, vaddq_s16(r[1], r[2]));
    vst1q_s16(dst + (4 * i + 2) * pos_stride, vsubq_s16(r[2], r[1]));
    vst1q_s16(dst + (4 * i + 3) * pos_stride, vsubq_s16(r[1], r[3]));
  }
}

void transform_input(const WinogradArgs& a, int ty, int tx_begin, int nt, int16_t* V) {
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  const int tail = a.in_c % 8;
  InputCtx x;
  x.in_c = a.in_c;
  x.zp = vdupq_n_s16(a.in_zp);
  uint8_t idx[8];
  for (int i = 0; i < 8; ++i) idx[i] = static_cast<uint8_t>(i < tail ? 8 - tail + i : 255);
  x.idx = vld1_u8(idx);
  x.in_end = reinterpret_cast<uintptr_t>(a.in + static_cast<size_t>(a.in_h) * a.in_w * a.in_c);
  const uint8_t* rows[4];
  winograd_tile_rows(a, ty, rows);
  for (int t = 0; t < nt; ++t) {
    const uint8_t* px[16];
    winograd_tile_pixels(a, rows, tx_begin + t, px);
    int16_t* dst = V + static_cast<size_t>(t) * cs;
    int c0 = 0;
    for (; c0 + 8 <= a.in_c; c0 += 8) transform_chunk<Chunk::Full>(px, c0, x, dst + c0, pos_stride);
    if (c0 < a.in_c) {
      if (a.in_c > 8)
        transform_chunk<Chunk::Shifted>(px, c0, x, dst + c0, pos_stride);
      else
        transform_chunk<Chunk::Copied>(px, c0, x, dst + c0, pos_stride);
    }
  }
}

// ---- position GEMMs and output transform -----------------------------------------------------

// One in channel: lane L of each tile's V register times the 16 U values at w.
template <int R, int L>
inline __attribute__((always_inline)) void step(const int16x8_t (&v)[R], const int16_t* w, int32x4_t (&acc)[R][4]) {
  const int16x8_t w0 = vld1q_s16(w), w1 = vld1q_s16(w + 8);
  for (int r = 0; r < R; ++r) {
    acc[r][0] = vmlal_laneq_s16(acc[r][0], vget_low_s16(w0), v[r], L);
    acc[r][1] = vmlal_high_laneq_s16(acc[r][1], w0, v[r], L);
    acc[r][2] = vmlal_laneq_s16(acc[r][2], vget_low_s16(w1), v[r], L);
    acc[r][3] = vmlal_high_laneq_s16(acc[r][3], w1, v[r], L);
  }
}

// acc = sum over cs channels of V of tile r x U.
template <int R>
inline __attribute__((always_inline)) void accumulate(const int16_t* v, int cs, const int16_t* w,
                                                      int32x4_t (&acc)[R][4]) {
  for (int k = 0; k < cs; k += 8, w += 8 * 16) {
    int16x8_t vv[R];
    for (int r = 0; r < R; ++r) vv[r] = vld1q_s16(v + static_cast<size_t>(r) * cs + k);
    step<R, 0>(vv, w + 0 * 16, acc);
    step<R, 1>(vv, w + 1 * 16, acc);
    step<R, 2>(vv, w + 2 * 16, acc);
    step<R, 3>(vv, w + 3 * 16, acc);
    step<R, 4>(vv, w + 4 * 16, acc);
    step<R, 5>(vv, w + 5 * 16, acc);
    step<R, 6>(vv, w + 6 * 16, acc);
    step<R, 7>(vv, w + 7 * 16, acc);
  }
}

struct PanelQ {
  int32x4_t bias[4];
  float32x4_t scale[4];
  int n0, nw;  // first channel, valid channels
};

// R tiles x one panel: M for every position into mb ([pos][tile][16] int32), then the outputs.
template <int R, class RK>
void tile_group(const WinogradArgs& a, int ty, int tx, const int16_t* v, size_t pos_stride, int cs,
                const int16_t* wpanel, const PanelQ& pq, const RK& rk, int32_t* mb) {
  const size_t wpos = static_cast<size_t>(cs) * 16;
  for (int pos = 0; pos < 16; ++pos) {
    int32x4_t acc[R][4];
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < 4; ++j) acc[r][j] = vdupq_n_s32(0);
    accumulate<R>(v + pos * pos_stride, cs, wpanel + pos * wpos, acc);
    for (int r = 0; r < R; ++r)
      for (int j = 0; j < 4; ++j) vst1q_s32(mb + (pos * R + r) * 16 + 4 * j, acc[r][j]);
  }
  for (int r = 0; r < R; ++r) {
    const int ox = 2 * (tx + r), oy = 2 * ty;
    int32x4_t y[4][4];  // [output (0,0), (0,1), (1,0), (1,1)][4 channels]
    for (int j = 0; j < 4; ++j) {
      int32x4_t m[16];
      for (int pos = 0; pos < 16; ++pos) m[pos] = vld1q_s32(mb + (pos * R + r) * 16 + 4 * j);
      int32x4_t s0[4], s1[4];  // M A: per row p, columns 0 and 1
      for (int p = 0; p < 4; ++p) {
        s0[p] = vaddq_s32(vaddq_s32(m[4 * p], m[4 * p + 1]), m[4 * p + 2]);
        s1[p] = vsubq_s32(vsubq_s32(m[4 * p + 1], m[4 * p + 2]), m[4 * p + 3]);
      }
      y[0][j] = vaddq_s32(vaddq_s32(s0[0], s0[1]), s0[2]);
      y[1][j] = vaddq_s32(vaddq_s32(s1[0], s1[1]), s1[2]);
      y[2][j] = vsubq_s32(vsubq_s32(s0[1], s0[2]), s0[3]);
      y[3][j] = vsubq_s32(vsubq_s32(s1[1], s1[2]), s1[3]);
      for (int k = 0; k < 4; ++k) y[k][j] = vaddq_s32(pq.bias[j], vshrq_n_s32(y[k][j], 2));
    }
    for (int k = 0; k < 4; ++k) {
      const int yy = oy + (k >> 1), xx = ox + (k & 1);
      if (yy >= a.out_h || xx >= a.out_w) continue;
      store_bytes(a.out + (static_cast<size_t>(yy) * a.out_w + xx) * a.out_c + pq.n0, requant16(y[k], pq.scale, rk),
                  pq.nw);
    }
  }
}

// Every panel for the nt tiles transformed into V. A function of its own, with its values as
// parameters (rk by value): in a lambda capturing them by reference, each byte store of the
// outputs may alias the captures, and they were reloaded throughout the tile loop.
template <class RK>
void run_panels(const WinogradArgs& a, int ty, int tx_begin, int nt, const int16_t* V, const RK rk) {
  const int cs = chan_stride(a.in_c);
  const size_t pos_stride = static_cast<size_t>(nt) * cs;
  alignas(16) int32_t mb[16 * kR * 16];
  const int16_t* w = reinterpret_cast<const int16_t*>(a.packed);
  for (int p = 0; p < panels_of(a.out_c); ++p) {
    PanelQ pq;
    pq.n0 = 16 * p;
    pq.nw = std::min(16, a.out_c - pq.n0);
    panel_q(a.rq.bias ? a.rq.bias + pq.n0 : nullptr, a.rq.scale + pq.n0, pq.nw, pq.bias, pq.scale);
    const int16_t* wpanel = w + static_cast<size_t>(p) * 16 * cs * 16;
    for_row_blocks<kR>(nt, [&](int t, auto tiles) {
      tile_group<decltype(tiles)::value>(a, ty, tx_begin + t, V + static_cast<size_t>(t) * cs, pos_stride, cs, wpanel,
                                         pq, rk, mb);
    });
  }
}

}  // namespace

size_t winograd_packed_bytes(int in_c, int out_c) {
  return sizeof(int16_t) * static_cast<size_t>(panels_of(out_c)) * 16 * chan_stride(in_c) * 16;
}

void winograd_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  std::vector<int16_t> u(static_cast<size_t>(out_c) * 16 * in_c);
  winograd_weights(w, in_c, out_c, u.data());
  int16_t* out = reinterpret_cast<int16_t*>(packed);
  for (int p = 0; p < panels_of(out_c); ++p)
    for (int pos = 0; pos < 16; ++pos)
      for (int k = 0; k < chan_stride(in_c); ++k)
        for (int c = 0; c < 16; ++c) {
          const int n = 16 * p + c;
          *out++ = (n < out_c && k < in_c) ? u[(static_cast<size_t>(n) * 16 + pos) * in_c + k] : 0;
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
  with_requant_consts(a.rq, [&](const auto& rk) { run_panels(a, ty, tx_begin, nt, V, rk); });
}

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
