// Per-pixel argmax over channels, AVX2. Bit-identical to scalar/argmax.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/scalar/other_ops.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// Each channel c becomes the 16-bit key ((255 - x) << 8) | c: the smallest key is the largest
// value and, among equal values, the smallest channel, i.e. the first index of the maximum.
// Keys are reduced with unsigned 16-bit min and finished with phminposuw. Channels are read in
// 16-wide (or 8/4-wide for small C) blocks; the last block overlaps the previous one, which
// repeats identical keys and so changes nothing. Needs C <= 256 (labels are bytes).
void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  if (C < 4 || C > 256) {
    scalar::argmax(a, p_begin, p_end);
    return;
  }
  const __m256i ff = _mm256_set1_epi16(0xFF);
  auto keys = [&](__m128i bytes16, __m256i idx) {
    const __m256i v = _mm256_cvtepu8_epi16(bytes16);
    return _mm256_or_si256(_mm256_slli_epi16(_mm256_xor_si256(v, ff), 8), idx);
  };
  auto finish = [](__m256i acc) {
    const __m128i m = _mm_min_epu16(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    return static_cast<uint8_t>(_mm_cvtsi128_si32(_mm_minpos_epu16(m)) & 0xFF);
  };
  const __m256i lane = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  if (C >= 16) {
    const __m256i tail_idx = _mm256_add_epi16(lane, _mm256_set1_epi16(static_cast<int16_t>(C - 16)));
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      __m256i acc = keys(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), lane);
      int c = 16;
      for (; c + 16 <= C; c += 16) {
        const __m256i idx = _mm256_add_epi16(lane, _mm256_set1_epi16(static_cast<int16_t>(c)));
        acc = _mm256_min_epu16(acc, keys(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + c)), idx));
      }
      if (c < C)
        acc = _mm256_min_epu16(acc, keys(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + C - 16)), tail_idx));
      a.labels[p] = finish(acc);
    }
  } else if (C >= 8) {
    // Lanes 0..7: channels 0..7; lanes 8..15: channels C-8..C-1.
    const __m256i idx = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, C - 8, C - 7, C - 6, C - 5, C - 4, C - 3, C - 2, C - 1);
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      const __m128i b = _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(in)),
                                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + C - 8)));
      a.labels[p] = finish(keys(b, idx));
    }
  } else {
    // 4..7 channels: lanes 0..3 channels 0..3, lanes 4..7 channels C-4..C-1, lanes 8..15 unused
    // (key 0xFFFF never wins against a real key, whose high byte is at most 255 with c < 256).
    const __m256i idx = _mm256_setr_epi16(0, 1, 2, 3, C - 4, C - 3, C - 2, C - 1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m256i pad = _mm256_setr_epi16(0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1);
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      uint32_t lo, hi;
      std::memcpy(&lo, in, 4);
      std::memcpy(&hi, in + C - 4, 4);
      const __m128i b = _mm_cvtsi64_si128(static_cast<long long>((static_cast<uint64_t>(hi) << 32) | lo));
      a.labels[p] = finish(_mm256_or_si256(keys(b, idx), pad));
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
