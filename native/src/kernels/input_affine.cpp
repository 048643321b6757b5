// The model's input table (kernels.h build_input_lut) and the plan-time search of kernels.h
// "Preprocess in integers": integers that give every entry of the table.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

void build_input_lut(const float mean[3], const float std_dev[3], float scale, int32_t zero_point, uint8_t lut[768]) {
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 256; ++p) {
      const float real = (static_cast<float>(p) / 255.0f - mean[c]) / std_dev[c];
      lut[c * 256 + p] = clamp_u8(round_clamped(real / scale) + zero_point);
    }
}

namespace {

bool fits_int32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

// The interval [lo, hi] of add for which clamp((m * p + add) >> shift, 0, 255) equals t[p] for
// every p; false when it is empty.
bool add_interval(const uint8_t* t, int64_t m, int shift, int64_t* lo, int64_t* hi) {
  const int64_t unit = int64_t{1} << shift;
  int64_t l = INT64_MIN, h = INT64_MAX;
  for (int p = 0; p < 256; ++p) {
    const int64_t y = t[p], base = m * p;
    if (y > 0) l = std::max(l, y * unit - base);                  // (m p + add) >> shift >= y
    if (y < 255) h = std::min(h, y * unit + unit - 1 - base);     // (m p + add) >> shift <= y
    if (l > h) return false;
  }
  *lo = l;
  *hi = h;
  return true;
}

// One channel's m and add at this shift: slopes tried outwards from the table's own, over the
// range a difference of one step across the table's unclamped entries allows.
bool find_channel(const uint8_t* t, int shift, int32_t* m_out, int32_t* add_out) {
  int p_lo = -1, p_hi = -1;
  for (int p = 0; p < 256; ++p)
    if (t[p] > 0 && t[p] < 255) {
      if (p_lo < 0) p_lo = p;
      p_hi = p;
    }
  const double unit = std::ldexp(1.0, shift);
  const int span = p_lo >= 0 ? p_hi - p_lo : 0;
  const double slope = span > 0 ? (static_cast<double>(t[p_hi]) - t[p_lo]) / span : 0.0;
  const int64_t m0 = std::llround(slope * unit);
  const int64_t reach = std::min<int64_t>(4096, static_cast<int64_t>(unit / std::max(1, span)) + 2);
  for (int64_t d = 0; d <= reach; ++d)
    for (int side = 0; side < (d == 0 ? 1 : 2); ++side) {  // m0, then m0 + d and m0 - d
      const int64_t m = side == 0 ? m0 + d : m0 - d;
      int64_t lo, hi;
      if (!fits_int32(m) || !add_interval(t, m, shift, &lo, &hi)) continue;
      // The middle of the interval; an unbounded side (every entry clamped one way) takes the
      // bound with 0 beside it.
      const int64_t add = lo == INT64_MIN ? (hi == INT64_MAX ? 0 : hi) : (hi == INT64_MAX ? lo : lo + (hi - lo) / 2);
      if (!fits_int32(add) || !fits_int32(m * 255 + add)) continue;  // linear in p: extremes at 0, 255
      *m_out = static_cast<int32_t>(m);
      *add_out = static_cast<int32_t>(add);
      return true;
    }
  return false;
}

}  // namespace

bool find_input_affine(const uint8_t lut[768], InputAffine* out) {
  *out = InputAffine{};
  // The least precise shift that fits first: its search is the shortest.
  for (int shift = 8; shift <= 24; ++shift) {
    InputAffine f;
    bool all = true;
    for (int c = 0; c < 3 && all; ++c) all = find_channel(lut + c * 256, shift, &f.m[c], &f.add[c]);
    if (!all) continue;
    f.on = true;
    f.shift = shift;
    *out = f;
    return true;
  }
  return false;
}

}  // namespace kernels
}  // namespace attendseg
