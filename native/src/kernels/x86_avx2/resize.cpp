// Nearest and bilinear resize, NHWC uint8, AVX2. Bit-identical to scalar/resize.cpp.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "kernels/resize_linear_rows.h"
#include "kernels/scalar/other_ops.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  resize_nearest_rows<Moves>(a, row_begin, row_end);
}

namespace {

// Dequantized input rows for resize_linear_dense, two slots, as an output row reads two source
// rows. Expanded to the output's x positions for the flat path: of a source row y, at flat index
// j = ox*C + c, x0[j] = X(in[y][xs.i0[ox]][c]) and x1[j] = X(in[y][xs.i1[ox]][c]). Where pixels
// of certain label are skipped, the rows are kept as they are (deq per slot) and expanded only for
// a row group that takes the flat path: expanding whole rows costs more than computing the few
// pixels a group usually needs, one by one.
struct ExpandedRows {
  AlignedArray<float> deq[2];        // dequantized source rows, padded for 8-float reads: per slot
                                     // when skipping, else deq[0] is the row being expanded
  AlignedArray<float> x0[2], x1[2];  // per slot, padded for the spilling 8-float copies
  bool expanded[2] = {false, false};  // per slot: x0 and x1 hold its row
  std::vector<uint8_t> dom[2];      // per slot, with labels: dominant_row of the source row
  int row[2] = {-1, -1};
};

// An upscale's output columns take their label from a source column pair (i0, i0 + 1), or from
// one column at the ends (i0 == i1). Where every 16 consecutive output columns read pairs within
// 16 of the first's, a vpshufb per 16 columns gathers the pairs' labels (the per-column loop
// cost about 4 cycles a column, 0.15 ms of a 512x512 frame's last Resize).
struct ColumnShuffle {
  bool on = false;
  std::vector<uint8_t> pair;    // per source column j: the label columns j and j + 1 agree on
  std::vector<uint8_t> offset;  // per output column: its i0 less its block's first column's
  std::vector<int32_t> base;    // per block of 16 output columns: its first column's i0
  std::vector<int32_t> ends;    // the output columns with i0 == i1
  void plan(const ResizeAxis& xs, int in_w, int out_w) {
    const int blocks = (out_w + 15) / 16;
    offset.assign(static_cast<size_t>(blocks) * 16, 0);
    base.resize(blocks);
    ends.clear();
    if (pair.size() < static_cast<size_t>(in_w) + 16) pair.resize(static_cast<size_t>(in_w) + 16);
    on = true;
    for (int ox = 0; ox < out_w && on; ++ox) {
      const int b = ox / 16, i0 = xs.i0[ox], i1 = xs.i1[ox];
      if (ox % 16 == 0) base[b] = i0;
      const int d = i0 - base[b];
      on = d >= 0 && d < 16 && (i1 == i0 || i1 == i0 + 1);
      offset[ox] = static_cast<uint8_t>(d);
      if (i1 == i0) ends.push_back(ox);
    }
  }
  // The output columns' labels (label padded to a multiple of 16) from col, the source columns'.
  void labels(const uint8_t* col, const int32_t* i0, int in_w, uint8_t* label) {
    for (int j = 0; j + 1 < in_w; ++j) pair[j] = col[j] == col[j + 1] ? col[j] : kResizeLabelUnsure;
    for (size_t b = 0; b < base.size(); ++b)
      _mm_storeu_si128(reinterpret_cast<__m128i*>(label + 16 * b),
                       _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(pair.data() + base[b])),
                                        _mm_loadu_si128(reinterpret_cast<const __m128i*>(offset.data() + 16 * b))));
    for (int ox : ends) label[ox] = col[i0[ox]];
  }
};

// Per-thread buffers that only grow: no heap allocation per frame once a plan size has run.
struct DenseScratch {
  AlignedArray<float> wx0, wx1;
  ExpandedRows rows;
  std::vector<uint8_t> column;  // with labels: per source column, the label both source rows agree on
  std::vector<uint8_t> label;   // with labels: per output column, the certain label or kResizeLabelUnsure
  ColumnShuffle shuffle;        // with labels: how output columns take their labels (upscales)
  std::vector<int32_t> positions;  // the output columns where label is kResizeLabelUnsure
};

// Per source pixel of row q (w pixels of C < 16 channels): the channel ahead of every other by at
// least 2, or kResizeLabelUnsure (kernels.h ResizeArgmaxArgs): the first channel holding the top
// value, where it is the only channel within 1 of the top. Two pixels per ymm, one per 128-bit
// lane, channels past C zeroed (a zero within 1 of the top means a top of at most 1: no channel
// is then 2 ahead of the others anyway).
void dominant_row(const uint8_t* q, int w, int C, uint8_t* dom) {
  if (C == 1) {
    std::memset(dom, 0, static_cast<size_t>(w));
    return;
  }
  const size_t row_bytes = static_cast<size_t>(w) * C;
  auto load16 = [&](int x) {
    const size_t at = static_cast<size_t>(x) * C;
    if (at + 16 <= row_bytes) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q + at));
    alignas(16) uint8_t tmp[16] = {};  // the row's last pixels: no read past it
    std::memcpy(tmp, q + at, static_cast<size_t>(C));
    return _mm_load_si128(reinterpret_cast<const __m128i*>(tmp));
  };
  const uint32_t lanes = (1u << C) - 1;  // the valid bytes of one pixel's movemask half
  const __m256i valid = _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(C)),
                                          _mm256_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1,
                                                           2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  for (int x = 0; x < w; x += 2) {
    const int x1 = x + 1 < w ? x + 1 : x;
    const __m256i v = _mm256_and_si256(_mm256_inserti128_si256(_mm256_castsi128_si256(load16(x)), load16(x1), 1), valid);
    // Each lane's top value in all its bytes.
    __m256i m = _mm256_max_epu8(v, _mm256_shuffle_epi32(v, 0x4E));
    m = _mm256_max_epu8(m, _mm256_shuffle_epi32(m, 0xB1));
    m = _mm256_max_epu8(m, _mm256_srli_epi32(m, 16));
    m = _mm256_max_epu8(m, _mm256_srli_epi16(m, 8));
    const __m256i top = _mm256_shuffle_epi8(m, _mm256_setzero_si256());
    const uint32_t at_top = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, top)));
    const __m256i near_floor = _mm256_subs_epu8(top, _mm256_set1_epi8(1));
    const uint32_t near = static_cast<uint32_t>(
        _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_max_epu8(v, near_floor), v)));
    dom[x] = __builtin_popcount(near & lanes) == 1 ? static_cast<uint8_t>(__builtin_ctz(at_top & lanes))
                                                   : kResizeLabelUnsure;
    if (x1 != x)
      dom[x1] = __builtin_popcount((near >> 16) & lanes) == 1 ? static_cast<uint8_t>(__builtin_ctz((at_top >> 16) & lanes))
                                                              : kResizeLabelUnsure;
  }
}

// ((w11*X11 + w21*X21) + w12*X12) + w22*X22 on 8 lanes, the reference's order (kernels.h
// "Resize"), the X from p11..p22.
inline __m256 blend(__m256 w11, const float* p11, __m256 w21, const float* p21, __m256 w12, const float* p12, __m256 w22,
                    const float* p22) {
  __m256 v = _mm256_mul_ps(w11, _mm256_loadu_ps(p11));
  v = _mm256_add_ps(v, _mm256_mul_ps(w21, _mm256_loadu_ps(p21)));
  v = _mm256_add_ps(v, _mm256_mul_ps(w12, _mm256_loadu_ps(p12)));
  return _mm256_add_ps(v, _mm256_mul_ps(w22, _mm256_loadu_ps(p22)));
}

// k * X on 8 lanes, the X from p (k = 1: X itself).
template <int k>
inline __m256 times(const float* p) {
  const __m256 x = _mm256_loadu_ps(p);
  return k == 1 ? x : _mm256_mul_ps(_mm256_set1_ps(static_cast<float>(k)), x);
}
// blend of linear_rows' sixteenths pixels, 16 times larger: ((k11*X11 + k21*X21) + k12*X12) + k22*X22
// with the 1/16 at kOne.
template <int kOne>
inline __m256 blend_sixteenths(const float* p11, const float* p21, const float* p12, const float* p22) {
  __m256 v = _mm256_add_ps(times<sixteenths_of(0, kOne)>(p11), times<sixteenths_of(1, kOne)>(p21));
  v = _mm256_add_ps(v, times<sixteenths_of(2, kOne)>(p12));
  return _mm256_add_ps(v, times<sixteenths_of(3, kOne)>(p22));
}

// Copies each output pixel's C floats (C < 16) with 8-float moves whose spill past the pixel
// is overwritten by the next one.
void expand(const float* deq, const int32_t* idx, int out_w, int C, float* dst) {
  for (int ox = 0; ox < out_w; ++ox) {
    const float* s = deq + static_cast<size_t>(idx[ox]) * C;
    float* d = dst + static_cast<size_t>(ox) * C;
    _mm256_storeu_ps(d, _mm256_loadu_ps(s));
    if (C > 8) _mm256_storeu_ps(d + 8, _mm256_loadu_ps(s + 8));
  }
}

// Source row y dequantized, X(q) of kernels.h, into f (in_w * channels floats).
void dequantize_row(const ResizeArgs& a, int y, float* f) {
  const int n = a.in_w * a.channels;
  const __m256i vzp = _mm256_set1_epi32(a.in_zp);
  const __m256 vs = _mm256_set1_ps(a.in_scale);
  const uint8_t* q = a.in + static_cast<size_t>(y) * n;
  int i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(f + i, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(load8_u8_epi32(q + i), vzp)), vs));
  for (; i < n; ++i) f[i] = static_cast<float>(q[i] - a.in_zp) * a.in_scale;
}

// Slot `slot`'s x0 and x1 from its source row dequantized in deq.
void expand_slot(const ResizeArgs& a, const float* deq, ExpandedRows* r, int slot) {
  expand(deq, a.xs->i0.data(), a.out_w, a.channels, r->x0[slot].data());
  expand(deq, a.xs->i1.data(), a.out_w, a.channels, r->x1[slot].data());
  r->expanded[slot] = true;
}

// The slots holding rows y0 and y1, filling whichever is not there into a slot the other does
// not use: expanded, or with `skipping` dequantized and with its dominant channels.
void fetch_rows(const ResizeArgs& a, int y0, int y1, bool skipping, ExpandedRows* r, int* s0, int* s1) {
  const int want[2] = {y0, y1};
  int* dst[2] = {s0, s1};
  for (int k = 0; k < 2; ++k) {
    bool fresh;
    const int slot = row_slot(r->row, want[k], y0, y1, &fresh);
    if (fresh) {
      if (skipping) {
        dequantize_row(a, want[k], r->deq[slot].data());
        dominant_row(a.in + static_cast<size_t>(want[k]) * a.in_w * a.channels, a.in_w, a.channels, r->dom[slot].data());
        r->expanded[slot] = false;
      } else {
        dequantize_row(a, want[k], r->deq[0].data());
        expand_slot(a, r->deq[0].data(), r, slot);
      }
      r->row[slot] = want[k];
    }
    *dst[k] = slot;
  }
}

// The positions of kResizeLabelUnsure in label[0, n), in order, into pos; returns their count.
// One loop over the positions afterwards: runs of a few pixels each would cost a branch
// misprediction per run.
int unsure_positions(const uint8_t* label, int n, int32_t* pos) {
  const __m256i u = _mm256_set1_epi8(static_cast<char>(kResizeLabelUnsure));
  int count = 0;
  for (int i = 0; i < n; i += 32) {
    uint32_t m = 0;
    if (i + 32 <= n) {
      m = static_cast<uint32_t>(_mm256_movemask_epi8(
          _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(label + i)), u)));
    } else {
      for (int j = i; j < n; ++j) m |= static_cast<uint32_t>(label[j] == kResizeLabelUnsure) << (j - i);
    }
    for (; m; m &= m - 1) pos[count++] = i + __builtin_ctz(m);
  }
  return count;
}

// The label (argmax: the first of the largest) of one pixel of C <= 16 channels from its 16
// int16 values as Quantize8::bytes16 leaves them, before the byte clamp: each value clamped to
// [0, 255] becomes argmax's key (argmax_keys), and the smallest key wins.
struct Labels16 {
  __m256i channel;  // per int16 lane, its channel, or 0xFFFF for lanes past C (they never win)
  explicit Labels16(int C) {
    // bytes16's lanes: channels 0-3 of v0, 0-3 of v1 (8-11), then 4-7 of v0, 4-7 of v1 (12-15).
    alignas(32) int16_t c[16];
    for (int lane = 0; lane < 16; ++lane) {
      const int ch = (lane % 8) / 4 * 8 + lane / 8 * 4 + lane % 4;
      c[lane] = static_cast<int16_t>(ch < C ? ch : 0xFFFF);
    }
    channel = _mm256_load_si256(reinterpret_cast<const __m256i*>(c));
  }
  uint8_t label(__m256i w) const {
    const __m256i x = _mm256_min_epi16(_mm256_max_epi16(w, _mm256_setzero_si256()), _mm256_set1_epi16(255));
    return smallest_key_channel(argmax_keys(x, channel));
  }
};

// The channel counts resize_linear_dense takes.
bool dense_path(const ResizeArgs& a) {
  return a.channels < 16 && a.channels % 8 != 0 && static_cast<int64_t>(a.out_w) * a.channels >= 8;
}

// Channel counts under 16 that are not a multiple of 8: an output row is one run of out_w*C
// values, 8 per vector (the last block overlapping), from the expanded rows and the x weights
// spread per value. Per lane the scalar operations in the scalar order: w11 = wx0*wy0 ...,
// v = ((w11*X11 + w21*X21) + w12*X12) + w22*X22, divided by the output scale (Quantize8), rounded.
// With labels (resize_linear_argmax): the rows' argmax (and confidence) too, and without
// confidence where resize_labels_may_skip holds, only the pixels without a certain label (their
// four source pixels do not share a dominant channel) are computed, pixel by pixel from the
// dequantized rows with the same operations; the others' values in a.out are left as they were.
template <Quotient kQuotient, bool kBounded>
void dense_rows(const ResizeArgs& a, int row_begin, int row_end, uint8_t* labels, uint8_t* confidence,
                const uint32_t* softmax) {
  const int C = a.channels;
  const size_t n = static_cast<size_t>(a.out_w) * C;
  DenseScratch& scratch = per_thread<DenseScratch>();
  AlignedArray<float>& wx0 = scratch.wx0;
  AlignedArray<float>& wx1 = scratch.wx1;
  const bool skip = labels && !confidence && resize_labels_may_skip(a, row_begin, row_end);  // C < 16 here
  bool spread = false;  // wx0, wx1 filled (the flat path's per-value x weights)
  auto spread_weights = [&] {
    wx0.grow(n);
    wx1.grow(n);
    for (int ox = 0; ox < a.out_w; ++ox)
      for (int c = 0; c < C; ++c) {
        wx0[static_cast<size_t>(ox) * C + c] = a.xs->w0[ox];
        wx1[static_cast<size_t>(ox) * C + c] = a.xs->w1[ox];
      }
    spread = true;
  };
  ExpandedRows& r = scratch.rows;
  r.row[0] = r.row[1] = -1;  // another call's rows (another tensor, or the same one rewritten)
  for (int k = 0; k < 2; ++k) {
    r.deq[k].grow(static_cast<size_t>(a.in_w) * C + 16);
    r.x0[k].grow(n + 16);
    r.x1[k].grow(n + 16);
  }
  if (skip) {
    for (int k = 0; k < 2; ++k)
      if (r.dom[k].size() < static_cast<size_t>(a.in_w)) r.dom[k].resize(a.in_w);
    if (scratch.column.size() < static_cast<size_t>(a.in_w)) scratch.column.resize(a.in_w);
    if (scratch.label.size() < static_cast<size_t>(a.out_w) + 16) scratch.label.resize(static_cast<size_t>(a.out_w) + 16);
    scratch.shuffle.plan(*a.xs, a.in_w, a.out_w);
    if (scratch.positions.size() < static_cast<size_t>(a.out_w)) scratch.positions.resize(a.out_w);
  } else {
    spread_weights();
  }
  const Quantize8<kQuotient, kBounded, false> quant(a.out_scale, a.out_zp, 0, 255);  // bounds 0..255: no byte clamp
  const Labels16 labels16(C);
  const float *yw0 = a.ys->w0.data(), *yw1 = a.ys->w1.data();
  // Output rows [oy, oy + rows) from slots s0, s1 expanded, 32 values at a time (each block of the
  // expanded rows read from L1 for all the rows), then, with labels, their argmax.
  auto flat = [&](int oy, int rows, int s0, int s1) {
    uint8_t* const out = a.out;
    const float *p11 = r.x0[s0].data(), *p21 = r.x1[s0].data();
    const float *p12 = r.x0[s1].data(), *p22 = r.x1[s1].data();
    const float *pw0 = wx0.data(), *pw1 = wx1.data();
    auto blend8 = [=](size_t j, __m256 wy0, __m256 wy1) {
      const __m256 w0 = _mm256_loadu_ps(pw0 + j), w1 = _mm256_loadu_ps(pw1 + j);
      return quant.round8(blend(_mm256_mul_ps(w0, wy0), p11 + j, _mm256_mul_ps(w1, wy0), p21 + j,
                                _mm256_mul_ps(w0, wy1), p12 + j, _mm256_mul_ps(w1, wy1), p22 + j));
    };
    size_t j = 0;
    for (; j + 32 <= n; j += 32) {
      for (int k = 0; k < rows; ++k) {
        const __m256 wy0 = _mm256_set1_ps(yw0[oy + k]), wy1 = _mm256_set1_ps(yw1[oy + k]);
        const __m256i b = quant.pack32_consecutive(blend8(j, wy0, wy1), blend8(j + 8, wy0, wy1),
                                                   blend8(j + 16, wy0, wy1), blend8(j + 24, wy0, wy1));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + static_cast<size_t>(oy + k) * n + j), b);
      }
    }
    for (; j < n; j += 8) {
      const size_t jj = j + 8 <= n ? j : n - 8;  // overlapping last block, identical values
      for (int k = 0; k < rows; ++k) {
        const __m256 wy0 = _mm256_set1_ps(yw0[oy + k]), wy1 = _mm256_set1_ps(yw1[oy + k]);
        quant.store8(out + static_cast<size_t>(oy + k) * n + jj, blend8(jj, wy0, wy1));
      }
    }
    if (labels)
      for (int k = 0; k < rows; ++k) {
        const ArgmaxArgs aa{out + static_cast<size_t>(oy + k) * n, C, labels + static_cast<size_t>(oy + k) * a.out_w,
                            confidence ? confidence + static_cast<size_t>(oy + k) * a.out_w : nullptr, softmax};
        argmax(aa, 0, static_cast<size_t>(a.out_w));
      }
  };
  for (int oy = row_begin; oy < row_end;) {
    // Consecutive output rows reading the same two source rows (k of them when upscaling by k)
    // run together, 32 values at a time, so each block of the expanded rows is read from L1.
    const int y0 = a.ys->i0[oy], y1 = a.ys->i1[oy];
    int rows = 1;
    while (oy + rows < row_end && a.ys->i0[oy + rows] == y0 && a.ys->i1[oy + rows] == y1) ++rows;
    int s0, s1;
    fetch_rows(a, y0, y1, skip, &r, &s0, &s1);
    if (skip) {
      // A source column's label where both source rows agree, then an output pixel's where both
      // of its columns agree; the group's rows share their source rows, so the same for each.
      uint8_t* col = scratch.column.data();
      uint8_t* label = scratch.label.data();
      int32_t* pos = scratch.positions.data();
      const uint8_t *d0 = r.dom[s0].data(), *d1 = r.dom[s1].data();
      for (int x = 0; x < a.in_w; ++x) col[x] = d0[x] == d1[x] ? d0[x] : kResizeLabelUnsure;
      const int32_t *i0 = a.xs->i0.data(), *i1 = a.xs->i1.data();
      if (scratch.shuffle.on) {
        scratch.shuffle.labels(col, i0, a.in_w, label);
      } else {
        for (int ox = 0; ox < a.out_w; ++ox) {
          const uint8_t l = col[i0[ox]];
          label[ox] = l == col[i1[ox]] ? l : kResizeLabelUnsure;
        }
      }
      const int unsure = unsure_positions(label, a.out_w, pos);
      // Pixel by pixel costs more than the flat path per pixel: past two thirds of the row, the
      // whole row the flat way.
      if (3 * unsure > 2 * a.out_w) {
        if (!spread) spread_weights();
        for (int slot : {s0, s1})
          if (!r.expanded[slot]) expand_slot(a, r.deq[slot].data(), &r, slot);
        flat(oy, rows, s0, s1);
        oy += rows;
        continue;
      }
      const float *q0 = r.deq[s0].data(), *q1 = r.deq[s1].data();
      const float *xw0 = a.xs->w0.data(), *xw1 = a.xs->w1.data();
      for (int k = 0; k < rows; ++k) {
        const float wy0 = yw0[oy + k], wy1 = yw1[oy + k];
        uint8_t* lrow = labels + static_cast<size_t>(oy + k) * a.out_w;
        std::memcpy(lrow, label, static_cast<size_t>(a.out_w));
        // An unsure pixel's label from its C values, computed as the flat path does (the weight
        // products as the dense lanes form them, wx * wy, the four neighbours in the scalar
        // order), reading 8 or 16 floats per neighbour (the rows are padded) and never stored:
        // only the labels are wanted.
        for (int i = 0; i < unsure; ++i) {
          const int ox = pos[i];
          const __m256 w11 = _mm256_set1_ps(xw0[ox] * wy0), w21 = _mm256_set1_ps(xw1[ox] * wy0);
          const __m256 w12 = _mm256_set1_ps(xw0[ox] * wy1), w22 = _mm256_set1_ps(xw1[ox] * wy1);
          const float *p11 = q0 + static_cast<size_t>(i0[ox]) * C, *p21 = q0 + static_cast<size_t>(i1[ox]) * C;
          const float *p12 = q1 + static_cast<size_t>(i0[ox]) * C, *p22 = q1 + static_cast<size_t>(i1[ox]) * C;
          const __m256i v0 = quant.round8(blend(w11, p11, w21, p21, w12, p12, w22, p22));
          const __m256i v1 = C > 8 ? quant.round8(blend(w11, p11 + 8, w21, p21 + 8, w12, p12 + 8, w22, p22 + 8)) : v0;
          lrow[ox] = labels16.label(quant.bytes16(v0, v1));
        }
      }
      oy += rows;
      continue;
    }
    flat(oy, rows, s0, s1);
    oy += rows;
  }
}

// resize_linear's per-pixel blocks (8 or more channels, not the dense path).
template <Quotient kQuotient, bool kBounded>
void resize_linear_blocks(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const Quantize8<kQuotient, kBounded, false> quant(a.out_scale, a.out_zp, 0, 255);  // bounds 0..255: no byte clamp
  const Quantize8<kQuotient, kBounded, false> quant16(16.0f * a.out_scale, a.out_zp, 0, 255);  // linear_rows' sixteenths
  // A pixel's C bytes from rounded(c), channels c..c+7 rounded by q.
  const auto store_pixel = [C](uint8_t* out, const auto& q, auto rounded) {
    int c = 0;
    for (; c + 32 <= C; c += 32)  // 32 channels share one pack and store
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + c),
                          q.pack32_consecutive(rounded(c), rounded(c + 8), rounded(c + 16), rounded(c + 24)));
    for (; c + 8 <= C; c += 8) q.store8(out + c, rounded(c));
    if (c < C) q.store8(out + C - 8, rounded(C - 8));  // overlapping tail, identical values
  };
  linear_rows(
      a, row_begin, row_end, per_thread<DequantRows>(), dequantize_row,
      [&](uint8_t* out, const float* p11, const float* p21, const float* p12, const float* p22, float w11, float w21,
          float w12, float w22) {
        const __m256 v11 = _mm256_set1_ps(w11), v21 = _mm256_set1_ps(w21);
        const __m256 v12 = _mm256_set1_ps(w12), v22 = _mm256_set1_ps(w22);
        store_pixel(out, quant,
                    [&](int c) { return quant.round8(blend(v11, p11 + c, v21, p21 + c, v12, p12 + c, v22, p22 + c)); });
      },
      [&](uint8_t* out, const float* p11, const float* p21, const float* p12, const float* p22, int one) {
        with_sixteenths(one, [&](auto k) {
          constexpr int kOne = decltype(k)::value;
          store_pixel(out, quant16,
                      [&](int c) { return quant16.round8(blend_sixteenths<kOne>(p11 + c, p21 + c, p12 + c, p22 + c)); });
        });
      });
}

// The dense path with the quotient as the plan admitted it (kernels.h "Quotients by a reciprocal"),
// unclamped where resize_quotient_bounded.
void resize_linear_dense(const ResizeArgs& a, int row_begin, int row_end, uint8_t* labels, uint8_t* confidence,
                         const uint32_t* softmax) {
  with_resize_quotient(a, [&](auto quotient, auto bounded) {
    dense_rows<decltype(quotient)::value, decltype(bounded)::value>(a, row_begin, row_end, labels, confidence, softmax);
  });
}

}  // namespace

// 8 channels at a time (32 per store where there are as many), the scalar float operations lane
// by lane (kernels.h "Resize"): the four neighbours come from rows dequantized once
// (DequantRows), are weighted by the four weight products (computed once per output pixel, as
// scalar), summed in the same order, divided by the output scale (or, where the plan admitted
// it, the corrected quotient by its reciprocal) and rounded half to even
// (Quantize8). A channel count that is not a multiple of 8 ends with an overlapping block.
// Fewer than 16 channels that are not a multiple of 8 take resize_linear_dense instead; the rest
// of fewer than 8 channels run scalar::resize_linear.
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  if (dense_path(a)) {
    resize_linear_dense(a, row_begin, row_end, nullptr, nullptr, nullptr);
    return;
  }
  if (C < 8) {  // rows of fewer than 8 values: the reference itself
    scalar::resize_linear(a, row_begin, row_end);
    return;
  }
  with_resize_quotient(a, [&](auto quotient, auto bounded) {
    resize_linear_blocks<decltype(quotient)::value, decltype(bounded)::value>(a, row_begin, row_end);
  });
}

// Few channels (the class maps of a segmentation network): the dense path, skipping the pixels
// whose label is certain unless confidence is wanted. Others: the Resize, then the argmax of its rows.
void resize_linear_argmax(const ResizeArgmaxArgs& a, int row_begin, int row_end) {
  const ResizeArgs& r = a.resize;
  if (dense_path(r)) {
    resize_linear_dense(r, row_begin, row_end, a.labels, a.confidence, a.softmax);
    return;
  }
  resize_linear(r, row_begin, row_end);
  const size_t w = static_cast<size_t>(r.out_w);
  argmax(ArgmaxArgs{r.out, r.channels, a.labels, a.confidence, a.softmax}, static_cast<size_t>(row_begin) * w,
         static_cast<size_t>(row_end) * w);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
