// The two forms of a SIMD kernel's requantization epilogue: the general one, and the one for sums
// known to stay small (Requant::bounded) whose [qmin, qmax] is [0, 255] (requant_clamps false),
// which leaves out both the clamp at 65536 before the conversion and the byte clamp after the
// unsigned packs. Every convolution of the shipped model takes the second.
#pragma once

namespace attendseg {
namespace kernels {
// Internal linkage, as the ISA headers that use it.
namespace {

template <bool kShort>
struct RequantMode {
  static constexpr bool kBounded = kShort, kClamp = !kShort;
};

// Calls f(RequantMode<...>{}) with the form that bounded and clamp allow, so a kernel
// instantiates its body once per form and picks one per call.
template <class F>
inline __attribute__((always_inline)) void with_requant_mode(bool bounded, bool clamp, F&& f) {
  if (bounded && !clamp)
    f(RequantMode<true>{});
  else
    f(RequantMode<false>{});
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
