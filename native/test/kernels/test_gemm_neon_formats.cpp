// The neon GEMM's choice of packed format (arm_neon/gemm_paths.h): which weight matrices take the
// signed-byte SMULL path, that the packed buffer records it, and that both formats equal the
// reference at the SMULL path's int16 bound. test_conv.cpp covers the rest of their exactness.
#if defined(__aarch64__)
#include <string>
#include <vector>

#include "kernels/arm_neon/gemm_paths.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {

const KernelTable& neon_gemm_table() {
  for (const auto& e : all_kernel_tables())
    if (e.table->isa == Isa::Neon) return *e.table;
  return scalar_table();
}

neon::GemmFormat packed_format_of(const std::vector<int8_t>& w, int K, int N) {
  std::vector<uint8_t> packed(neon_gemm_table().gemm.packed_bytes(K, N));
  neon_gemm_table().gemm.pack(w.data(), K, N, packed.data());
  return neon::packed_format(packed.data());
}

// C = A x w^T through the table t, requantized with scale 1 around a bias that cancels
// `expected_sum` (so an error of one unit shows).
std::vector<uint8_t> run(const KernelTable& t, const std::vector<uint8_t>& A, const std::vector<int8_t>& w, int M, int K,
                         int N, int32_t expected_sum) {
  std::vector<uint8_t> packed(t.gemm.packed_bytes(K, N));
  t.gemm.pack(w.data(), K, N, packed.data());
  std::vector<int32_t> bias(N, -expected_sum);
  std::vector<float> scale(N, 1.0f);
  const Requant rq{bias.data(), scale.data(), 128, 0, 255};
  std::vector<uint8_t> C(static_cast<size_t>(M) * N);
  t.gemm.run(A.data(), K, M, K, packed.data(), N, rq, C.data(), N);
  return C;
}

}  // namespace

TEST_CASE("gemm_neon_smull_bound") {
  // Lane i of a 16-k block holds the products at k = i and i + 8: only two -128 there can reach 2^15.
  for (int K : {9, 16, 17, 40, 300}) {
    const int N = 1 + testing::rand_int(0, 20), n = testing::rand_int(0, N - 1);
    std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(N) * K, -127, 127);
    INFO("K=" << K << " N=" << N);
    CHECK(neon::smull_exact(w.data(), K, N));
    CHECK(packed_format_of(w, K, N) == neon::GemmFormat::Smull);
    const int b = 16 * testing::rand_int(0, (K - 9) / 16), i = testing::rand_int(0, std::min(7, K - 9 - b));
    w[static_cast<size_t>(n) * K + b + i] = -128;
    CHECK(neon::smull_exact(w.data(), K, N));  // one -128 in the lane: 16384 + 16256 fits
    w[static_cast<size_t>(n) * K + b + i + 8] = -128;
    CHECK(!neon::smull_exact(w.data(), K, N));
    CHECK(packed_format_of(w, K, N) == neon::GemmFormat::Smlal);
    w[static_cast<size_t>(n) * K + b + i + 8] = 127;  // -128 at i + 1 is another lane
    if (i < 7) w[static_cast<size_t>(n) * K + b + i + 1] = -128;
    CHECK(neon::smull_exact(w.data(), K, N));
  }
}

TEST_CASE("gemm_neon_formats_at_the_bound") {
  // A = 0 (the signed activation -128) against lanes of -128 and -127 (sum 32640, the largest the
  // SMULL format takes) and of two -128 (32768, which it must refuse); every table against the
  // reference.
  const int M = 5, K = 48, N = 20;
  std::vector<uint8_t> A(static_cast<size_t>(M) * K, 0);
  for (bool both : {false, true}) {
    std::vector<int8_t> w(static_cast<size_t>(N) * K, -127);
    for (int n = 0; n < N; ++n)
      for (int k = 0; k < K; ++k)
        if (k % 16 < 8 || both) w[static_cast<size_t>(n) * K + k] = -128;
    CHECK(packed_format_of(w, K, N) == (both ? neon::GemmFormat::Smlal : neon::GemmFormat::Smull));
    // Every exact sum is 0: the bias is 0 and the output the zero point, 128.
    const auto ref = run(scalar_table(), A, w, M, K, N, 0);
    const auto got = run(neon_gemm_table(), A, w, M, K, N, 0);
    CHECK(ref == std::vector<uint8_t>(ref.size(), 128));
    CHECK(got == ref);
  }
}
#endif
