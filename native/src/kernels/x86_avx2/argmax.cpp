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
// the softmax entries of 8 channels at a time are gathered (the partial last block masked) and
// summed; the division runs for 8 pixels at once, in float, then corrected to the exact integer
// quotient: the float estimate is within 1 of it (N < 2^25, D <= 2^24, quotient <= 255).
void confidence(const ArgmaxArgs& a, size_t p_begin, size_t p_end) {
  const int C = a.channels;
  const int* table = reinterpret_cast<const int*>(a.softmax);
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const int tail = C % 8;  // channels of the partial block
  // The partial block: when C >= 8, the last 8 channels, of which lanes 8 - tail.. are new;
  // otherwise channels 0..C-1 in lanes 0..C-1.
  const __m256i tail_mask = C >= 8 ? _mm256_cmpgt_epi32(lane, _mm256_set1_epi32(7 - tail))
                                   : _mm256_cmpgt_epi32(_mm256_set1_epi32(C), lane);
  alignas(32) int32_t sums[8];
  auto sum_of = [&](size_t p) {
    const uint8_t* in = a.in + p * C;
    const __m256i m = _mm256_set1_epi32(in[a.labels[p]]);
    __m256i acc = _mm256_setzero_si256();
    int c = 0;
    for (; c + 8 <= C; c += 8)
      acc = _mm256_add_epi32(acc, _mm256_i32gather_epi32(table, _mm256_sub_epi32(m, load8_u8_epi32(in + c)), 4));
    if (tail) {
      __m256i x;
      if (C >= 8) {
        x = load8_u8_epi32(in + C - 8);
      } else {  // fewer than 8 channels: no read past the pixel
        alignas(8) uint8_t tmp[8] = {};
        std::memcpy(tmp, in, static_cast<size_t>(C));
        x = load8_u8_epi32(tmp);
      }
      acc = _mm256_add_epi32(acc, _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), table, _mm256_sub_epi32(m, x),
                                                               tail_mask, 4));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
  };
  const __m256i k255 = _mm256_set1_epi32(255 * 65536);
  auto divide8 = [&]() {
    const __m256i d = _mm256_load_si256(reinterpret_cast<const __m256i*>(sums));
    const __m256i n = _mm256_add_epi32(k255, _mm256_srli_epi32(d, 1));
    __m256i q = _mm256_cvttps_epi32(_mm256_div_ps(_mm256_cvtepi32_ps(n), _mm256_cvtepi32_ps(d)));
    const __m256i r = _mm256_sub_epi32(n, _mm256_mullo_epi32(q, d));
    q = _mm256_add_epi32(q, _mm256_cmpgt_epi32(_mm256_setzero_si256(), r));                   // r < 0: q - 1
    q = _mm256_sub_epi32(q, _mm256_cmpgt_epi32(r, _mm256_sub_epi32(d, _mm256_set1_epi32(1))));  // r >= d: q + 1
    return q;
  };
  size_t p = p_begin;
  for (; p + 8 <= p_end; p += 8) {
    for (int j = 0; j < 8; ++j) sums[j] = sum_of(p + j);
    store8_epi32(a.confidence + p, divide8());
  }
  if (p < p_end) {
    const int n = static_cast<int>(p_end - p);
    for (int j = 0; j < 8; ++j) sums[j] = j < n ? sum_of(p + j) : 65536;
    alignas(8) uint8_t out[8];
    store8_epi32(out, divide8());
    std::memcpy(a.confidence + p, out, static_cast<size_t>(n));
  }
}

}  // namespace

// Each channel c becomes the 16-bit key ((255 - x) << 8) | c: the smallest key is the largest
// value and, among equal values, the smallest channel, i.e. the first index of the maximum.
// Keys are reduced with unsigned 16-bit min and finished with phminposuw. Channels are read in
// 16-wide (or 8/4-wide for small C) blocks; the last block overlaps the previous one, which
// repeats identical keys and so changes nothing. Needs C <= 256 (labels are bytes).
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
