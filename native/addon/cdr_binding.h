// JavaScript side of the CDR code: headers to and from JS, Image messages allocated as Buffers,
// and the exported encoder.
#pragma once
#include <napi.h>

#include "cdr_image.h"

namespace attendseg_addon {

// {stamp: {sec, nanosec}, frame_id}, as rclnodejs and @foxglove/rosmsg2-serialization spell it.
cdr::Header cdr_header_from_js(const Napi::Value& v);

// A complete CDR sensor_msgs/Image Buffer with the header and fields written; *data points at
// its width * height * channels data bytes, for the engine to fill.
Napi::Buffer<uint8_t> new_image_message(Napi::Env env, const cdr::Header& header, int32_t width, int32_t height,
                                        const char* encoding, int channels, uint8_t** data);

// encodeImageCdr (the output writer, for tests against other CDR encoders).
void register_cdr_exports(Napi::Env env, Napi::Object exports);

}  // namespace attendseg_addon
