// The plan-time checks that admit kernels.h's quotients by a reciprocal in place of the division
// (kernels.h "Quotients by a reciprocal").
#include <cmath>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

float corrected_quotient(float v, float s, float r) {
  const float q0 = v * r;
  const float e = std::fmaf(-q0, s, v);
  return std::fmaf(e, r, q0);
}

bool binary_quotient_exact(const BinaryArgs& a, bool is_mul, Quotient q) {
  if (q == Quotient::Division) return true;
  const float r = 1.0f / a.sy;
  if (!std::isnormal(a.sy) || !std::isfinite(r)) return false;
  float fb[256];
  for (int b = 0; b < 256; ++b) fb[b] = static_cast<float>(b - a.zb) * a.sb;
  for (int x = 0; x < 256; ++x) {
    const float fa = static_cast<float>(x - a.za) * a.sa;
    for (int b = 0; b < 256; ++b) {
      const float v = is_mul ? fa * fb[b] : fa + fb[b];
      const float by_division = v / a.sy;
      const float by_reciprocal = q == Quotient::Reciprocal ? v * r : corrected_quotient(v, a.sy, r);
      if (std::isnan(by_division) || std::isnan(by_reciprocal)) return false;
      if (clamp_u8(round_clamped(by_division) + a.zy, a.qmin, a.qmax) !=
          clamp_u8(round_clamped(by_reciprocal) + a.zy, a.qmin, a.qmax))
        return false;
    }
  }
  return true;
}

namespace {

// Whether corrected_quotient(v, s, 1 / s) == v / s for all 2^23 v in [1, 2) (the same operations,
// written out so that they inline). On x86 a clone for CPUs with FMA inlines the fused operations
// and vectorizes, picked at load time; the other one calls the library's fmaf. Both compute the
// same IEEE operations.
#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target_clones("fma", "default")))
#endif
bool significands_exact(float s) {
  const float r = 1.0f / s;
  bool exact = true;
  for (uint32_t m = 0; m < (1u << 23); ++m) {
    const float v = 1.0f + static_cast<float>(m) * 0x1p-23f;
    const float q0 = v * r;
    exact &= std::fmaf(std::fmaf(-q0, s, v), r, q0) == v / s;
  }
  return exact;
}

}  // namespace

bool resize_corrected_quotient_exact(float in_scale, float out_scale) {
  const float s = out_scale;
  if (!(s >= 0x1p-60f && s <= 0x1p60f)) return false;
  if (!(in_scale >= 0.0f && 1024.0 * in_scale <= 0x1p100 * static_cast<double>(s))) return false;
  // The check costs ~10 ms; models repeat scales and processes create several engines. Its
  // answer depends only on the significand of s (in this range, scaling s by a power of two
  // scales every step the other way), which is the key.
  static std::mutex mutex;
  static std::unordered_map<uint32_t, bool> known;
  uint32_t bits;
  std::memcpy(&bits, &s, sizeof bits);
  bits &= 0x7FFFFFu;
  {
    std::lock_guard<std::mutex> lock(mutex);
    const auto it = known.find(bits);
    if (it != known.end()) return it->second;
  }
  const bool exact = significands_exact(s);
  std::lock_guard<std::mutex> lock(mutex);
  known[bits] = exact;
  return exact;
}

}  // namespace kernels
}  // namespace attendseg
