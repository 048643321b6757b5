// Nearest and bilinear resize, NHWC uint8, AVX2. Bit-identical to scalar/resize.cpp.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// Rows: an output row whose source row equals the previous one (upscaling) is a copy of that
// finished row. Otherwise each pixel is a vector copy of C bytes, and the requantization
// table, if any, is applied to the whole row with the vpshufb lookup.
void resize_nearest(const ResizeArgs& a, int row_begin, int row_end) {
  const size_t C = static_cast<size_t>(a.channels);
  const size_t row_bytes = static_cast<size_t>(a.out_w) * C;
  Lut256 L;
  if (a.lut) lut_prepare(a.lut, &L);
  for (int oy = row_begin; oy < row_end; ++oy) {
    uint8_t* orow = a.out + static_cast<size_t>(oy) * row_bytes;
    if (oy > row_begin && a.ys->i0[oy] == a.ys->i0[oy - 1]) {
      std::memcpy(orow, orow - row_bytes, row_bytes);
      continue;
    }
    const uint8_t* irow = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
    const int32_t* xs = a.xs->i0.data();
    for (int ox = 0; ox < a.out_w; ++ox) copy_small(orow + ox * C, irow + xs[ox] * C, C);
    if (a.lut) lut_apply(L, orow, orow, row_bytes);
  }
}

namespace {

// Dequantized input rows expanded to the output's x positions, for resize_linear_dense: of a
// source row y, at flat index j = ox*C + c, x0[j] = X(in[y][xs.i0[ox]][c]) and
// x1[j] = X(in[y][xs.i1[ox]][c]). Two slots, as an output row reads two source rows.
struct ExpandedRows {
  std::vector<float> deq;           // one dequantized source row, padded for 8-float copies
  std::vector<float> x0[2], x1[2];  // per slot, padded for the spilling 8-float copies
  int row[2] = {-1, -1};
};

// Per-thread buffers that only grow: no heap allocation per frame once a plan size has run.
struct DenseScratch {
  std::vector<float> wx0, wx1;
  ExpandedRows rows;
};

inline void grow(std::vector<float>* v, size_t n) {
  if (v->size() < n) v->resize(n);
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

// Of two row slots caching source rows, the one holding `want`, or (*fresh = true) the slot to
// fill with it: one holding neither of the two rows an output row reads (y0, y1).
int row_slot(const int (&row)[2], int want, int y0, int y1, bool* fresh) {
  *fresh = false;
  if (row[0] == want) return 0;
  if (row[1] == want) return 1;
  *fresh = true;
  return (row[0] != y0 && row[0] != y1) ? 0 : 1;
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

// The slots holding rows y0 and y1, expanding whichever is not there into a slot the other
// does not use.
void fetch_rows(const ResizeArgs& a, int y0, int y1, ExpandedRows* r, int* s0, int* s1) {
  const int want[2] = {y0, y1};
  int* dst[2] = {s0, s1};
  for (int k = 0; k < 2; ++k) {
    bool fresh;
    const int slot = row_slot(r->row, want[k], y0, y1, &fresh);
    if (fresh) {
      dequantize_row(a, want[k], r->deq.data());
      expand(r->deq.data(), a.xs->i0.data(), a.out_w, a.channels, r->x0[slot].data());
      expand(r->deq.data(), a.xs->i1.data(), a.out_w, a.channels, r->x1[slot].data());
      r->row[slot] = want[k];
    }
    *dst[k] = slot;
  }
}

// Channel counts under 16 that are not a multiple of 8: an output row is one run of out_w*C
// values, 8 per vector (the last block overlapping), from the expanded rows and the x weights
// spread per value. Per lane the scalar operations in the scalar order: w11 = wx0*wy0 ...,
// v = ((w11*X11 + w21*X21) + w12*X12) + w22*X22, divided by the output scale, rounded.
void resize_linear_dense(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const size_t n = static_cast<size_t>(a.out_w) * C;
  DenseScratch& scratch = per_thread<DenseScratch>();
  std::vector<float>& wx0 = scratch.wx0;
  std::vector<float>& wx1 = scratch.wx1;
  grow(&wx0, n);
  grow(&wx1, n);
  for (int ox = 0; ox < a.out_w; ++ox)
    for (int c = 0; c < C; ++c) {
      wx0[static_cast<size_t>(ox) * C + c] = a.xs->w0[ox];
      wx1[static_cast<size_t>(ox) * C + c] = a.xs->w1[ox];
    }
  ExpandedRows& r = scratch.rows;
  r.row[0] = r.row[1] = -1;  // another call's rows (another tensor, or the same one rewritten)
  grow(&r.deq, static_cast<size_t>(a.in_w) * C + 16);
  for (int k = 0; k < 2; ++k) {
    grow(&r.x0[k], n + 16);
    grow(&r.x1[k], n + 16);
  }
  const QuantizeDiv8 quant(a.out_scale, a.out_zp, 0, 255);
  for (int oy = row_begin; oy < row_end;) {
    // Consecutive output rows reading the same two source rows (k of them when upscaling by k)
    // run together, 32 values at a time, so each block of the expanded rows is read from L1.
    const int y0 = a.ys->i0[oy], y1 = a.ys->i1[oy];
    int rows = 1;
    while (oy + rows < row_end && a.ys->i0[oy + rows] == y0 && a.ys->i1[oy + rows] == y1) ++rows;
    int s0, s1;
    fetch_rows(a, y0, y1, &r, &s0, &s1);
    const float *p11 = r.x0[s0].data(), *p21 = r.x1[s0].data();
    const float *p12 = r.x0[s1].data(), *p22 = r.x1[s1].data();
    const float *pw0 = wx0.data(), *pw1 = wx1.data();
    const float *yw0 = a.ys->w0.data(), *yw1 = a.ys->w1.data();
    uint8_t* const out = a.out;
    auto blend8 = [=](size_t j, __m256 wy0, __m256 wy1) {
      const __m256 w0 = _mm256_loadu_ps(pw0 + j), w1 = _mm256_loadu_ps(pw1 + j);
      __m256 v = _mm256_mul_ps(_mm256_mul_ps(w0, wy0), _mm256_loadu_ps(p11 + j));
      v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(w1, wy0), _mm256_loadu_ps(p21 + j)));
      v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(w0, wy1), _mm256_loadu_ps(p12 + j)));
      v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(w1, wy1), _mm256_loadu_ps(p22 + j)));
      return quant.round8(v);
    };
    size_t j = 0;
    for (; j + 32 <= n; j += 32)
      for (int k = 0; k < rows; ++k) {
        const __m256 wy0 = _mm256_set1_ps(yw0[oy + k]), wy1 = _mm256_set1_ps(yw1[oy + k]);
        const __m256i b = quant.pack32_consecutive(blend8(j, wy0, wy1), blend8(j + 8, wy0, wy1),
                                                   blend8(j + 16, wy0, wy1), blend8(j + 24, wy0, wy1));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + static_cast<size_t>(oy + k) * n + j), b);
      }
    for (; j < n; j += 8) {
      const size_t jj = j + 8 <= n ? j : n - 8;  // overlapping last block, identical values
      for (int k = 0; k < rows; ++k) {
        const __m256 wy0 = _mm256_set1_ps(yw0[oy + k]), wy1 = _mm256_set1_ps(yw1[oy + k]);
        quant.store8(out + static_cast<size_t>(oy + k) * n + jj, blend8(jj, wy0, wy1));
      }
    }
    oy += rows;
  }
}

// Dequantized source rows for resize_linear: each output row reads two, and consecutive output
// rows mostly read the same ones, so a row is dequantized once per call rather than once per
// output pixel that reads it.
struct DequantRows {
  std::vector<float> f[2];
  int row[2] = {-1, -1};
};

// Rows y0 and y1 dequantized, converting whichever is not cached into a slot the other does not
// use.
void dequant_rows(const ResizeArgs& a, int y0, int y1, DequantRows* r, const float** f0, const float** f1) {
  const int want[2] = {y0, y1};
  const float** dst[2] = {f0, f1};
  for (int k = 0; k < 2; ++k) {
    bool fresh;
    const int slot = row_slot(r->row, want[k], y0, y1, &fresh);
    if (fresh) {
      dequantize_row(a, want[k], r->f[slot].data());
      r->row[slot] = want[k];
    }
    *dst[k] = r->f[slot].data();
  }
}

}  // namespace

// 8 channels at a time (32 per store where there are as many), the scalar float operations lane by lane (kernels.h "Resize"): the
// four neighbours come from rows dequantized once (DequantRows), are weighted by the four weight
// products (computed once per output pixel, as scalar), summed in the same order, divided by the
// output scale and rounded half to even (QuantizeDiv8). A channel count that is not a multiple of
// 8 ends with an overlapping block. Fewer than 16 channels that are not a multiple of 8 take
// resize_linear_dense instead (rows of fewer than 8 values, the scalar formula).
void resize_linear(const ResizeArgs& a, int row_begin, int row_end) {
  const int C = a.channels;
  const bool dense = C < 16 && C % 8 != 0 && static_cast<int64_t>(a.out_w) * C >= 8;
  if (dense) {
    resize_linear_dense(a, row_begin, row_end);
    return;
  }
  const float s = a.in_scale, os = a.out_scale;
  const int32_t zp = a.in_zp;
  if (C < 8) {
    for (int oy = row_begin; oy < row_end; ++oy) {
      const uint8_t* r0 = a.in + static_cast<size_t>(a.ys->i0[oy]) * a.in_w * C;
      const uint8_t* r1 = a.in + static_cast<size_t>(a.ys->i1[oy]) * a.in_w * C;
      const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
      for (int ox = 0; ox < a.out_w; ++ox) {
        const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
        const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
        const float w11 = wx0 * wy0, w21 = wx1 * wy0, w12 = wx0 * wy1, w22 = wx1 * wy1;
        uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
        for (int c = 0; c < C; ++c) {
          const float X11 = static_cast<float>(r0[x0 + c] - zp) * s;
          const float X21 = static_cast<float>(r0[x1 + c] - zp) * s;
          const float X12 = static_cast<float>(r1[x0 + c] - zp) * s;
          const float X22 = static_cast<float>(r1[x1 + c] - zp) * s;
          float v = w11 * X11;
          v = v + w21 * X21;
          v = v + w12 * X12;
          v = v + w22 * X22;
          out[c] = clamp1(round1(v / os) + a.out_zp);
        }
      }
    }
    return;
  }
  DequantRows& rows = per_thread<DequantRows>();
  rows.row[0] = rows.row[1] = -1;  // another call's rows (another tensor, or the same one rewritten)
  for (int k = 0; k < 2; ++k) grow(&rows.f[k], static_cast<size_t>(a.in_w) * C);
  const QuantizeDiv8 quant(os, a.out_zp, 0, 255);
  for (int oy = row_begin; oy < row_end; ++oy) {
    const float *f0, *f1;
    dequant_rows(a, a.ys->i0[oy], a.ys->i1[oy], &rows, &f0, &f1);
    const float wy0 = a.ys->w0[oy], wy1 = a.ys->w1[oy];
    for (int ox = 0; ox < a.out_w; ++ox) {
      const size_t x0 = static_cast<size_t>(a.xs->i0[ox]) * C, x1 = static_cast<size_t>(a.xs->i1[ox]) * C;
      const float wx0 = a.xs->w0[ox], wx1 = a.xs->w1[ox];
      const __m256 v11 = _mm256_set1_ps(wx0 * wy0), v21 = _mm256_set1_ps(wx1 * wy0);
      const __m256 v12 = _mm256_set1_ps(wx0 * wy1), v22 = _mm256_set1_ps(wx1 * wy1);
      uint8_t* out = a.out + (static_cast<size_t>(oy) * a.out_w + ox) * C;
      auto blend8 = [&](int c) {
        __m256 v = _mm256_mul_ps(v11, _mm256_loadu_ps(f0 + x0 + c));
        v = _mm256_add_ps(v, _mm256_mul_ps(v21, _mm256_loadu_ps(f0 + x1 + c)));
        v = _mm256_add_ps(v, _mm256_mul_ps(v12, _mm256_loadu_ps(f1 + x0 + c)));
        v = _mm256_add_ps(v, _mm256_mul_ps(v22, _mm256_loadu_ps(f1 + x1 + c)));
        return quant.round8(v);
      };
      auto block8 = [&](int c) { quant.store8(out + c, blend8(c)); };
      int c = 0;
      for (; c + 32 <= C; c += 32)  // 32 channels share one pack and store
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + c),
                            quant.pack32_consecutive(blend8(c), blend8(c + 8), blend8(c + 16), blend8(c + 24)));
      for (; c + 8 <= C; c += 8) block8(c);
      if (c < C) block8(C - 8);  // overlapping tail, identical values
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
