#include "cdr_image.h"

#include <cstring>

#include "attendseg/engine.h"

namespace attendseg_addon {
namespace cdr {

using attendseg::Error;

namespace {

constexpr size_t kEncapsulation = 4;  // representation id (2 bytes) + options (2 bytes)

// Alignment in CDR counts from the end of the encapsulation header.
size_t align_up(size_t pos, size_t n) { return kEncapsulation + ((pos - kEncapsulation + n - 1) / n) * n; }

size_t string_end(size_t pos, const std::string& s) { return align_up(pos, 4) + 4 + s.size() + 1; }

void put_u32(uint8_t* out, size_t* pos, uint32_t v) {
  const size_t at = align_up(*pos, 4);
  std::memset(out + *pos, 0, at - *pos);
  out[at] = uint8_t(v), out[at + 1] = uint8_t(v >> 8), out[at + 2] = uint8_t(v >> 16), out[at + 3] = uint8_t(v >> 24);
  *pos = at + 4;
}

void put_string(uint8_t* out, size_t* pos, const std::string& s) {
  put_u32(out, pos, uint32_t(s.size() + 1));
  std::memcpy(out + *pos, s.data(), s.size());
  out[*pos + s.size()] = 0;
  *pos += s.size() + 1;
}

}  // namespace

ImageLayout image_layout(const Header& header, const std::string& encoding, size_t data_size) {
  if (data_size > UINT32_MAX) throw Error("sensor_msgs/Image: data of " + std::to_string(data_size) + " bytes does not fit CDR");
  size_t pos = kEncapsulation + 8;            // stamp
  pos = string_end(pos, header.frame_id);     // frame_id
  pos = align_up(pos, 4) + 8;                 // height, width
  pos = string_end(pos, encoding) + 1;        // encoding, is_bigendian
  pos = align_up(pos, 4) + 4;                 // step
  pos = align_up(pos, 4) + 4;                 // data length
  return ImageLayout{pos + data_size, pos};
}

void write_image_prefix(uint8_t* out, const ImageLayout& layout, const Header& header, uint32_t height, uint32_t width,
                        const std::string& encoding, uint8_t is_bigendian, uint32_t step, size_t data_size) {
  out[0] = 0, out[1] = 1, out[2] = 0, out[3] = 0;  // CDR little-endian, no options
  size_t pos = kEncapsulation;
  put_u32(out, &pos, uint32_t(header.stamp_sec));
  put_u32(out, &pos, header.stamp_nanosec);
  put_string(out, &pos, header.frame_id);
  put_u32(out, &pos, height);
  put_u32(out, &pos, width);
  put_string(out, &pos, encoding);
  out[pos++] = is_bigendian;
  put_u32(out, &pos, step);
  put_u32(out, &pos, uint32_t(data_size));
  if (pos != layout.data_offset || layout.total_size != pos + data_size)
    throw Error("sensor_msgs/Image: layout does not match the message it was computed for");
}

}  // namespace cdr
}  // namespace attendseg_addon
