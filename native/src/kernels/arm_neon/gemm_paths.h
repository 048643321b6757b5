// The two packed-weight formats of the neon GEMM (no dot product: Xavier's Carmel, Cortex-A57 and
// A72). gemm.cpp (the GemmKernel entry points) picks one per weight matrix at pack time and records
// it in the packed buffer's header; both compute exactly scalar::gemm_run.
//   smull: signed-byte products (a - 128) * w by SMULL/SMLAL2, two per int16 lane, then SADALP
//          into int32 (gemm_smull.cpp); exact when no two products of a lane can reach 2^15, which
//          smull_exact() checks on the weights.
//   smlal: activations widened to int16, SMLAL by element into int32 (gemm_smlal.cpp); exact for
//          any int8 weights.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace neon {

// A packed buffer starts with kGemmHeaderBytes naming its format (a GemmFormat in the first four
// bytes, the rest zero); the panels follow, keeping the buffer's alignment.
enum class GemmFormat : uint32_t { Smlal = 1, Smull = 2 };
constexpr size_t kGemmHeaderBytes = 64;
inline GemmFormat packed_format(const uint8_t* packed) {
  GemmFormat f;
  std::memcpy(&f, packed, sizeof(f));
  return f;
}

size_t smlal_packed_bytes(int K, int N);
void smlal_pack(const int8_t* w, int K, int N, uint8_t* packed);
void smlal_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
               uint8_t* C, size_t ldc);

bool smull_exact(const int8_t* w, int K, int N);
size_t smull_packed_bytes(int K, int N);
void smull_pack(const int8_t* w, int K, int N, uint8_t* packed);
void smull_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
               uint8_t* C, size_t ldc);

}  // namespace neon
}  // namespace kernels
}  // namespace attendseg
