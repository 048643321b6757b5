// The scalar helpers every SIMD ISA's kernels use beside their vectors: per-thread scratch, and
// kernels.h round_clamped / clamp_u8 for tails. Internal linkage: each ISA's files compile their
// own copy with their own flags, and an out-of-line copy emitted in, say, an AVX-512 or dot-product
// file must never be the one the linker hands to code that runs on a CPU without them.
#pragma once
#include <cstdint>

namespace attendseg {
namespace kernels {
namespace {

// This thread's instance of T (scratch that only grows: no allocation per frame). Out of line, so
// a kernel takes the address once: a thread_local named in a loop is a TLS lookup, in a shared
// object a call, at every use.
template <class T>
__attribute__((noinline)) T& per_thread() {
  thread_local T t;
  return t;
}

inline int32_t round1(float x) {
  x = x < -65536.0f ? -65536.0f : (x > 65536.0f ? 65536.0f : x);
  return static_cast<int32_t>(__builtin_nearbyintf(x));
}
inline uint8_t clamp1(int32_t v, int32_t lo = 0, int32_t hi = 255) {
  return static_cast<uint8_t>(v < lo ? lo : (v > hi ? hi : v));
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
