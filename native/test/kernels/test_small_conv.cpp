// The small-channel convolution kernel of every table that has one against the reference path,
// scalar im2col + scalar GEMM, bit for bit: randomized shapes around the RGB stem (1..4 input
// channels, kernels 1..5, strides 1..3, dilations, pads, widths that are multiples of nothing,
// pixel ranges that start and end mid-row) with full-range and extreme weights and inputs.
#include <sstream>
#include <string>
#include <vector>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;
using testing::rand_int;

namespace {

struct SmallCase {
  Im2colArgs a{};
  int K = 0, N = 0, out_h = 0;
  std::vector<uint8_t> in;
  std::vector<int8_t> w;
  std::vector<int32_t> bias;
  std::vector<float> scale;
  Requant rq;
  std::string desc;
};

int conv_out(int in, int pads, int k, int s, int d) { return (in + pads - d * (k - 1) - 1) / s + 1; }

SmallCase random_case() {
  SmallCase sc;
  Im2colArgs& a = sc.a;
  const int C = rand_int(1, 4);
  int pad_bottom, pad_right;
  do {
    a.kernel_h = rand_int(1, 5);
    a.kernel_w = rand_int(0, 2) ? a.kernel_h : rand_int(1, 5);
  } while (a.kernel_h * a.kernel_w * C > kSmallConvMaxK);
  a.stride_h = rand_int(1, 3);
  a.stride_w = rand_int(0, 2) ? a.stride_h : rand_int(1, 3);
  a.dilation_h = rand_int(0, 4) ? 1 : 2;
  a.dilation_w = rand_int(0, 4) ? 1 : 2;
  a.pad_top = rand_int(0, 3);
  a.pad_left = rand_int(0, 3);
  pad_bottom = rand_int(0, 3);
  pad_right = rand_int(0, 3);
  do {
    a.in_h = rand_int(1, 23);
    a.in_w = rand_int(1, 61);
  } while (a.in_h + a.pad_top + pad_bottom <= a.dilation_h * (a.kernel_h - 1) ||
           a.in_w + a.pad_left + pad_right <= a.dilation_w * (a.kernel_w - 1));
  a.in_stride = a.group_channels = C;
  a.c_offset = 0;
  sc.out_h = conv_out(a.in_h, a.pad_top + pad_bottom, a.kernel_h, a.stride_h, a.dilation_h);
  a.out_w = conv_out(a.in_w, a.pad_left + pad_right, a.kernel_w, a.stride_w, a.dilation_w);
  a.pad_value = static_cast<uint8_t>(rand_int(0, 3) ? rand_int(0, 255) : (rand_int(0, 1) ? 0 : 255));
  sc.K = a.kernel_h * a.kernel_w * C;
  sc.N = rand_int(0, 2) ? 24 : rand_int(1, 40);
  const int mode = rand_int(0, 3);  // 0: extremes only (int32 sums at their largest), else random
  sc.in = testing::rand_vec<uint8_t>(static_cast<size_t>(a.in_h) * a.in_w * C, 0, 255);
  sc.w = testing::rand_vec<int8_t>(static_cast<size_t>(sc.N) * sc.K, -128, 127);
  if (mode == 0) {
    for (auto& v : sc.in) v = rand_int(0, 1) ? 255 : 0;
    for (auto& v : sc.w) v = rand_int(0, 1) ? 127 : -128;
  }
  a.in = sc.in.data();
  sc.bias = testing::rand_vec<int32_t>(sc.N, -100000, 100000);
  sc.scale.resize(sc.N);
  for (auto& s : sc.scale) s = rand_int(0, 5) ? testing::rand_float(1e-4f, 2e-2f) : kt::tie_scale() / 256;
  sc.rq.bias = rand_int(0, 7) ? sc.bias.data() : nullptr;
  sc.rq.scale = sc.scale.data();
  sc.rq.out_zp = rand_int(0, 255);
  sc.rq.qmin = rand_int(0, 3) ? 0 : rand_int(0, 100);
  sc.rq.qmax = rand_int(0, 3) ? 255 : rand_int(sc.rq.qmin, 255);
  std::ostringstream os;
  os << "small conv in " << a.in_h << "x" << a.in_w << "x" << C << " k " << a.kernel_h << "x" << a.kernel_w << " s "
     << a.stride_h << "," << a.stride_w << " d " << a.dilation_h << "," << a.dilation_w << " pads " << a.pad_top << ","
     << a.pad_left << "," << pad_bottom << "," << pad_right << " N " << sc.N << " extreme " << (mode == 0);
  sc.desc = os.str();
  return sc;
}

// Pixels [p_begin, p_end) through scalar im2col + scalar GEMM: the path the kernel replaces.
void reference(const SmallCase& sc, int p_begin, int p_end, uint8_t* out) {
  const KernelTable& s = scalar_table();
  const size_t lda = sc.K + 5;
  std::vector<uint8_t> A(static_cast<size_t>(p_end - p_begin) * lda);
  s.im2col(sc.a, p_begin, p_end, A.data(), lda);
  std::vector<uint8_t> packed(s.gemm.packed_bytes(sc.K, sc.N));
  s.gemm.pack(sc.w.data(), sc.K, sc.N, packed.data());
  s.gemm.run(A.data(), lda, p_end - p_begin, sc.K, packed.data(), sc.N, sc.rq, out + static_cast<size_t>(p_begin) * sc.N,
             sc.N);
}

void against_reference(const KernelTable* t) {
  for (int i = 0; i < 400; ++i) {
    const SmallCase sc = random_case();
    const int P = sc.out_h * sc.a.out_w;
    const int p_begin = rand_int(0, 2) ? 0 : rand_int(0, P - 1);
    const int p_end = rand_int(0, 2) ? P : rand_int(p_begin + 1, P);
    const size_t n = static_cast<size_t>(P) * sc.N;
    auto ref = kt::out_buffer(n), got = kt::out_buffer(n);
    reference(sc, p_begin, p_end, ref.data());
    std::vector<uint8_t> packed(t->small_conv.packed_bytes(sc.K, sc.N));
    t->small_conv.pack(sc.w.data(), sc.K, sc.N, packed.data());
    // Two calls split mid-range, the later one first, as the thread pool may run them.
    const int mid = rand_int(p_begin, p_end);
    if (p_end > mid)
      t->small_conv.run(sc.a, mid, p_end, packed.data(), sc.K, sc.N, sc.rq, got.data() + static_cast<size_t>(mid) * sc.N,
                        sc.N);
    if (mid > p_begin)
      t->small_conv.run(sc.a, p_begin, mid, packed.data(), sc.K, sc.N, sc.rq,
                        got.data() + static_cast<size_t>(p_begin) * sc.N, sc.N);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), sc.desc + " pixels " + std::to_string(p_begin) + ".." +
                                                          std::to_string(p_end));
  }
}

bool has_small_conv(const KernelTable& t) {
  const SmallConvKernel& k = t.small_conv;
  const int set = !!k.packed_bytes + !!k.pack + !!k.run;
  INFO(t.name << ": " << set << " of the 3 small_conv entries set");
  CHECK((set == 0 || set == 3));
  return set == 3;
}

}  // namespace

// Every table with the kernel; the others keep im2col + GEMM.
TEST_CASE("conv_small") {
  kt::for_each_table(has_small_conv, [](const KernelTable& t) { against_reference(&t); });
}

TEST_CASE("conv_small_entries_complete") {
  for (const auto& e : all_kernel_tables()) has_small_conv(*e.table);
}
