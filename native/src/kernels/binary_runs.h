// The broadcast handling every SIMD ISA's Add and Mul share (kernels.h "Element-wise"): a binary
// op over pixels [p_begin, p_end) becomes calls of the ISA's contiguous loop
//   run(a, b, b_value, out, n): out[i] = op(a[i], b ? b[i] : b_value) for i < n.
// Full is one run; Channel repeats b's C values into a stack buffer covering many pixels (small C)
// or runs per pixel (large C); Pixel runs per pixel with b's value (large C) or expands b into the
// buffer (small C). `run` is a functor of the ISA's own file (internal linkage), so each ISA gets
// its own instantiation compiled with its flags.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {

template <class Run>
inline void binary_runs(const BinaryArgs& a, size_t p_begin, size_t p_end, const Run& run) {
  const size_t C = static_cast<size_t>(a.channels);
  if (a.broadcast == Broadcast::Full) {
    run(a.a + p_begin * C, a.b + p_begin * C, uint8_t{0}, a.out + p_begin * C, (p_end - p_begin) * C);
    return;
  }
  constexpr size_t kBuf = 2048;
  if (C >= 64 || C > kBuf) {
    for (size_t p = p_begin; p < p_end; ++p) {
      if (a.broadcast == Broadcast::Channel)
        run(a.a + p * C, a.b, uint8_t{0}, a.out + p * C, C);
      else
        run(a.a + p * C, nullptr, a.b[p], a.out + p * C, C);
    }
    return;
  }
  uint8_t buf[kBuf];
  const size_t chunk = kBuf / C;  // pixels per buffer
  if (a.broadcast == Broadcast::Channel)
    for (size_t k = 0; k < chunk; ++k) std::memcpy(buf + k * C, a.b, C);
  for (size_t p = p_begin; p < p_end; p += chunk) {
    const size_t np = p_end - p < chunk ? p_end - p : chunk;
    if (a.broadcast == Broadcast::Pixel)
      for (size_t k = 0; k < np; ++k) std::memset(buf + k * C, a.b[p + k], C);
    run(a.a + p * C, buf, uint8_t{0}, a.out + p * C, np * C);
  }
}

}  // namespace kernels
}  // namespace attendseg
