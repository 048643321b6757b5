// A byte buffer aligned for the widest vector loads, sized once and reused across frames.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <utility>

namespace attendseg {

class AlignedBuffer {
 public:
  static constexpr size_t kAlign = 64;
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes) { resize(bytes); }
  ~AlignedBuffer() { std::free(data_); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr, o.size_ = 0; }
  AlignedBuffer& operator=(AlignedBuffer&& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    return *this;
  }

  // Grows only; contents are not preserved. A vector's worth of slack past the end lets
  // SIMD kernels load a full register at the last element.
  void resize(size_t bytes) {
    if (bytes <= size_) return;
    std::free(data_);
    const size_t total = (bytes + kAlign + kAlign - 1) / kAlign * kAlign;
    data_ = static_cast<uint8_t*>(std::aligned_alloc(kAlign, total));
    if (!data_) throw std::bad_alloc();
    size_ = bytes;
  }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// An AlignedBuffer of n values of T (a trivial type) that only grows; contents are not preserved
// when it grows. For per-thread scratch that vector loads read at the element offsets of rows:
// a std::vector's 16-byte alignment makes every other 32-byte and most 64-byte loads of it
// straddle two cache lines.
template <class T>
class AlignedArray {
 public:
  void grow(size_t n) {
    if (n <= n_) return;
    buf_.resize(n * sizeof(T));
    n_ = n;
  }
  T* data() { return reinterpret_cast<T*>(buf_.data()); }
  T& operator[](size_t i) { return data()[i]; }

 private:
  AlignedBuffer buf_;
  size_t n_ = 0;
};

}  // namespace attendseg
