// The two packed-weight formats of the AVX2 GEMM. gemm.cpp (the GemmKernel entry points) picks
// one per weight matrix at pack time and records it in the packed buffer's header; both compute
// exactly scalar::gemm_run.
//   madd16 : activations widened to int16, vpmaddwd; exact for any int8 weights.
//   maddubs: u8 activations straight from A, vpmaddubsw + vpmaddwd by ones; exact only for
//            weights that maddubs_exact() accepts (no int16 pair sum can saturate). Its weights
//            are k-quad panels in paired steps (maddubs_pack).
// quad_pack's plain k-quad panels are the avxvnni table's vpdpbusd GEMM weights.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
namespace avx2 {

// A packed buffer starts with kGemmHeaderBytes naming its format (a GemmFormat in the first four
// bytes, the rest zero); the panels follow, keeping the buffer's alignment.
enum class GemmFormat : uint32_t { Madd16 = 1, Maddubs = 2 };
constexpr size_t kGemmHeaderBytes = 64;
inline GemmFormat packed_format(const uint8_t* packed) {
  GemmFormat f;
  std::memcpy(&f, packed, sizeof(f));
  return f;
}

size_t madd16_packed_bytes(int K, int N);
void madd16_pack(const int8_t* w, int K, int N, uint8_t* packed);
void madd16_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                uint8_t* C, size_t ldc);

// k-quad panels (quad_panels.cpp, the avxvnni GEMM's): channels in panels of 16 (the last one 8 wide when
// N % 16 <= 8, gemm_tile.h), each panel k-quad major: for each quad (4q .. 4q+3) the panel's
// channels' four int8 weights, channel after channel, so one ymm holds 8 channels' quads. Channels
// past N and k past K are zero. GemmKernel::packed_bytes and ::pack of that layout.
size_t quad_packed_bytes(int K, int N);
void quad_pack(const int8_t* w, int K, int N, uint8_t* packed);

bool maddubs_exact(const int8_t* w, int K, int N);
// The maddubs format (gemm_maddubs.cpp): the k-quads of each panel in steps of two quads that
// share a vpmaddwd, or of one.
size_t maddubs_packed_bytes(int K, int N);
void maddubs_pack(const int8_t* w, int K, int N, uint8_t* packed);
// Steps over all panels (a tool for tests and measurements).
struct MaddubsSteps {
  int pairs = 0, singles = 0;
};
MaddubsSteps maddubs_steps(const uint8_t* packed, int K, int N);
void maddubs_run(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N, const Requant& rq,
                 uint8_t* C, size_t ldc);

}  // namespace avx2
}  // namespace kernels
}  // namespace attendseg
