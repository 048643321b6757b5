// Camera frames as ROS publishes them (sensor_msgs/Image raw encodings) and the per-frame outputs.
#pragma once
#include <cstddef>
#include <cstdint>

namespace attendseg {

enum class Encoding : uint8_t {
  RGB8, BGR8, RGBA8, BGRA8, MONO8,
  UYVY,   // ROS "uyvy" and "yuv422": U0 Y0 V0 Y1
  YUYV,   // ROS "yuyv" and "yuv422_yuy2": Y0 U0 Y1 V0
  NV21,   // Y plane (step bytes a row), then interleaved V U plane at half height, same step
  NV24,   // Y plane, then full-resolution interleaved U V plane (2 * width bytes a row, step * 2)
};

// Returns false for unknown names. Accepts the ROS spellings listed above.
bool parse_encoding(const char* name, Encoding* out);
const char* encoding_name(Encoding e);
// Bytes of the first plane per pixel (NV21/NV24: 1; UYVY/YUYV: 2).
int bytes_per_pixel(Encoding e);
// Smallest legal `step` for this width (UYVY/YUYV: whole 4-byte macropixels; NV21: even chroma pairs).
size_t min_step(Encoding e, int width);
// Smallest legal data size: step * height for the first plane, plus the chroma plane of NV21
// (step * ceil(height / 2)) or NV24 (2 * step * height).
size_t min_frame_bytes(Encoding e, int height, size_t step);

struct ImageView {
  Encoding encoding = Encoding::RGB8;
  int32_t width = 0, height = 0;
  size_t step = 0;  // bytes per row of the first plane
  const uint8_t* data = nullptr;
  size_t size = 0;
};

constexpr int32_t kMaxImageSide = 8192;

}  // namespace attendseg
