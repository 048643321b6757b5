// The plan-time search of kernels.h "Add in integers": integer parameters that give the reference
// Add's byte for every pair of input bytes.
#include <climits>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/scalar/other_ops.h"

namespace attendseg {
namespace kernels {

namespace {

constexpr int kPairs = 65536;

// The interval [lo, hi] of c for which clamp(floor((ma*a + mb*b + c) / 2^shift), qmin, qmax)
// equals ref[a * 256 + b] for every pair; false when it is empty.
bool c_interval(const uint8_t* ref, int64_t ma, int64_t mb, int shift, int32_t qmin, int32_t qmax, int64_t* lo,
                int64_t* hi) {
  const int64_t unit = int64_t{1} << shift;
  int64_t l = INT64_MIN, h = INT64_MAX;
  for (int a = 0; a < 256; ++a) {
    const int64_t base_a = ma * a;
    for (int b = 0; b < 256; ++b) {
      const int64_t base = base_a + mb * b;
      const int64_t y = ref[a * 256 + b];
      if (y > qmin && y * unit - base > l) l = y * unit - base;                  // floor >= y
      if (y < qmax && y * unit + unit - 1 - base < h) h = y * unit + unit - 1 - base;  // floor <= y
    }
    if (l > h) return false;
  }
  *lo = l;
  *hi = h;
  return true;
}

bool fits_int32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

}  // namespace

bool find_integer_add(const BinaryArgs& args, IntegerAdd* out) {
  *out = IntegerAdd{};
  const double ra = static_cast<double>(args.sa) / args.sy, rb = static_cast<double>(args.sb) / args.sy;
  if (!std::isfinite(ra) || !std::isfinite(rb) || args.qmin > args.qmax) return false;
  // The reference's byte of every pair, from the reference kernel itself.
  std::vector<uint8_t> va(kPairs), vb(kPairs), ref(kPairs);
  for (int i = 0; i < kPairs; ++i) {
    va[i] = static_cast<uint8_t>(i >> 8);
    vb[i] = static_cast<uint8_t>(i);
  }
  BinaryArgs r = args;
  r.a = va.data();
  r.b = vb.data();
  r.out = ref.data();
  r.channels = 1;
  r.broadcast = Broadcast::Full;
  r.quotient = Quotient::Division;
  r.integer = IntegerAdd{};
  scalar::add(r, 0, kPairs);
  // Multipliers first as rounded, then one and two steps away (the float steps' rounding can
  // favour a slightly different slope), for the most precise shifts first.
  static const int kSteps[][2] = {{0, 0},  {1, 0},  {-1, 0}, {0, 1},  {0, -1}, {1, 1},  {1, -1}, {-1, 1}, {-1, -1},
                                  {2, 0},  {-2, 0}, {0, 2},  {0, -2}, {2, 1},  {2, -1}, {-2, 1}, {-2, -1}, {1, 2},
                                  {-1, 2}, {1, -2}, {-1, -2}, {2, 2}, {2, -2}, {-2, 2}, {-2, -2}};
  int shifts_tried = 0;
  for (int shift = 24; shift >= 12 && shifts_tried < 4; --shift) {
    const double unit = std::ldexp(1.0, shift);
    if (std::fabs(ra) * unit > 1e15 || std::fabs(rb) * unit > 1e15) continue;
    const int64_t ma0 = std::llround(ra * unit), mb0 = std::llround(rb * unit);
    // Skip shifts whose sums leave int32 with c where rounding puts it (the interval of c lies
    // within a few units of 2^shift of it), before scanning the pairs.
    const int64_t c0 = std::llround((args.zy + 0.5 - args.za * ra - args.zb * rb) * unit);
    bool room = fits_int32(ma0) && fits_int32(mb0);
    const int64_t margin = int64_t{4} << shift;
    for (int a : {0, 255})
      for (int b : {0, 255}) {
        const int64_t v = ma0 * a + mb0 * b + c0;
        room = room && v + margin <= INT32_MAX && v - margin >= INT32_MIN;
      }
    if (!room) continue;
    ++shifts_tried;
    for (const auto& step : kSteps) {
      const int64_t ma = ma0 + step[0], mb = mb0 + step[1];
      if (!fits_int32(ma) || !fits_int32(mb)) continue;
      int64_t lo, hi;
      if (!c_interval(ref.data(), ma, mb, shift, args.qmin, args.qmax, &lo, &hi)) continue;
      // The value at the middle of the interval; unbounded sides (all pairs clamped one way) take
      // the bound with 0 beside it.
      const int64_t c = lo == INT64_MIN ? (hi == INT64_MAX ? 0 : hi) : (hi == INT64_MAX ? lo : lo + (hi - lo) / 2);
      bool fits = fits_int32(c);
      for (int a : {0, 255})  // the sum is linear in a and b: its extremes are at the corners
        for (int b : {0, 255}) fits = fits && fits_int32(ma * a + mb * b + c);
      if (!fits) continue;
      *out = IntegerAdd{true, static_cast<int32_t>(ma), static_cast<int32_t>(mb), static_cast<int32_t>(c), shift};
      return true;
    }
  }
  return false;
}

}  // namespace kernels
}  // namespace attendseg
