// The AVX2 GEMM's choice of packed format (x86_avx2/gemm_paths.h): which weight matrices take the
// u8 x s8 vpmaddubsw path, that the packed buffer records it, and which k-quads its packing pairs.
// Exactness of both formats against the reference is covered by test_conv.cpp for every table.
#if defined(__x86_64__) || defined(_M_X64)
#include <string>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/x86_avx2/gemm_paths.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {

bool avx2_usable() {
  for (const auto& e : all_kernel_tables())
    if (e.table->isa == Isa::Avx2) return e.usable;
  return false;
}

// The format gemm.pack picks for w ([N][K]).
avx2::GemmFormat packed_format_of(const std::vector<int8_t>& w, int K, int N) {
  std::vector<uint8_t> packed(avx2_table().gemm.packed_bytes(K, N));
  avx2_table().gemm.pack(w.data(), K, N, packed.data());
  return avx2::packed_format(packed.data());
}

// One channel whose weights are `row` ([K]), between channels of small weights.
std::vector<int8_t> with_row(const std::vector<int8_t>& row, int N, int n) {
  const int K = static_cast<int>(row.size());
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(N) * K, -20, 20);
  for (int k = 0; k < K; ++k) w[static_cast<size_t>(n) * K + k] = row[k];
  return w;
}

}  // namespace

TEST_CASE("gemm_avx2_maddubs_bound") {
  if (!avx2_usable()) {
    WARN("skip: this CPU cannot run the avx2 kernels; they were NOT tested");
    return;
  }
  struct PairCase {
    int w1, w2;
    bool exact;
  };
  // Same sign: |w1| + |w2| <= 128 fits (255 * 128 = 32640); opposite signs always fit.
  static const PairCase kPairs[] = {
      {64, 64, true},    {65, 64, false},   {64, 65, false},    {-64, -64, true},   {-65, -64, false},
      {127, 1, true},    {127, 2, false},   {-127, -1, true},   {-127, -2, false},  {-128, 0, true},
      {-128, -1, false}, {127, -128, true}, {-128, 127, true},  {127, 0, true},     {0, 127, true},
      {100, 28, true},   {100, 29, false},  {-100, -28, true},  {-100, -29, false}, {1, 127, true}};
  for (const PairCase& p : kPairs)
    for (int K : {2, 5, 8, 27}) {
      const int N = 1 + testing::rand_int(0, 20), n = testing::rand_int(0, N - 1);
      const int k0 = 2 * testing::rand_int(0, K / 2 - 1);
      std::vector<int8_t> row = testing::rand_vec<int8_t>(K, -20, 20);
      row[k0] = static_cast<int8_t>(p.w1);
      row[k0 + 1] = static_cast<int8_t>(p.w2);
      const std::vector<int8_t> w = with_row(row, N, n);
      INFO("pair (" << p.w1 << ", " << p.w2 << ") K=" << K);
      CHECK(avx2::maddubs_exact(w.data(), K, N) == p.exact);
      CHECK(packed_format_of(w, K, N) == (p.exact ? avx2::GemmFormat::Maddubs : avx2::GemmFormat::Madd16));
    }
  // Pairs are (2j, 2j+1): 65 and 64 at k = 1, 2 are in different pairs.
  CHECK(avx2::maddubs_exact(std::vector<int8_t>{0, 65, 64, 0}.data(), 4, 1));
  CHECK(!avx2::maddubs_exact(std::vector<int8_t>{0, 0, 65, 64}.data(), 4, 1));
  // A lone last weight (odd K) pairs with the zero padding: any value fits.
  CHECK(avx2::maddubs_exact(std::vector<int8_t>{64, 64, -128}.data(), 3, 1));
  CHECK(avx2::maddubs_exact(std::vector<int8_t>{127}.data(), 1, 1));
  // Random weights in [-64, 64] always qualify; the full int8 range practically never does.
  for (int i = 0; i < 20; ++i) {
    const int K = testing::rand_int(1, 300), N = testing::rand_int(1, 70);
    const auto narrow = testing::rand_vec<int8_t>(static_cast<size_t>(N) * K, -64, 64);
    INFO("K=" << K << " N=" << N);
    CHECK(packed_format_of(narrow, K, N) == avx2::GemmFormat::Maddubs);
  }
  std::vector<int8_t> full(64 * 64, 127);
  CHECK(packed_format_of(full, 64, 64) == avx2::GemmFormat::Madd16);
}

// Paired and single steps of the maddubs format, over all panels.
avx2::MaddubsSteps steps_of(const std::vector<int8_t>& w, int K, int N) {
  std::vector<uint8_t> packed(avx2::maddubs_packed_bytes(K, N));
  avx2::maddubs_pack(w.data(), K, N, packed.data());
  return avx2::maddubs_steps(packed.data(), K, N);
}

TEST_CASE("gemm_avx2_maddubs_pairs") {
  // Two quads pair when each channel's matching weight pairs sum, per sign, to at most 128.
  for (int K : {8, 9, 64, 96, 97, 288}) {
    for (int N : {5, 16, 24, 40}) {
      const int panels = (N + 15) / 16, quads = K / 4, partial = K % 4 ? 1 : 0;
      INFO("K=" << K << " N=" << N);
      // Every weight 32: every quad pairs (an odd count leaves one single per panel).
      avx2::MaddubsSteps s = steps_of(std::vector<int8_t>(static_cast<size_t>(N) * K, 32), K, N);
      CHECK(s.pairs == panels * (quads / 2));
      CHECK(s.singles == panels * (quads % 2 + partial));
      // Every weight -33: the pair sums reach -132, so nothing pairs.
      s = steps_of(std::vector<int8_t>(static_cast<size_t>(N) * K, -33), K, N);
      CHECK(s.pairs == 0);
      CHECK(s.singles == panels * (quads + partial));
      // Small random weights always pair.
      s = steps_of(testing::rand_vec<int8_t>(static_cast<size_t>(N) * K, -32, 32), K, N);
      CHECK(s.pairs == panels * (quads / 2));
    }
  }
  // Each sign is bounded on its own: a quad of 64s (positive lane sums 128) pairs with one of
  // -64s (negative sums 128), as the int16 sum then lies in [-32640, 32640].
  std::vector<int8_t> alt(16 * 8);
  for (int n = 0; n < 16; ++n)
    for (int k = 0; k < 8; ++k) alt[n * 8 + k] = static_cast<int8_t>(k < 4 ? 64 : -64);
  CHECK(steps_of(alt, 8, 16).pairs == 1);
  // One heavy quad (a lane at 128) pairs with nothing but a quad of zeros.
  std::vector<int8_t> heavy(16 * 12, 0);
  for (int n = 0; n < 16; ++n) {
    heavy[n * 12 + 0] = heavy[n * 12 + 1] = 64;  // quad 0, lane 0: 128
    heavy[n * 12 + 4] = 1;                       // quad 1, lane 0: 1
  }
  const avx2::MaddubsSteps h = steps_of(heavy, 12, 16);
  CHECK(h.pairs == 1);    // quad 0 with quad 2 (zeros)
  CHECK(h.singles == 1);  // quad 1
}

TEST_CASE("gemm_avx2_maddubs_env_override") {
  if (!avx2_usable()) {
    WARN("skip: this CPU cannot run the avx2 kernels; they were NOT tested");
    return;
  }
  const auto w = testing::rand_vec<int8_t>(16 * 40, -64, 64);
  {
    testing::ScopedEnv env("ATTENDSEG_AVX2_MADDUBS", "0");
    CHECK(packed_format_of(w, 40, 16) == avx2::GemmFormat::Madd16);
  }
  {
    testing::ScopedEnv env("ATTENDSEG_AVX2_MADDUBS", "1");
    CHECK(packed_format_of(w, 40, 16) == avx2::GemmFormat::Maddubs);
  }
  testing::ScopedEnv unset("ATTENDSEG_AVX2_MADDUBS", nullptr);
  CHECK(packed_format_of(w, 40, 16) == avx2::GemmFormat::Maddubs);
}
#endif
