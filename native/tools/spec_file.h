// Reads the flat ModelSpec file written by dump_spec.ts (layout documented there).
#pragma once
#include <string>

#include "attendseg/model.h"

namespace attendseg {
namespace tools {

// Throws attendseg::Error naming the file and what is wrong with it.
ModelSpec read_spec_file(const std::string& path);

}  // namespace tools
}  // namespace attendseg
