// The kernel tables the ISA tests compare with the scalar reference: every table of the build
// (all_kernel_tables) and, on x86, the avxvnni table's EVEX twin (x86/avxvnni_evex_twin.h), which
// exists only in the tests.
#pragma once
#include <vector>

#include "kernels/kernels.h"

namespace kt {

std::vector<attendseg::kernels::TableEntry> tables_under_test();

}  // namespace kt
