// ROS 2 CDR (XCDR1, as rmw publishes it) for the node's outputs: sensor_msgs/Image messages whose
// data region the engine then fills in place. Inbound messages are decoded in TypeScript (src/msg).
// No Node types here, so the byte layout is testable alone.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace attendseg_addon {
namespace cdr {

struct Header {
  int32_t stamp_sec = 0;
  uint32_t stamp_nanosec = 0;
  std::string frame_id;
};

// A little-endian sensor_msgs/Image message: its total size and where `data` starts.
struct ImageLayout {
  size_t total_size = 0;
  size_t data_offset = 0;
};
ImageLayout image_layout(const Header& header, const std::string& encoding, size_t data_size);

// Writes every byte of the message except the `data_size` data bytes at layout.data_offset
// (alignment padding included, zeroed), into `out` of layout.total_size bytes.
void write_image_prefix(uint8_t* out, const ImageLayout& layout, const Header& header, uint32_t height, uint32_t width,
                        const std::string& encoding, uint8_t is_bigendian, uint32_t step, size_t data_size);

}  // namespace cdr
}  // namespace attendseg_addon
