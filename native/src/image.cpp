// ROS encoding names and frame geometry.
#include "attendseg/image.h"

#include <cstring>

namespace attendseg {

namespace {
struct Name {
  const char* ros;
  Encoding e;
};
// ROS spellings (sensor_msgs/image_encodings.hpp); the first name of each encoding is canonical.
constexpr Name kNames[] = {
    {"rgb8", Encoding::RGB8},   {"bgr8", Encoding::BGR8},         {"rgba8", Encoding::RGBA8},
    {"bgra8", Encoding::BGRA8}, {"mono8", Encoding::MONO8},       {"uyvy", Encoding::UYVY},
    {"yuv422", Encoding::UYVY}, {"yuyv", Encoding::YUYV},         {"yuv422_yuy2", Encoding::YUYV},
    {"nv21", Encoding::NV21},   {"nv24", Encoding::NV24},
};
}  // namespace

bool parse_encoding(const char* name, Encoding* out) {
  if (!name) return false;
  for (const auto& n : kNames) {
    if (std::strcmp(n.ros, name) == 0) {
      *out = n.e;
      return true;
    }
  }
  return false;
}

const char* encoding_name(Encoding e) {
  for (const auto& n : kNames)
    if (n.e == e) return n.ros;
  return "unknown";
}

int bytes_per_pixel(Encoding e) {
  switch (e) {
    case Encoding::RGB8:
    case Encoding::BGR8: return 3;
    case Encoding::RGBA8:
    case Encoding::BGRA8: return 4;
    case Encoding::MONO8:
    case Encoding::NV21:
    case Encoding::NV24: return 1;
    case Encoding::UYVY:
    case Encoding::YUYV: return 2;
  }
  return 0;
}

size_t min_step(Encoding e, int width) {
  const size_t w = static_cast<size_t>(width);
  switch (e) {
    case Encoding::UYVY:
    case Encoding::YUYV: return (w + 1) / 2 * 4;  // whole macropixels
    case Encoding::NV21: return (w + 1) / 2 * 2;  // the chroma row shares the step
    default: return w * bytes_per_pixel(e);
  }
}

// As sensor_msgs/Image defines it: every row, the last one included, is step bytes long.
size_t min_frame_bytes(Encoding e, int height, size_t step) {
  const size_t h = static_cast<size_t>(height);
  switch (e) {
    case Encoding::NV21: return step * h + step * ((h + 1) / 2);
    case Encoding::NV24: return step * h + 2 * step * h;
    default: return step * h;
  }
}

}  // namespace attendseg
