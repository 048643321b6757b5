// The two dequantized source rows a bilinear Resize row reads, cached across the output rows of
// one call (consecutive output rows mostly read the same two), for the x86 kernels: each ISA
// passes its own dequantize_row, X(q) of kernels.h for a whole source row.
#pragma once
#include <vector>

#include "kernels/kernels.h"

namespace attendseg {
namespace kernels {
// Internal linkage: each ISA's file compiles its own copy with its own flags, so no copy built
// with wider instructions can be the one the linker keeps for another table.
namespace {

// Of two row slots caching source rows, the one holding `want`, or (*fresh = true) the slot to
// fill with it: one holding neither of the two rows an output row reads (y0, y1).
inline int row_slot(const int (&row)[2], int want, int y0, int y1, bool* fresh) {
  *fresh = false;
  if (row[0] == want) return 0;
  if (row[1] == want) return 1;
  *fresh = true;
  return (row[0] != y0 && row[0] != y1) ? 0 : 1;
}

// Per thread (per_thread<DequantRows>()); a call starts with reset(), since the cached rows may be
// another tensor's, or this one's before it was rewritten.
struct DequantRows {
  std::vector<float> f[2];
  int row[2] = {-1, -1};
  void reset(const ResizeArgs& a) {
    row[0] = row[1] = -1;
    for (auto& v : f)
      if (v.size() < static_cast<size_t>(a.in_w) * a.channels) v.resize(static_cast<size_t>(a.in_w) * a.channels);
  }
};

// Rows y0 and y1 dequantized (*f0, *f1), converting whichever is not cached into a slot the other
// does not use with dequantize_row(a, y, floats).
template <class DequantizeRow>
inline void dequant_rows(const ResizeArgs& a, int y0, int y1, DequantRows* r, const float** f0, const float** f1,
                         DequantizeRow dequantize_row) {
  const int want[2] = {y0, y1};
  const float** dst[2] = {f0, f1};
  for (int k = 0; k < 2; ++k) {
    bool fresh;
    const int slot = row_slot(r->row, want[k], y0, y1, &fresh);
    if (fresh) {
      dequantize_row(a, want[k], r->f[slot].data());
      r->row[slot] = want[k];
    }
    *dst[k] = r->f[slot].data();
  }
}

}  // namespace
}  // namespace kernels
}  // namespace attendseg
