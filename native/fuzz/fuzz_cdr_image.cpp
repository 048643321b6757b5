// libFuzzer target: serialized sensor_msgs/Image and CompressedImage messages from anywhere
// (native/addon/cdr_image.cpp, as the node receives them from rmw). The first byte chooses the
// message type. Every rejection must be an attendseg::Error, and an accepted view must lie
// inside the buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "attendseg/engine.h"
#include "cdr_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  // A buffer of exactly the message's size, so that ASan sees any read past it.
  const std::vector<uint8_t> msg(data + 1, data + size);
  try {
    if (data[0] & 1) {
      const auto v = attendseg_addon::cdr::parse_compressed_image(msg.data(), msg.size());
      if (v.data_offset > msg.size() || v.data_size > msg.size() - v.data_offset) std::abort();
    } else {
      const auto v = attendseg_addon::cdr::parse_image(msg.data(), msg.size());
      if (v.data_offset > msg.size() || v.data_size > msg.size() - v.data_offset) std::abort();
    }
  } catch (const attendseg::Error&) {
  }
  return 0;
}
