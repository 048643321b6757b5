// AVX2 GEMM with fused requantization (kernels.h, GemmKernel), bit-exact with scalar::gemm_run.
//
// Two packed formats (gemm_paths.h): maddubs (u8 x s8, 32 multiply-accumulates per instruction,
// no widening pass) for weight matrices whose int16 pair sums cannot saturate, checked on the
// actual weights at pack time; madd16 (int16, 16 per instruction) for every other one. The
// packed buffer starts with a header naming the format (gemm_paths.h), so run() needs nothing else;
// packed_bytes() sizes for the larger of the two formats. ATTENDSEG_AVX2_MADDUBS=0 in the
// environment at pack time forces madd16 (for A/B measurements).
#include <cstring>

#include "env_settings.h"
#include "kernels/x86_avx2/conv_ops.h"
#include "kernels/x86_avx2/gemm_paths.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

namespace {

bool maddubs_allowed() {
  return env_settings().avx2_maddubs;
}

}  // namespace

size_t gemm_packed_bytes(int K, int N) {
  const size_t a = madd16_packed_bytes(K, N), b = maddubs_packed_bytes(K, N);
  return kGemmHeaderBytes + (a > b ? a : b);
}

void gemm_pack(const int8_t* w, int K, int N, uint8_t* packed) {
  std::memset(packed, 0, gemm_packed_bytes(K, N));
  const GemmFormat f = maddubs_allowed() && maddubs_exact(w, K, N) ? GemmFormat::Maddubs : GemmFormat::Madd16;
  std::memcpy(packed, &f, sizeof(f));
  if (f == GemmFormat::Maddubs)
    maddubs_pack(w, K, N, packed + kGemmHeaderBytes);
  else
    madd16_pack(w, K, N, packed + kGemmHeaderBytes);
}

void gemm_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
              uint8_t* C, size_t ldc) {
  if (packed_format(packed) == GemmFormat::Maddubs)
    maddubs_run(A, lda, M, K, packed + kGemmHeaderBytes, N, rq, C, ldc);
  else
    madd16_run(A, lda, M, K, packed + kGemmHeaderBytes, N, rq, C, ldc);
}

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
