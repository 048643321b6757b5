// The AVX2 GEMM's u8 x s8 format (gemm_paths.h), for weights whose pair sums cannot saturate.
//
// Exactness: _mm256_maddubs_epi16 multiplies u8 activations by s8 weights and adds adjacent
// pairs (k = 2j, 2j+1) into int16 with saturation. For a in [0, 255] a pair sum a1*w1 + a2*w2
// lies within 255 * (|w1| + |w2|) when w1, w2 share a sign, and within [-255*128, 255*127] when
// they do not; so if every same-sign pair has |w1| + |w2| <= 128 no sum leaves
// [-32768, 32767] (255 * 128 = 32640) and the int16 sums are exact. Weights in [-64, 64] always
// qualify. _mm256_madd_epi16 by ones then adds the two pair sums of a k-quad into int32 exactly,
// and the reduction over k is a plain int32 sum, as in the reference.
//
// Paired quads: the multiplies (vpmaddubsw, vpmaddwd) are what bounds this loop, two per 32
// products with one quad per step. Two quads i, j of a panel can share the vpmaddwd when their
// int16 pair sums, added by a wrapping vpaddw, still fit int16 for any activations: for every
// channel and each half (pair) of the quads, the positive weights of the four sum to at most 128
// and the negative ones to at least -128 (then the sum lies in [-32640, 32640]). Trained weights
// are small enough for nearly every quad to find a partner (98.6% of the shipped model's); the
// pairing is chosen per panel at pack time: three multiplies per 64 products where it holds.
//
// Packed weights, per panel of gemm_tile.h (16 channels; the last one 8 or 16 wide):
//   int32 pairs, singles; int32 offsets[pairs * 2 + singles]: each step's quad(s) as byte offsets
//     (4q) into a row of A; padded to 64 bytes (Geometry::meta)
//   the steps' weights in the same order: per quad, the panel's channels' four int8 weights,
//     channel after channel (one ymm holds 8 channels' quads); a pair's two quads adjacent
//   the last, partial quad's weights when K % 4 != 0 (never paired: its activations are read
//     bytewise, so no read goes past a row's K bytes)
// Channels past N and k past K are zero.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>
#include <vector>

#include "kernels/x86_avx2/gemm_paths.h"
#include "kernels/x86_avx2/gemm_tile.h"
#include "kernels/row_blocks.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

constexpr int kMR = 4;  // rows per micro-tile: 8 accumulators, a pair's 4 weight vectors, ones

struct Geometry {
  int quads_full, quads;  // quads entirely inside K; all quads, the partial one included
  size_t meta;            // header and offsets, 64-byte aligned
  size_t full_panel;      // bytes of a 16-wide panel
  Geometry(int K) : quads_full(K / 4), quads((K + 3) / 4) {
    meta = (sizeof(int32_t) * (2 + static_cast<size_t>(quads_full)) + 63) / 64 * 64;
    full_panel = meta + 64 * static_cast<size_t>(quads);
  }
  size_t panel_bytes(int width) const { return meta + 4 * static_cast<size_t>(width) * quads; }
};

inline int32_t load_i32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
// The first n (1..3) bytes at p, zero-extended: the last, partial quad of a row.
inline int32_t load_partial_i32(const uint8_t* p, int n) {
  uint32_t v = p[0];
  if (n > 1) v |= static_cast<uint32_t>(p[1]) << 8;
  if (n > 2) v |= static_cast<uint32_t>(p[2]) << 16;
  return static_cast<int32_t>(v);
}

// Per quad of a panel: for each channel and half, the sum of its positive weights and of the
// magnitudes of its negative ones (each at most 128 where maddubs_exact holds).
struct QuadLoad {
  std::vector<uint8_t> pos, neg;  // [quad][channel * 2 + half]
  int lanes;
};

QuadLoad quad_loads(const int8_t* w, int K, int N, int n0, int width, int quads) {
  QuadLoad l{std::vector<uint8_t>(static_cast<size_t>(quads) * width * 2),
             std::vector<uint8_t>(static_cast<size_t>(quads) * width * 2), width * 2};
  for (int q = 0; q < quads; ++q)
    for (int c = 0; c < width && n0 + c < N; ++c)
      for (int h = 0; h < 2; ++h) {
        int pos = 0, neg = 0;
        for (int i = 0; i < 2; ++i) {
          const int k = 4 * q + 2 * h + i;
          const int v = k < K ? w[static_cast<size_t>(n0 + c) * K + k] : 0;
          (v > 0 ? pos : neg) += v > 0 ? v : -v;
        }
        const size_t at = static_cast<size_t>(q) * l.lanes + 2 * c + h;
        l.pos[at] = static_cast<uint8_t>(pos);
        l.neg[at] = static_cast<uint8_t>(neg);
      }
  return l;
}

bool pairable(const QuadLoad& l, int i, int j) {
  const size_t a = static_cast<size_t>(i) * l.lanes, b = static_cast<size_t>(j) * l.lanes;
  for (int x = 0; x < l.lanes; ++x)
    if (l.pos[a + x] + l.pos[b + x] > 128 || l.neg[a + x] + l.neg[b + x] > 128) return false;
  return true;
}

// The panel's steps: pairs (two quads each) then singles, over the quads entirely inside K.
// Greedy: the heaviest unpaired quad takes the lightest partner that fits, among the kScan
// lightest left (a bound on pack time for very long K; partners that fit are nearly always
// among the first few).
void pair_quads(const QuadLoad& l, int quads_full, std::vector<int>* pairs, std::vector<int>* singles) {
  constexpr int kScan = 64;
  std::vector<int> heaviest(quads_full);
  std::iota(heaviest.begin(), heaviest.end(), 0);
  std::vector<int> load(quads_full, 0);
  for (int q = 0; q < quads_full; ++q)
    for (int x = 0; x < l.lanes; ++x) {
      const size_t at = static_cast<size_t>(q) * l.lanes + x;
      load[q] = std::max({load[q], static_cast<int>(l.pos[at]), static_cast<int>(l.neg[at])});
    }
  std::stable_sort(heaviest.begin(), heaviest.end(), [&](int a, int b) { return load[a] > load[b]; });
  std::vector<bool> used(quads_full, false);
  std::vector<std::pair<int, int>> found;
  for (int x = 0; x < quads_full; ++x) {
    const int i = heaviest[x];
    if (used[i]) continue;
    used[i] = true;
    bool paired = false;
    int scanned = 0;
    for (int y = quads_full - 1; y > x && scanned < kScan && !paired; --y) {
      const int j = heaviest[y];
      if (used[j]) continue;
      ++scanned;
      if (!pairable(l, i, j)) continue;
      used[j] = true;
      found.emplace_back(std::min(i, j), std::max(i, j));
      paired = true;
    }
    if (!paired) singles->push_back(i);
  }
  // In K order, so consecutive steps read nearby activations.
  std::sort(found.begin(), found.end());
  std::sort(singles->begin(), singles->end());
  for (const auto& f : found) {
    pairs->push_back(f.first);
    pairs->push_back(f.second);
  }
}

// One MR x (8 * NR) output tile over the whole K, requantized and stored (nw valid channels;
// bias and scale readable for 8 * NR lanes, PanelParams).
template <int MR, int NR>
void pair_tile(const uint8_t* A, size_t lda, int K, const uint8_t* panel, size_t meta, const int32_t* bias,
               const float* scale, int nw, const RequantConsts& rk, uint8_t* C, size_t ldc) {
  __m256i acc[MR][NR];
  init_acc<MR, NR>(bias, acc);
  const __m256i ones = _mm256_set1_epi16(1);
  int32_t steps[2];
  std::memcpy(steps, panel, sizeof(steps));
  const int32_t* off = reinterpret_cast<const int32_t*>(panel) + 2;
  const int8_t* w = reinterpret_cast<const int8_t*>(panel + meta);
  for (int s = 0; s < steps[0]; ++s, off += 2, w += 64 * NR) {
    __m256i wa[NR], wb[NR];
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j) {
      wa[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * j));
      wb[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * NR + 32 * j));
    }
    const uint8_t* a0 = A + off[0];
    const uint8_t* a1 = A + off[1];
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256i x = _mm256_set1_epi32(load_i32(a0 + static_cast<size_t>(r) * lda));
      const __m256i y = _mm256_set1_epi32(load_i32(a1 + static_cast<size_t>(r) * lda));
#pragma GCC unroll 2
      for (int j = 0; j < NR; ++j) {
        const __m256i p = _mm256_add_epi16(_mm256_maddubs_epi16(x, wa[j]), _mm256_maddubs_epi16(y, wb[j]));
        acc[r][j] = _mm256_add_epi32(acc[r][j], _mm256_madd_epi16(p, ones));
      }
    }
  }
  const auto single = [&](auto load_row) {
    __m256i wv[NR];
#pragma GCC unroll 2
    for (int j = 0; j < NR; ++j) wv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + 32 * j));
#pragma GCC unroll 6
    for (int r = 0; r < MR; ++r) {
      const __m256i x = _mm256_set1_epi32(load_row(r));
#pragma GCC unroll 2
      for (int j = 0; j < NR; ++j)
        acc[r][j] = _mm256_add_epi32(acc[r][j], _mm256_madd_epi16(_mm256_maddubs_epi16(x, wv[j]), ones));
    }
    w += 32 * NR;
  };
  for (int s = 0; s < steps[1]; ++s, ++off) {
    const uint8_t* a = A + *off;
    single([&](int r) { return load_i32(a + static_cast<size_t>(r) * lda); });
  }
  if (K % 4) {
    const uint8_t* a = A + 4 * (K / 4);
    single([&](int r) { return load_partial_i32(a + static_cast<size_t>(r) * lda, K % 4); });
  }
  store_tile<MR, NR>(acc, scale, nw, rk, C, ldc);
}

// All panels for one block of MR rows.
template <int MR>
void row_block(const uint8_t* A, size_t lda, int K, const uint8_t* packed, int N, const PanelParams& pp,
               const RequantConsts& rk, uint8_t* C, size_t ldc) {
  const PanelLayout l = panel_layout(N);
  const Geometry g(K);
  for (int p = 0; p < l.full; ++p)
    pair_tile<MR, 2>(A, lda, K, packed + p * g.full_panel, g.meta, pp.bias(p), pp.scale(p), 16, rk, C + 16 * p, ldc);
  if (l.tail) {
    const int p = l.full;
    const uint8_t* wt = packed + p * g.full_panel;
    if (l.tail_width == 8)
      pair_tile<MR, 1>(A, lda, K, wt, g.meta, pp.bias(p), pp.scale(p), l.tail, rk, C + 16 * p, ldc);
    else
      pair_tile<MR, 2>(A, lda, K, wt, g.meta, pp.bias(p), pp.scale(p), l.tail, rk, C + 16 * p, ldc);
  }
}

}  // namespace

bool maddubs_exact(const int8_t* w, int K, int N) {
  for (int n = 0; n < N; ++n) {
    const int8_t* row = w + static_cast<size_t>(n) * K;
    for (int k = 0; k < K; k += 2) {
      const int w1 = row[k], w2 = k + 1 < K ? row[k + 1] : 0;
      if ((w1 > 0 && w2 > 0 && w1 + w2 > 128) || (w1 < 0 && w2 < 0 && w1 + w2 < -128)) return false;
    }
  }
  return true;
}

size_t maddubs_packed_bytes(int K, int N) {
  const PanelLayout l = panel_layout(N);
  const Geometry g(K);
  return l.full * g.full_panel + (l.tail ? g.panel_bytes(l.tail_width) : 0);
}

void maddubs_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  const PanelLayout l = panel_layout(N);
  const Geometry g(K);
  const int panels = l.full + (l.tail ? 1 : 0);
  for (int p = 0; p < panels; ++p) {
    const int width = p < l.full ? 16 : l.tail_width;
    uint8_t* panel = packed + p * g.full_panel;
    std::vector<int> pairs, singles;
    pair_quads(quad_loads(w, K, N, 16 * p, width, g.quads_full), g.quads_full, &pairs, &singles);
    std::vector<int32_t> meta{static_cast<int32_t>(pairs.size() / 2), static_cast<int32_t>(singles.size())};
    for (int q : pairs) meta.push_back(4 * q);
    for (int q : singles) meta.push_back(4 * q);
    std::memset(panel, 0, g.meta);
    std::memcpy(panel, meta.data(), sizeof(int32_t) * meta.size());
    std::vector<int> order = pairs;
    order.insert(order.end(), singles.begin(), singles.end());
    if (g.quads > g.quads_full) order.push_back(g.quads_full);
    int8_t* out = reinterpret_cast<int8_t*>(panel + g.meta);
    for (int q : order)
      for (int c = 0; c < width; ++c) {
        const int n = 16 * p + c;
        for (int i = 0; i < 4; ++i) {
          const int k = 4 * q + i;
          *out++ = (n < N && k < K) ? w[static_cast<size_t>(n) * K + k] : 0;
        }
      }
  }
}

MaddubsSteps maddubs_steps(const uint8_t* packed, int K, int N) {
  const PanelLayout l = panel_layout(N);
  const Geometry g(K);
  MaddubsSteps s;
  for (int p = 0; p < l.full + (l.tail ? 1 : 0); ++p) {
    int32_t steps[2];
    std::memcpy(steps, packed + p * g.full_panel, sizeof(steps));
    s.pairs += steps[0];
    s.singles += steps[1] + (g.quads > g.quads_full ? 1 : 0);
  }
  return s;
}

void maddubs_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                 uint8_t* C, size_t ldc) {
  if (M <= 0 || N <= 0) return;
  const RequantConsts rk(rq);
  const PanelParams pp(rq, N);
  for_row_blocks<kMR>(M, [&](int m, auto rows) {
    row_block<decltype(rows)::value>(A + m * lda, lda, K, packed, N, pp, rk, C + m * ldc, ldc);
  });
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
