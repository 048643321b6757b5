// Reference Winograd F(4x4, 3x3) convolution (kernels.h, WinogradKernel): one tile at a time,
// the formulas as written. Its test proves it equal to a direct convolution; the SIMD kernels
// are tested against it. Sums are uint32 so that wrapping is defined.
#include "kernels/scalar/conv_ops.h"

namespace attendseg {
namespace kernels {
namespace scalar {

// Packed weights: U' as winograd4_weights produces it, [out_c][36][in_c] int16.
size_t winograd4_packed_bytes(int in_c, int out_c) { return sizeof(int16_t) * 36 * size_t(in_c) * out_c; }

void winograd4_pack(const int8_t* w, int in_c, int out_c, uint8_t* packed) {
  winograd4_weights(w, in_c, out_c, reinterpret_cast<int16_t*>(packed));
}

// Scratch: V of one tile, [36][in_c] int16.
size_t winograd4_scratch_bytes(int in_c, int /*tiles*/) { return sizeof(int16_t) * 36 * size_t(in_c); }

void winograd4_run(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch) {
  static const int BT[6][6] = {{4, 0, -5, 0, 1, 0},  {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
                               {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  static const int AT[4][6] = {{6, 4, 4, 1, 1, 0}, {0, 4, -4, 2, -2, 0}, {0, 4, 4, 4, 4, 0}, {0, 4, -4, 8, -8, 24}};
  const uint32_t kInv9 = 0x38E38E39u;  // 9 * kInv9 = 1 mod 2^32
  const size_t cin = size_t(a.in_c);
  const int16_t* u = reinterpret_cast<const int16_t*>(a.packed);
  int16_t* v = static_cast<int16_t*>(scratch);
  for (int tx = tx_begin; tx < tx_end; ++tx) {
    const int y0 = 4 * ty - a.pad_top, x0 = 4 * tx - a.pad_left;
    for (size_t c = 0; c < cin; ++c) {
      int d[6][6];
      for (int r = 0; r < 6; ++r)
        for (int s = 0; s < 6; ++s) {
          const int y = y0 + r, x = x0 + s;
          const bool inside = y >= 0 && y < a.in_h && x >= 0 && x < a.in_w;
          d[r][s] = inside ? a.in[(size_t(y) * a.in_w + x) * cin + c] : a.in_zp;
        }
      for (int i = 0; i < 6; ++i)
        for (int j = 0; j < 6; ++j) {
          int s = 0;
          for (int r = 0; r < 6; ++r)
            for (int q = 0; q < 6; ++q) s += BT[i][r] * d[r][q] * BT[j][q];
          v[(6 * i + j) * cin + c] = static_cast<int16_t>(s);
        }
    }
    for (int n = 0; n < a.out_c; ++n) {
      uint32_t m[36];
      for (int pos = 0; pos < 36; ++pos) {
        const int16_t* un = u + (size_t(n) * 36 + pos) * cin;
        const int16_t* vp = v + pos * cin;
        uint32_t s = 0;
        for (size_t c = 0; c < cin; ++c) s += static_cast<uint32_t>(int32_t(un[c]) * int32_t(vp[c]));
        m[pos] = s;
      }
      for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) {
          const int oy = 4 * ty + i, ox = 4 * tx + j;
          if (oy >= a.out_h || ox >= a.out_w) continue;
          uint32_t r = 0;  // 576 y
          for (int p = 0; p < 6; ++p)
            for (int q = 0; q < 6; ++q) r += static_cast<uint32_t>(AT[i][p] * AT[j][q]) * m[6 * p + q];
          const int32_t sum = static_cast<int32_t>(r * kInv9) >> 6;  // 64 y >> 6
          const int32_t acc = static_cast<int32_t>(uint32_t(a.rq.bias ? a.rq.bias[n] : 0) + uint32_t(sum));
          const int32_t q = round_clamped(static_cast<float>(acc) * a.rq.scale[n]) + a.rq.out_zp;
          a.out[(size_t(oy) * a.out_w + ox) * a.out_c + n] = clamp_u8(q, a.rq.qmin, a.rq.qmax);
        }
    }
  }
}

}  // namespace scalar
}  // namespace kernels
}  // namespace attendseg
