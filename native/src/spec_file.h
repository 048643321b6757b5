// The flat ModelSpec file written by native/tools/dump_spec.ts (layout documented there), read
// by the native tools and by the addon's decodeSpecFile. Bytes from anywhere: every count and
// length is checked against what is left of the input before anything is allocated.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "attendseg/model.h"

namespace attendseg {

// Throws attendseg::Error naming `source` and what is wrong. The result is not yet validated:
// Engine::create and check_model do that.
ModelSpec parse_spec_file(const uint8_t* data, size_t size, const std::string& source);
ModelSpec read_spec_file(const std::string& path);

}  // namespace attendseg
