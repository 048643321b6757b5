// Reference Winograd F(2x2, 3x3) and F(4x4, 3x3) convolutions (kernels.h, WinogradKernel): one
// tile at a time, the formulas as written, one driver for both tile sizes. Their tests prove them
// equal to a direct convolution; the SIMD kernels are tested against them. Sums are uint32 so
// that wrapping is defined.
#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

namespace {

// F(2x2): U = (2G) g (2G)^T, so A^T M A is 4 x the direct sum, an int32.
struct F2 {
  static constexpr int kOut = 2, kIn = 4;
  static constexpr int BT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  static constexpr int AT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
  static int32_t direct_sum(uint32_t y4) { return static_cast<int32_t>(y4) >> 2; }
};

// F(4x4): U' = G' g G'^T with G's rows scaled by (4, 6, 6, 24, 24, 1), and A'^T absorbing the
// scaling, so A'^T M' A' is 576 y mod 2^32: times the inverse of 9 it is 64 y, then >> 6.
struct F4 {
  static constexpr int kOut = 4, kIn = 6;
  static constexpr int BT[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                                   {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  static constexpr int AT[4][6] = {{6, 4, 4, 1, 1, 0}, {0, 4, -4, 2, -2, 0}, {0, 4, 4, 4, 4, 0}, {0, 4, -4, 8, -8, 24}};
  static int32_t direct_sum(uint32_t y576) {
    const uint32_t kInv9 = 0x38E38E39u;  // 9 * kInv9 = 1 mod 2^32
    return static_cast<int32_t>(y576 * kInv9) >> 6;
  }
};

// Packed weights: U as winograd_weights / winograd4_weights produce it, [out_c][kIn^2][in_c]
// int16. Scratch: V of one tile, [kIn^2][in_c] int16.
template <class F>
size_t packed_bytes(int in_c, int out_c) {
  return sizeof(int16_t) * F::kIn * F::kIn * size_t(in_c) * out_c;
}
template <class F>
size_t scratch_bytes(int in_c) {
  return sizeof(int16_t) * F::kIn * F::kIn * size_t(in_c);
}

template <class F>
void run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  constexpr int T = F::kOut, N = F::kIn, P = N * N;
  const size_t cin = size_t(a.in_c);
  const int16_t* u = reinterpret_cast<const int16_t*>(a.packed);
  int16_t* v = static_cast<int16_t*>(scratch);
  for (int tx = tx_begin; tx < tx_end; ++tx) {
    const int y0 = T * ty - a.pad_top, x0 = T * tx - a.pad_left;
    for (size_t c = 0; c < cin; ++c) {
      int d[N][N];
      for (int r = 0; r < N; ++r)
        for (int s = 0; s < N; ++s) {
          const int y = y0 + r, x = x0 + s;
          const bool inside = y >= 0 && y < a.in_h && x >= 0 && x < a.in_w;
          d[r][s] = inside ? a.in[(size_t(y) * a.in_w + x) * cin + c] : a.in_zp;
        }
      for (int i = 0; i < N; ++i)
        for (int j = 0; j < N; ++j) {
          int s = 0;
          for (int r = 0; r < N; ++r)
            for (int q = 0; q < N; ++q) s += F::BT[i][r] * d[r][q] * F::BT[j][q];
          v[(N * i + j) * cin + c] = static_cast<int16_t>(s);
        }
    }
    for (int n = 0; n < a.out_c; ++n) {
      uint32_t m[P];
      for (int pos = 0; pos < P; ++pos) {
        const int16_t* un = u + (size_t(n) * P + pos) * cin;
        const int16_t* vp = v + pos * cin;
        uint32_t s = 0;
        for (size_t c = 0; c < cin; ++c) s += static_cast<uint32_t>(int32_t(un[c]) * int32_t(vp[c]));
        m[pos] = s;
      }
      for (int i = 0; i < T; ++i)
        for (int j = 0; j < T; ++j) {
          const int oy = T * ty + i, ox = T * tx + j;
          if (oy >= a.out_h || ox >= a.out_w) continue;
          uint32_t y = 0;
          for (int p = 0; p < N; ++p)
            for (int q = 0; q < N; ++q) y += static_cast<uint32_t>(F::AT[i][p] * F::AT[j][q]) * m[N * p + q];
          const int32_t sum = F::direct_sum(y);
          const int32_t acc = static_cast<int32_t>(uint32_t(a.rq.bias ? a.rq.bias[n] : 0) + uint32_t(sum));
          const int32_t q = round_clamped(static_cast<float>(acc) * a.rq.scale[n]) + a.rq.out_zp;
          a.out[(size_t(oy) * a.out_w + ox) * a.out_c + n] = clamp_u8(q, a.rq.qmin, a.rq.qmax);
        }
    }
  }
}

}  // namespace

size_t winograd_packed_bytes(int in_c, int out_c) { return packed_bytes<F2>(in_c, out_c); }
void winograd_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  winograd_weights(w, in_c, out_c, reinterpret_cast<int16_t*>(packed));
}
size_t winograd_scratch_bytes(int in_c, int /*tiles*/) { return scratch_bytes<F2>(in_c); }
void winograd_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  run<F2>(a, ty, tx_begin, tx_end, scratch);
}

size_t winograd4_packed_bytes(int in_c, int out_c) { return packed_bytes<F4>(in_c, out_c); }
void winograd4_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  winograd4_weights(w, in_c, out_c, reinterpret_cast<int16_t*>(packed));
}
size_t winograd4_scratch_bytes(int in_c, int /*tiles*/) { return scratch_bytes<F4>(in_c); }
void winograd4_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  run<F4>(a, ty, tx_begin, tx_end, scratch);
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
