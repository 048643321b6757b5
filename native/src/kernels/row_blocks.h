// Splits M rows into blocks for a GEMM micro-kernel whose row count is a template parameter,
// each handed over as a compile-time constant so every block size gets its own register-blocked
// instantiation: for_row_blocks takes full blocks of MR rows, then one block of the M % MR rows
// left; for_balanced_row_blocks takes as many blocks, of sizes differing by at most one.
#pragma once
#include <type_traits>

namespace attendseg {
namespace kernels {

template <int R>
using Rows = std::integral_constant<int, R>;

// Calls f(m, Rows<R>{}) for the block of rows [m, m + R), in order; f reads R as
// decltype(rows)::value.
template <int MR, class F>
inline void for_row_blocks(int M, F&& f) {
  static_assert(MR >= 1 && MR <= 8, "remainders are dispatched up to 7 rows");
  int m = 0;
  for (; m + MR <= M; m += MR) f(m, Rows<MR>{});
  switch (M - m) {
    case 1: if constexpr (MR > 1) f(m, Rows<1>{}); break;
    case 2: if constexpr (MR > 2) f(m, Rows<2>{}); break;
    case 3: if constexpr (MR > 3) f(m, Rows<3>{}); break;
    case 4: if constexpr (MR > 4) f(m, Rows<4>{}); break;
    case 5: if constexpr (MR > 5) f(m, Rows<5>{}); break;
    case 6: if constexpr (MR > 6) f(m, Rows<6>{}); break;
    case 7: if constexpr (MR > 7) f(m, Rows<7>{}); break;
    default: break;
  }
}

// Calls f(m, Rows<R>{}) for ceil(M / MR) blocks in order, the larger ones first: 15 rows with
// MR = 6 as 5 + 5 + 5, not 6 + 6 + 3, for a micro-kernel whose rows are its only independent
// accumulator chains: a small last block would wait on the multiply-add's latency.
template <int MR, class F>
inline void for_balanced_row_blocks(int M, F&& f) {
  static_assert(MR >= 1 && MR <= 8, "blocks are dispatched up to 8 rows");
  const int blocks = (M + MR - 1) / MR;
  for (int b = 0, m = 0; b < blocks; ++b) {
    const int n = (M - m + (blocks - b) - 1) / (blocks - b);  // the rows left over the blocks left, rounded up
    switch (n) {
      case 1: f(m, Rows<1>{}); break;
      case 2: if constexpr (MR >= 2) f(m, Rows<2>{}); break;
      case 3: if constexpr (MR >= 3) f(m, Rows<3>{}); break;
      case 4: if constexpr (MR >= 4) f(m, Rows<4>{}); break;
      case 5: if constexpr (MR >= 5) f(m, Rows<5>{}); break;
      case 6: if constexpr (MR >= 6) f(m, Rows<6>{}); break;
      case 7: if constexpr (MR >= 7) f(m, Rows<7>{}); break;
      case 8: if constexpr (MR >= 8) f(m, Rows<8>{}); break;
      default: break;
    }
    m += n;
  }
}

}  // namespace kernels
}  // namespace attendseg
