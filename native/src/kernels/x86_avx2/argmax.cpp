// Per-pixel argmax over channels and its confidence, AVX2. Bit-identical to scalar/argmax.cpp.
#include <immintrin.h>

#include <cstring>

#include "kernels/scalar/other_ops.h"
#include "kernels/x86_avx2/avx2_util.h"
#include "kernels/x86_avx2/other_ops.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

// kernels.h ArgmaxArgs' confidence of pixels [p_begin, p_end), whose labels are set. Per pixel,
// the softmax entries are plain loads into two running sums: vpgatherdd (8 lanes, or one 16-lane
// AVX-512 gather per pixel) measured clearly slower than these loads, which bound both. The
// division runs for 8 pixels at once, in
// float, then corrected to the exact integer quotient: the float estimate is within 1 of it
// (N < 2^25, D <= 2^24, quotient <= 255), and wrong without the correction for one sum (4774766).
void confidence(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  const uint32_t* table = a.softmax;
  auto sum_of = [&](size_t p) {
    const uint8_t* in = a.in + p * C;
    const int m = in[a.labels[p]];
    uint32_t s0 = 0, s1 = 0;
    int c = 0;
    for (; c + 2 <= C; c += 2) {
      s0 += table[m - in[c]];
      s1 += table[m - in[c + 1]];
    }
    if (c < C) s0 += table[m - in[c]];
    return static_cast<int32_t>(s0 + s1);
  };
  const __m256i k255 = _mm256_set1_epi32(255 * 65536);
  auto divide8 = [&](__m256i d) {
    const __m256i n = _mm256_add_epi32(k255, _mm256_srli_epi32(d, 1));
    __m256i q = _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(n), _mm256_cvtepi32_ps(d)));
    const __m256i r = _mm256_sub_epi32(n, _mm256_mullo_epi32(q, d));
    q = _mm256_add_epi32(q, _mm256_cmpgt_epi32(_mm256_setzero_si256(), r));                   // r < 0: q - 1
    q = _mm256_sub_epi32(q, _mm256_cmpgt_epi32(r, _mm256_sub_epi32(d, _mm256_set1_epi32(1))));  // r >= d: q + 1
    return q;
  };
  size_t p = p_begin;
  for (; p + 8 <= p_end; p += 8) {  // the sums go to a register, not through memory (no store forwarding)
    const __m256i d = _mm256_setr_epi32(sum_of(p), sum_of(p + 1), sum_of(p + 2), sum_of(p + 3), sum_of(p + 4),
                                        sum_of(p + 5), sum_of(p + 6), sum_of(p + 7));
    store8_epi32(a.confidence + p, divide8(d));
  }
  if (p < p_end) {
    const int n = static_cast<int>(p_end - p);
    alignas(32) int32_t sums[8];
    for (int j = 0; j < 8; ++j) sums[j] = j < n ? sum_of(p + j) : 65536;
    alignas(8) uint8_t out[8];
    store8_epi32(out, divide8(_mm256_load_si256(reinterpret_cast<const __m256i*>(sums))));
    std::memcpy(a.confidence + p, out, static_cast<size_t>(n));
  }
}

}  // namespace

// Each channel c becomes argmax_keys' 16-bit key ((255 - x) << 8) | c: the smallest key is the
// largest value and, among equal values, the smallest channel, i.e. the first index of the
// maximum. Keys are reduced with unsigned 16-bit min and finished by smallest_key_channel.
// Channels are read in 16-wide (or 8/4-wide for small C) blocks; the last block overlaps the
// previous one, which repeats identical keys and so changes nothing. Needs C <= 256 (labels are bytes).
// With confidence, the range's labels first, then their confidence (confidence above).
void argmax(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  if (C < 4 || C > 256) {
    scalar::argmax(a, p_begin, p_end);
    return;
  }
  if (a.confidence) {
    ArgmaxArgs labels_only = a;
    labels_only.confidence = nullptr;
    argmax(labels_only, p_begin, p_end);
    confidence(a, p_begin, p_end);
    return;
  }
  auto keys = [](__m128i bytes16, __m256i idx) { return argmax_keys(_mm256_cvtepu8_epi16(bytes16), idx); };
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
      a.labels[p] = smallest_key_channel(acc);
    }
  } else if (C >= 8) {
    // Lanes 0..7: channels 0..7; lanes 8..15: channels C-8..C-1.
    const __m256i idx = _mm256_setr_epi16(0, 1, 2, 3, 4, 5, 6, 7, C - 8, C - 7, C - 6, C - 5, C - 4, C - 3, C - 2, C - 1);
    for (size_t p = p_begin; p < p_end; ++p) {
      const uint8_t* in = a.in + p * C;
      const __m128i b = _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(in)),
                                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(in + C - 8)));
      a.labels[p] = smallest_key_channel(keys(b, idx));
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
      a.labels[p] = smallest_key_channel(_mm256_or_si256(keys(b, idx), pad));
    }
  }
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
