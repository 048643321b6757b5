// Structural validation of a ModelSpec before anything is packed or allocated.
#pragma once
#include "attendseg/model.h"

namespace attendseg {

// Throws attendseg::Error naming the op (or tensor) and the reason. The limits are the
// contract's, in attendseg/model.h.
void check_model(const ModelSpec& spec);

}  // namespace attendseg
