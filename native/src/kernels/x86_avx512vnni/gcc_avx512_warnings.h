// Included first by every .cpp of this folder. GCC 12 reports -Wuninitialized inside its own
// AVX-512 intrinsic headers (an _mm512_undefined_* pass-through operand, GCC bug 105593),
// reported where the intrinsic is inlined; no value read in these files is uninitialized. The
// pragmas hold for the rest of the including file.
#pragma once
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)  // a GCC-only warning group
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
