// libFuzzer target: a model spec file from anywhere (native/tools/dump_spec.ts's format) through
// the reader, the validator, weight packing and one small run. Every rejection must be an
// attendseg::Error; anything else (a crash, a sanitizer report, another exception, an allocation
// past libFuzzer's limit) is a finding.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attendseg/engine.h"
#include "spec_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  attendseg::ModelSpec spec;
  try {
    spec = attendseg::parse_spec_file(data, size, "fuzz.spec");
  } catch (const attendseg::Error&) {
    return 0;
  }
  attendseg::EngineOptions options;
  options.threads = 1;
  options.isa = "scalar";  // the reference kernels; the SIMD tables are checked against them in ctest
  options.max_activation_bytes = size_t(64) << 20;
  std::unique_ptr<attendseg::Engine> engine;
  try {
    engine = attendseg::Engine::create(spec, options);
  } catch (const attendseg::Error&) {
    return 0;
  }
  // An input size that every stride divides unevenly, so padding and rounding paths run.
  const int32_t h = 13, w = 17;
  std::vector<uint8_t> input(size_t(h) * w * 3);
  for (size_t i = 0; i < input.size(); ++i) input[i] = static_cast<uint8_t>(i * 37);
  std::vector<uint8_t> out;
  int32_t oh = 0, ow = 0, oc = 0;
  try {
    engine->run_network(input.data(), h, w, &out, &oh, &ow, &oc);
  } catch (const attendseg::Error&) {
  }
  return 0;
}
