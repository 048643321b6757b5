#include "spec_file.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "attendseg/engine.h"

namespace attendseg {

namespace {

// Bounds-checked little-endian reads (the file's values are memcpy'd: every supported target is
// little-endian).
class Reader {
 public:
  Reader(const uint8_t* data, size_t size, const std::string& path) : data_(data), size_(size), path_(path) {}
  void raw(void* dst, size_t n) {
    if (n > size_ - pos_) throw Error(path_ + ": truncated spec file at byte " + std::to_string(pos_));
    if (n == 0) return;  // dst may be null (an empty vector)
    std::memcpy(dst, data_ + pos_, n);
    pos_ += n;
  }
  // A count of records of at least `min_bytes` each, refused before anything is allocated for
  // them when the rest of the file cannot hold that many.
  size_t count(const char* what, size_t min_bytes) {
    const uint32_t n = get<uint32_t>();
    if (n > (size_ - pos_) / min_bytes)
      throw Error(path_ + ": " + std::to_string(n) + " " + what + " do not fit in the rest of the spec file");
    return n;
  }
  template <class T>
  T get() {
    T v;
    raw(&v, sizeof(v));
    return v;
  }
  std::string str() {
    const uint32_t n = get<uint32_t>();
    if (n > size_ - pos_) throw Error(path_ + ": string past the end of the spec file at byte " + std::to_string(pos_));
    std::string s(n, '\0');
    raw(&s[0], n);
    return s;
  }
  template <class T>
  std::vector<T> array() {
    const uint32_t n = get<uint32_t>();
    if (n > (size_ - pos_) / sizeof(T)) throw Error(path_ + ": array past the end of the spec file");
    std::vector<T> v(n);
    raw(v.data(), n * sizeof(T));
    return v;
  }
  bool at_end() const { return pos_ == size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  const std::string& path_;
  size_t pos_ = 0;
};

}  // namespace

ModelSpec parse_spec_file(const uint8_t* data, size_t size, const std::string& path) {
  Reader r(data, size, path);
  char magic[4];
  r.raw(magic, 4);
  if (std::memcmp(magic, "ASPC", 4) != 0 || r.get<uint32_t>() != 1) throw Error(path + ": not a version 1 spec file");
  ModelSpec spec;
  // The fewest bytes a tensor (empty name) and an op (empty name, inputs and arrays) take.
  constexpr size_t kTensorBytes = 4 + 4 + 4 + 4;
  constexpr size_t kOpBytes = 1 + 4 + 4 + 4 + 2 + 11 * 4 + 3 * 4 + 8 * 4 + 2 + 3 + 2 * 4 + 3 * 4 + 4;
  spec.tensors.resize(r.count("tensors", kTensorBytes));
  for (TensorSpec& t : spec.tensors) {
    t.name = r.str();
    t.channels = r.get<int32_t>();
    t.q.scale = r.get<float>();
    t.q.zero_point = r.get<int32_t>();
  }
  spec.ops.resize(r.count("ops", kOpBytes));
  for (OpSpec& op : spec.ops) {
    const uint8_t kind = r.get<uint8_t>();
    if (kind >= kOpKindCount) throw Error(path + ": unknown op kind " + std::to_string(kind));
    op.kind = static_cast<OpKind>(kind);
    op.name = r.str();
    op.inputs = r.array<int32_t>();
    op.output = r.get<int32_t>();
    op.act_min = r.get<uint8_t>();
    op.act_max = r.get<uint8_t>();
    ConvSpec& c = op.conv;
    for (int32_t* v : {&c.kernel_h, &c.kernel_w, &c.stride_h, &c.stride_w, &c.pad_top, &c.pad_left, &c.pad_bottom,
                       &c.pad_right, &c.dilation_h, &c.dilation_w, &c.groups})
      *v = r.get<int32_t>();
    c.weights = r.array<int8_t>();
    c.bias = r.array<int32_t>();
    c.weight_scales = r.array<float>();
    PoolSpec& p = op.pool;
    for (int32_t* v : {&p.kernel_h, &p.kernel_w, &p.stride_h, &p.stride_w, &p.pad_top, &p.pad_left, &p.pad_bottom,
                       &p.pad_right})
      *v = r.get<int32_t>();
    p.ceil_mode = r.get<uint8_t>() != 0;
    p.count_include_pad = r.get<uint8_t>() != 0;
    ResizeSpec& rs = op.resize;
    const uint8_t mode = r.get<uint8_t>(), coord = r.get<uint8_t>(), nearest = r.get<uint8_t>();
    if (mode >= kResizeModeCount || coord >= kCoordModeCount || nearest >= kNearestModeCount) throw Error(path + ": bad resize modes in op '" + op.name + "'");
    rs.mode = static_cast<ResizeMode>(mode);
    rs.coord = static_cast<CoordMode>(coord);
    rs.nearest = static_cast<NearestMode>(nearest);
    rs.scale_h = r.get<float>();
    rs.scale_w = r.get<float>();
    rs.out_h = r.get<int32_t>();
    rs.out_w = r.get<int32_t>();
    rs.size_of = r.get<int32_t>();
    op.lut.table = r.array<uint8_t>();
  }
  spec.input = r.get<int32_t>();
  spec.output = r.get<int32_t>();
  for (float& v : spec.norm.mean) v = r.get<float>();
  for (float& v : spec.norm.std) v = r.get<float>();
  if (!r.at_end()) throw Error(path + ": trailing bytes after the spec");
  return spec;  // Engine::create validates the structure (check_model)
}

ModelSpec read_spec_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(path + ": cannot open");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
  return parse_spec_file(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), path);
}

}  // namespace attendseg
