// OpSpec construction for the engine tests' hand-built models.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "attendseg/model.h"

namespace testing {

// An op of `kind` reading tensors `inputs` into tensor `output`; its kind's own fields are left
// to the caller.
inline attendseg::OpSpec op_spec(attendseg::OpKind kind, std::string name, std::vector<int32_t> inputs,
                                 int32_t output) {
  attendseg::OpSpec op;
  op.kind = kind;
  op.name = std::move(name);
  op.inputs = std::move(inputs);
  op.output = output;
  return op;
}

}  // namespace testing
