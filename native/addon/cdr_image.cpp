#include "cdr_image.h"

#include <cstdio>
#include <cstring>

#include "attendseg/engine.h"

namespace attendseg_addon {
namespace cdr {

using attendseg::Error;

namespace {

constexpr size_t kEncapsulation = 4;  // representation id (2 bytes) + options (2 bytes)

// Alignment in CDR counts from the end of the encapsulation header.
size_t align_up(size_t pos, size_t n) { return kEncapsulation + ((pos - kEncapsulation + n - 1) / n) * n; }

class Reader {
 public:
  Reader(const uint8_t* buf, size_t size, const char* type) : buf_(buf), size_(size), type_(type) {
    if (size < kEncapsulation)
      throw Error(std::string(type) + ": " + std::to_string(size) + " bytes is shorter than the CDR encapsulation header");
    if (buf[0] != 0 || (buf[1] != 0 && buf[1] != 1)) {
      char id[8];
      snprintf(id, sizeof id, "0x%02x%02x", buf[0], buf[1]);
      throw Error(std::string(type) + ": unsupported CDR encapsulation " + id + " (plain CDR 0x0000 or 0x0001 expected)");
    }
    little_ = buf[1] == 1;
    pos_ = kEncapsulation;
  }

  uint32_t u32(const char* field) {
    pos_ = align_up(pos_, 4);
    need(4, field);
    const uint8_t* p = buf_ + pos_;
    pos_ += 4;
    return little_ ? uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24
                   : uint32_t(p[3]) | uint32_t(p[2]) << 8 | uint32_t(p[1]) << 16 | uint32_t(p[0]) << 24;
  }
  int32_t i32(const char* field) { return static_cast<int32_t>(u32(field)); }
  uint8_t u8(const char* field) {
    need(1, field);
    return buf_[pos_++];
  }
  std::string string(const char* field) {
    const uint32_t len = u32(field);
    if (len == 0) return std::string();  // some writers encode "" without its terminator
    need(len, field);
    const char* s = reinterpret_cast<const char*>(buf_ + pos_);
    if (s[len - 1] != '\0') fail(field, "is not NUL-terminated");
    pos_ += len;
    return std::string(s, len - 1);
  }
  // uint8[]: returns the offset of the first byte; the bytes stay where they are.
  size_t bytes(const char* field, size_t* count) {
    const uint32_t len = u32(field);
    need(len, field);
    const size_t at = pos_;
    pos_ += len;
    *count = len;
    return at;
  }
  Header header() {
    Header h;
    h.stamp_sec = i32("header.stamp.sec");
    h.stamp_nanosec = u32("header.stamp.nanosec");
    h.frame_id = string("header.frame_id");
    return h;
  }

 private:
  void need(size_t n, const char* field) const {
    if (n > size_ || pos_ > size_ - n)
      throw Error(std::string(type_) + ": truncated at '" + field + "' (needs " + std::to_string(n) + " bytes at offset " +
                  std::to_string(pos_) + ", the message has " + std::to_string(size_) + ")");
  }
  [[noreturn]] void fail(const char* field, const char* why) const {
    throw Error(std::string(type_) + ": '" + field + "' " + why);
  }

  const uint8_t* buf_;
  size_t size_;
  const char* type_;
  size_t pos_ = 0;
  bool little_ = true;
};

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

ImageView parse_image(const uint8_t* buf, size_t size) {
  Reader r(buf, size, "sensor_msgs/Image");
  ImageView v;
  v.header = r.header();
  v.height = r.u32("height");
  v.width = r.u32("width");
  v.encoding = r.string("encoding");
  v.is_bigendian = r.u8("is_bigendian");
  v.step = r.u32("step");
  v.data_offset = r.bytes("data", &v.data_size);
  return v;
}

CompressedImageView parse_compressed_image(const uint8_t* buf, size_t size) {
  Reader r(buf, size, "sensor_msgs/CompressedImage");
  CompressedImageView v;
  v.header = r.header();
  v.format = r.string("format");
  v.data_offset = r.bytes("data", &v.data_size);
  return v;
}

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
