// Convolution kernels (GEMM, im2col, depthwise): the scalar reference anchored on hand-computed
// cases, then every other ISA table compared with it bit for bit on seeded random shapes.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "isa_test.h"
#include "kernels/kernels.h"
#include "test_util.h"

using namespace attendseg::kernels;

namespace {

struct QParams {
  std::vector<int32_t> bias;
  std::vector<float> scale;
  Requant rq;
};

// Random requantization for n channels (kt::rand_requant), sometimes without a bias.
QParams rand_qparams(int n) {
  QParams q;
  q.bias = testing::rand_vec<int32_t>(n, -40000, 40000);
  kt::rand_requant(n, -4.0f, &q.scale, &q.rq);
  q.rq.bias = testing::rand_int(0, 15) == 0 ? nullptr : q.bias.data();
  return q;
}

// The bias on, output zero point 128 and no clamp inside [0, 255]: for the bound cases, whose
// bias cancels the exact sum so that an error of one unit shows.
void centered_output(QParams* q) {
  q->rq.bias = q->bias.data();
  q->rq.out_zp = 128;
  q->rq.qmin = 0;
  q->rq.qmax = 255;
}

// ---- GEMM ---------------------------------------------------------------------------------

struct GemmCase {
  int M, K, N;
  size_t lda, ldc;
  int c_offset;  // first output column inside the wider C rows
  bool extreme;  // inputs in {0, 255}, weights in {-128, 127}: the int16-saturation trap
};

std::string describe(const GemmCase& c) {
  std::ostringstream os;
  os << "gemm M=" << c.M << " K=" << c.K << " N=" << c.N << " lda=" << c.lda << " ldc=" << c.ldc
     << " c_offset=" << c.c_offset << (c.extreme ? " extreme" : "");
  return os.str();
}

std::vector<uint8_t> run_gemm(const KernelTable& t, const GemmCase& c, const std::vector<uint8_t>& A,
                              const std::vector<int8_t>& w, const Requant& rq) {
  // Pack twice over different garbage: packing must be deterministic and write every byte.
  const size_t bytes = t.gemm.packed_bytes(c.K, c.N);
  std::vector<uint8_t> packed(bytes, 0x00), packed2(bytes, 0xA5);
  t.gemm.pack(w.data(), c.K, c.N, packed.data());
  t.gemm.pack(w.data(), c.K, c.N, packed2.data());
  CHECK_BYTES_EQ(packed.data(), packed2.data(), bytes, std::string(t.name) + " pack " + describe(c));
  std::vector<uint8_t> C(c.M * c.ldc, 0x5A);  // bytes outside the written range must survive
  t.gemm.run(A.data(), c.lda, c.M, c.K, packed.data(), c.N, rq, C.data() + c.c_offset, c.ldc);
  return C;
}

// Against the reference as given, and, where the engine would set Requant::bounded, with it
// (the kernels' requantization without the clamp at 65536).
void check_gemm_inputs(const KernelTable& t, const GemmCase& c, const std::vector<uint8_t>& A,
                       const std::vector<int8_t>& w, const Requant& rq, const std::string& what) {
  const auto ref = run_gemm(scalar_table(), c, A, w, rq);
  const auto got = run_gemm(t, c, A, w, rq);
  CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), std::string(t.name) + " " + describe(c) + what);
  if (!requant_bounded(w.data(), c.K, c.N, rq)) return;
  Requant rb = rq;
  rb.bounded = true;
  const auto got_b = run_gemm(t, c, A, w, rb);
  CHECK_BYTES_EQ(ref.data(), got_b.data(), ref.size(), std::string(t.name) + " " + describe(c) + what + " bounded");
}

void check_gemm_case(const KernelTable& t, const GemmCase& c) {
  std::vector<uint8_t> A = testing::rand_vec<uint8_t>(c.M * c.lda, 0, 255);
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(c.N) * c.K, -128, 127);
  if (c.extreme) {
    for (auto& x : A) x = testing::rand_int(0, 1) ? 255 : 0;
    for (auto& x : w) x = testing::rand_int(0, 1) ? 127 : -128;
  }
  QParams q = rand_qparams(c.N);
  check_gemm_inputs(t, c, A, w, q.rq, "");
}

GemmCase rand_gemm_case(int M, int K, int N) {
  GemmCase c;
  c.M = M;
  c.K = K;
  c.N = N;
  c.lda = K + (testing::rand_int(0, 1) ? testing::rand_int(1, 9) : 0);
  c.c_offset = testing::rand_int(0, 2) == 0 ? testing::rand_int(1, 20) : 0;
  c.ldc = c.c_offset + N + (testing::rand_int(0, 1) ? testing::rand_int(1, 9) : 0);
  c.extreme = testing::rand_int(0, 9) == 0;
  return c;
}

void gemm_against_reference(const KernelTable& t) {
  static const int kKs[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 96, 127, 128, 129, 255, 256, 257, 384, 511, 512, 513, 600};
  static const int kNs[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 48, 63, 64, 65, 80, 127, 128, 129, 130};
  // Every listed K and N at least once, with random M, then fully random shapes.
  for (int K : kKs) check_gemm_case(t, rand_gemm_case(testing::rand_int(1, 70), K, kNs[testing::rand_int(0, 23)]));
  for (int N : kNs) check_gemm_case(t, rand_gemm_case(testing::rand_int(1, 70), kKs[testing::rand_int(0, 28)], N));
  for (int M = 1; M <= 13; ++M) check_gemm_case(t, rand_gemm_case(M, testing::rand_int(1, 600), testing::rand_int(1, 130)));
  for (int i = 0; i < 400; ++i)
    check_gemm_case(t, rand_gemm_case(testing::rand_int(1, 70), testing::rand_int(1, 600), testing::rand_int(1, 130)));
  // K past the kernels' internal blocking (im2col of a wide 3x3 or 5x5 convolution).
  for (int K : {2047, 2048, 2049, 3000, 4097, 6400})
    check_gemm_case(t, rand_gemm_case(testing::rand_int(1, 9), K, testing::rand_int(1, 40)));
}

// ---- GEMM, weights at the u8 x s8 int16 pair-sum bound -------------------------------------
// With activations in [0, 255], a pair a1*w1 + a2*w2 at adjacent k (2j, 2j+1) fits int16 when
// every same-sign pair has |w1| + |w2| <= 128: weights in [-64, 64] always do (the AVX2 table
// then packs for vpmaddubsw); one pair past it (65 + 64) must not be treated so.

void narrow_gemm_case(const KernelTable& t, int M, int K, int N) {
  GemmCase c = rand_gemm_case(M, K, N);
  std::vector<uint8_t> A = testing::rand_vec<uint8_t>(c.M * c.lda, 0, 255);
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(c.N) * c.K, -64, 64);
  if (c.extreme) {
    for (auto& x : A) x = testing::rand_int(0, 1) ? 255 : 0;
    for (auto& x : w) x = testing::rand_int(0, 1) ? 64 : -64;
  }
  QParams q = rand_qparams(c.N);
  check_gemm_inputs(t, c, A, w, q.rq, c.extreme ? " weights +-64" : " weights in [-64, 64]");
}

// Every activation 255 and every weight +64 (or every weight -64): each pair sums to +-32640.
// The bias cancels the exact sum and the scale is 1, so an error of one unit shows.
void narrow_gemm_worst_case(const KernelTable& t, int M, int K, int N, int sign) {
  GemmCase c = rand_gemm_case(M, K, N);
  c.extreme = false;
  std::vector<uint8_t> A(c.M * c.lda, 255);
  std::vector<int8_t> w(static_cast<size_t>(c.N) * c.K, static_cast<int8_t>(64 * sign));
  QParams q = rand_qparams(c.N);
  for (int n = 0; n < N; ++n) {
    q.bias[n] = -sign * 255 * 64 * K + testing::rand_int(-100, 100);
    q.scale[n] = 1.0f;
  }
  centered_output(&q);
  check_gemm_inputs(t, c, A, w, q.rq, sign > 0 ? " all weights +64, A = 255" : " all weights -64, A = 255");
}

// Weights in [-64, 64] but for one pair just past the bound, e.g. (65, 64): the int16 pair sum
// 255 * 129 = 32895 would saturate to 32767. Activations are 255 at that pair in about half of
// the rows and 0 elsewhere and the bias cancels 32640, so that channel's exact result is
// 255 * 0.5 + 128 -> 255 (or 0 for negative pairs) where a saturated sum would give 192 (64).
void just_past_bound_gemm_case(const KernelTable& t, int M, int K, int N) {
  static const int kPairs[][2] = {{65, 64}, {64, 65}, {-65, -64}, {-64, -65}, {127, 2}, {-128, -1}, {-127, -2}};
  GemmCase c = rand_gemm_case(M, K < 2 ? 2 : K, N);
  c.extreme = false;
  const int* pair = kPairs[testing::rand_int(0, 6)];
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(c.N) * c.K, -64, 64);
  const int n0 = testing::rand_int(0, c.N - 1);
  const int k0 = 2 * testing::rand_int(0, c.K / 2 - 1);
  w[static_cast<size_t>(n0) * c.K + k0] = static_cast<int8_t>(pair[0]);
  w[static_cast<size_t>(n0) * c.K + k0 + 1] = static_cast<int8_t>(pair[1]);
  std::vector<uint8_t> A(c.M * c.lda, 0);
  for (int m = 0; m < c.M; ++m)
    if (testing::rand_int(0, 1)) A[m * c.lda + k0] = A[m * c.lda + k0 + 1] = 255;
  QParams q = rand_qparams(c.N);
  const int sign = pair[0] > 0 ? 1 : -1;
  q.bias[n0] = -sign * 32640;
  q.scale[n0] = 0.5f;
  centered_output(&q);
  std::ostringstream what;
  what << " pair (" << pair[0] << ", " << pair[1] << ") at n=" << n0 << " k=" << k0;
  check_gemm_inputs(t, c, A, w, q.rq, what.str());
  // The same weights on random activations.
  for (auto& x : A) x = static_cast<uint8_t>(testing::rand_int(0, 255));
  check_gemm_inputs(t, c, A, w, rand_qparams(c.N).rq, what.str() + ", random A");
}

void narrow_gemm_against_reference(const KernelTable& t) {
  // K % 4 in {0, 1, 2, 3}, N around the 8- and 16-channel panel widths, odd and even M.
  static const int kKs[] = {1, 2, 3, 4, 5, 6, 7, 9, 27, 63, 64, 65, 66, 96, 215, 216, 288, 350, 576, 1601};
  static const int kNs[] = {1, 3, 7, 8, 9, 11, 15, 16, 17, 24, 31, 33, 64, 96, 100};
  for (int K : kKs)
    for (int N : kNs) narrow_gemm_case(t, 2 * testing::rand_int(0, 20) + 1, K, N);
  for (int M = 1; M <= 13; ++M) narrow_gemm_case(t, M, testing::rand_int(1, 300), testing::rand_int(1, 70));
  for (int i = 0; i < 200; ++i)
    narrow_gemm_case(t, testing::rand_int(1, 70), testing::rand_int(1, 600), testing::rand_int(1, 130));
  for (int K : {1, 3, 4, 27, 97, 288, 600})
    for (int sign : {1, -1}) narrow_gemm_worst_case(t, testing::rand_int(1, 20), K, testing::rand_int(1, 40), sign);
  for (int i = 0; i < 100; ++i)
    just_past_bound_gemm_case(t, testing::rand_int(1, 40), testing::rand_int(2, 300), testing::rand_int(1, 70));
}

// ---- GEMM, weights small enough to pair k-quads -------------------------------------------
// Where, for every channel, the same-sign weights of two k-quads' matching pairs sum to at most
// 128 in magnitude, the AVX2 maddubs format adds the two quads' int16 pair sums before widening
// them (255 * 128 = 32640 still fits int16). Trained weights are mostly that small.

// Magnitudes in [0, wmax], random signs: with wmax <= 32 every quad can pair.
void small_weight_gemm_case(const KernelTable& t, int M, int K, int N, int wmax) {
  GemmCase c = rand_gemm_case(M, K, N);
  c.extreme = false;
  std::vector<uint8_t> A = testing::rand_vec<uint8_t>(c.M * c.lda, 0, 255);
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(c.N) * c.K, -wmax, wmax);
  QParams q = rand_qparams(c.N);
  check_gemm_inputs(t, c, A, w, q.rq, " weights in [-" + std::to_string(wmax) + ", " + std::to_string(wmax) + "]");
}

// Every weight 32 * sign (two quads' pair sums meet at exactly 255 * 128), or, with `past`, one
// channel's weight 33 * sign at one k: a quad that then pairs with any other would sum to
// 255 * 129, which wraps in int16. A = 255 and the bias cancels the exact sum up to a small
// offset, scale 1: a wrapped sum (off by 65536) would clamp to 0 or 255.
void pair_bound_gemm_case(const KernelTable& t, int M, int K, int N, int sign, bool past) {
  GemmCase c = rand_gemm_case(M, K, N);
  c.extreme = false;
  std::vector<uint8_t> A(c.M * c.lda, 255);
  std::vector<int8_t> w(static_cast<size_t>(c.N) * c.K, static_cast<int8_t>(32 * sign));
  const int n0 = testing::rand_int(0, c.N - 1), k0 = testing::rand_int(0, c.K - 1);
  if (past) w[static_cast<size_t>(n0) * c.K + k0] = static_cast<int8_t>(33 * sign);
  QParams q = rand_qparams(c.N);
  for (int n = 0; n < c.N; ++n) {
    const int extra = past && n == n0 ? 255 : 0;
    q.bias[n] = -sign * (255 * 32 * c.K + extra) + testing::rand_int(-100, 100);
    q.scale[n] = 1.0f;
  }
  centered_output(&q);
  std::ostringstream what;
  what << " all weights " << 32 * sign << ", A = 255";
  if (past) what << ", " << 33 * sign << " at n=" << n0 << " k=" << k0;
  check_gemm_inputs(t, c, A, w, q.rq, what.str());
}

void paired_gemm_against_reference(const KernelTable& t) {
  static const int kKs[] = {4, 7, 8, 9, 12, 16, 27, 64, 96, 97, 288, 576};
  for (int K : kKs)
    for (int N : {3, 8, 11, 16, 24, 33, 96}) small_weight_gemm_case(t, testing::rand_int(1, 30), K, N, 32);
  for (int i = 0; i < 100; ++i)
    small_weight_gemm_case(t, testing::rand_int(1, 70), testing::rand_int(1, 600), testing::rand_int(1, 130),
                           testing::rand_int(1, 64));
  for (int K : {4, 8, 9, 27, 96, 291})
    for (int sign : {1, -1})
      for (bool past : {false, true}) pair_bound_gemm_case(t, testing::rand_int(1, 20), K, testing::rand_int(1, 40), sign, past);
}

// ---- im2col -------------------------------------------------------------------------------

struct ConvGeom {
  int in_h, in_w, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw;
  int out_h() const { return (in_h + pt + pb - dh * (kh - 1) - 1) / sh + 1; }
  int out_w() const { return (in_w + pl + pr - dw * (kw - 1) - 1) / sw + 1; }
  bool valid() const { return in_h + pt + pb - dh * (kh - 1) - 1 >= 0 && in_w + pl + pr - dw * (kw - 1) - 1 >= 0; }
  std::string str() const {
    std::ostringstream os;
    os << "in " << in_h << "x" << in_w << " k " << kh << "x" << kw << " s " << sh << "," << sw << " pad t" << pt
       << " l" << pl << " b" << pb << " r" << pr << " d " << dh << "," << dw;
    return os.str();
  }
};

ConvGeom rand_geom(int max_k) {
  for (;;) {
    ConvGeom g;
    g.in_h = 2 * testing::rand_int(0, 19) + 1;  // odd sizes 1..39, sometimes even
    g.in_w = 2 * testing::rand_int(0, 19) + 1;
    if (testing::rand_int(0, 3) == 0) g.in_h = testing::rand_int(1, 40);
    if (testing::rand_int(0, 3) == 0) g.in_w = testing::rand_int(1, 40);
    g.kh = testing::rand_int(1, max_k);
    g.kw = testing::rand_int(0, 2) ? g.kh : testing::rand_int(1, max_k);
    g.sh = testing::rand_int(0, 2) ? testing::rand_int(1, 2) : testing::rand_int(1, 8);
    g.sw = testing::rand_int(0, 2) ? g.sh : testing::rand_int(1, 8);
    g.dh = testing::rand_int(0, 3) ? 1 : testing::rand_int(1, 3);
    g.dw = testing::rand_int(0, 3) ? g.dh : testing::rand_int(1, 3);
    g.pt = testing::rand_int(0, 3);
    g.pl = testing::rand_int(0, 3);
    g.pb = testing::rand_int(0, 3);
    g.pr = testing::rand_int(0, 3);
    if (g.valid()) return g;
  }
}

// Direct grouped convolution, written independently of the kernels: the end-to-end anchor for
// im2col + GEMM. w is [Cout][kh][kw][Cin/groups] (the im2col row order).
std::vector<uint8_t> direct_conv(const ConvGeom& g, const std::vector<uint8_t>& in, int cin, int cout, int groups,
                                 uint8_t in_zp, const std::vector<int8_t>& w, const Requant& rq) {
  const int gc = cin / groups, gout = cout / groups;
  std::vector<uint8_t> out(static_cast<size_t>(g.out_h()) * g.out_w() * cout);
  for (int oy = 0; oy < g.out_h(); ++oy)
    for (int ox = 0; ox < g.out_w(); ++ox)
      for (int o = 0; o < cout; ++o) {
        const int grp = o / gout;
        int64_t acc = rq.bias ? rq.bias[o] : 0;
        for (int ky = 0; ky < g.kh; ++ky)
          for (int kx = 0; kx < g.kw; ++kx)
            for (int c = 0; c < gc; ++c) {
              const int iy = oy * g.sh - g.pt + ky * g.dh, ix = ox * g.sw - g.pl + kx * g.dw;
              const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
              const int x = inside ? in[(static_cast<size_t>(iy) * g.in_w + ix) * cin + grp * gc + c] : in_zp;
              acc += x * w[((static_cast<size_t>(o) * g.kh + ky) * g.kw + kx) * gc + c];
            }
        const double y = std::nearbyint(std::min(65536.0f, std::max(-65536.0f, static_cast<float>(acc) * rq.scale[o])));
        const int v = static_cast<int>(y) + rq.out_zp;
        out[(static_cast<size_t>(oy) * g.out_w() + ox) * cout + o] =
            static_cast<uint8_t>(std::min(rq.qmax, std::max(rq.qmin, v)));
      }
  return out;
}

// Grouped convolution through t's im2col and GEMM, one group at a time, output channels of a
// group written into their sub-range of the full output rows (as the engine does).
std::vector<uint8_t> im2col_conv(const KernelTable& t, const ConvGeom& g, const std::vector<uint8_t>& in, int cin,
                                 int cout, int groups, uint8_t in_zp, const std::vector<int8_t>& w, const QParams& q,
                                 int p_begin, int p_end) {
  const int gc = cin / groups, gout = cout / groups;
  const int K = g.kh * g.kw * gc;
  const size_t lda = K + 3;
  const int P = p_end - p_begin;
  std::vector<uint8_t> A(P * lda, 0xEE);
  std::vector<uint8_t> out(static_cast<size_t>(g.out_h()) * g.out_w() * cout, 0x33);
  for (int grp = 0; grp < groups; ++grp) {
    Im2colArgs a{};
    a.in = in.data();
    a.in_h = g.in_h;
    a.in_w = g.in_w;
    a.in_stride = cin;
    a.c_offset = grp * gc;
    a.group_channels = gc;
    a.out_w = g.out_w();
    a.kernel_h = g.kh;
    a.kernel_w = g.kw;
    a.stride_h = g.sh;
    a.stride_w = g.sw;
    a.pad_top = g.pt;
    a.pad_left = g.pl;
    a.dilation_h = g.dh;
    a.dilation_w = g.dw;
    a.pad_value = in_zp;
    t.im2col(a, p_begin, p_end, A.data(), lda);
    std::vector<uint8_t> packed(t.gemm.packed_bytes(K, gout));
    t.gemm.pack(w.data() + static_cast<size_t>(grp) * gout * K, K, gout, packed.data());
    Requant rq = q.rq;
    if (rq.bias) rq.bias += grp * gout;
    rq.scale += grp * gout;
    t.gemm.run(A.data(), lda, P, K, packed.data(), gout, rq, out.data() + static_cast<size_t>(p_begin) * cout + grp * gout,
               cout);
  }
  return out;
}

// wmax: conv weights drawn from [-wmax, wmax] (127: the full int8 range [-128, 127]).
void im2col_against_reference(const KernelTable& t, int wmax = 127) {
  for (int i = 0; i < 200; ++i) {
    const ConvGeom g = rand_geom(7);
    const int groups = testing::rand_int(0, 2) ? 1 : testing::rand_int(2, 4);
    const int cin = groups * testing::rand_int(1, 9);
    const int cout = groups * testing::rand_int(1, 12);
    const uint8_t in_zp = testing::rand_int(0, 255);
    const auto in = testing::rand_vec<uint8_t>(static_cast<size_t>(g.in_h) * g.in_w * cin, 0, 255);
    const int P = g.out_h() * g.out_w();
    const int p_begin = testing::rand_int(0, P - 1), p_end = testing::rand_int(p_begin + 1, P);
    const int gc = cin / groups;
    // im2col alone, on a sub-range of pixels into rows wider than needed.
    Im2colArgs a{};
    a.in = in.data();
    a.in_h = g.in_h;
    a.in_w = g.in_w;
    a.in_stride = cin;
    a.group_channels = gc;
    a.c_offset = gc * testing::rand_int(0, groups - 1);
    a.out_w = g.out_w();
    a.kernel_h = g.kh;
    a.kernel_w = g.kw;
    a.stride_h = g.sh;
    a.stride_w = g.sw;
    a.pad_top = g.pt;
    a.pad_left = g.pl;
    a.dilation_h = g.dh;
    a.dilation_w = g.dw;
    a.pad_value = in_zp;
    const size_t lda = static_cast<size_t>(g.kh) * g.kw * gc + testing::rand_int(0, 5);
    std::vector<uint8_t> ref((p_end - p_begin) * lda, 0x77), got(ref.size(), 0x77);
    scalar_table().im2col(a, p_begin, p_end, ref.data(), lda);
    t.im2col(a, p_begin, p_end, got.data(), lda);
    CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), std::string(t.name) + " im2col " + g.str());

    // The whole convolution through im2col + GEMM against a direct convolution.
    const auto w = testing::rand_vec<int8_t>(static_cast<size_t>(cout) * g.kh * g.kw * gc, wmax == 127 ? -128 : -wmax, wmax);
    const QParams q = rand_qparams(cout);
    const auto conv = im2col_conv(t, g, in, cin, cout, groups, in_zp, w, q, 0, P);
    const auto direct = direct_conv(g, in, cin, cout, groups, in_zp, w, q.rq);
    std::ostringstream ctx;
    ctx << t.name << " im2col+gemm conv " << g.str() << " cin " << cin << " cout " << cout << " groups " << groups
        << " weights up to " << wmax;
    CHECK_BYTES_EQ(direct.data(), conv.data(), direct.size(), ctx.str());
  }
}

// ---- depthwise ----------------------------------------------------------------------------

struct DwCase {
  ConvGeom g;
  int C;
  int row_begin, row_end;
  bool extreme;
  std::string str() const {
    std::ostringstream os;
    os << "dwconv " << g.str() << " C " << C << " rows " << row_begin << ".." << row_end << (extreme ? " extreme" : "");
    return os.str();
  }
};

std::vector<uint8_t> run_dw(const KernelTable& t, const DwCase& c, const std::vector<uint8_t>& in, uint8_t in_zp,
                            const std::vector<int8_t>& w, const Requant& rq) {
  const size_t bytes = t.dwconv.packed_bytes(c.g.kh, c.g.kw, c.C);
  std::vector<uint8_t> packed(bytes, 0x00), packed2(bytes, 0xA5);
  t.dwconv.pack(w.data(), c.g.kh, c.g.kw, c.C, packed.data());
  t.dwconv.pack(w.data(), c.g.kh, c.g.kw, c.C, packed2.data());
  CHECK_BYTES_EQ(packed.data(), packed2.data(), bytes, std::string(t.name) + " pack " + c.str());
  std::vector<uint8_t> out(static_cast<size_t>(c.g.out_h()) * c.g.out_w() * c.C, 0x5A);
  DwConvArgs a{};
  a.in = in.data();
  a.in_h = c.g.in_h;
  a.in_w = c.g.in_w;
  a.channels = c.C;
  a.out_h = c.g.out_h();
  a.out_w = c.g.out_w();
  a.kernel_h = c.g.kh;
  a.kernel_w = c.g.kw;
  a.stride_h = c.g.sh;
  a.stride_w = c.g.sw;
  a.pad_top = c.g.pt;
  a.pad_left = c.g.pl;
  a.dilation_h = c.g.dh;
  a.dilation_w = c.g.dw;
  a.in_zp = in_zp;
  a.packed = packed.data();
  a.rq = rq;
  a.out = out.data();
  t.dwconv.run(a, c.row_begin, c.row_end);
  return out;
}

void check_dw_case(const KernelTable& t, const DwCase& c) {
  // The input is allocated to its exact size so a read past its end would be seen by tools.
  std::vector<uint8_t> in = testing::rand_vec<uint8_t>(static_cast<size_t>(c.g.in_h) * c.g.in_w * c.C, 0, 255);
  std::vector<int8_t> w = testing::rand_vec<int8_t>(static_cast<size_t>(c.C) * c.g.kh * c.g.kw, -128, 127);
  uint8_t in_zp = testing::rand_int(0, 255);
  if (c.extreme) {
    for (auto& x : in) x = testing::rand_int(0, 1) ? 255 : 0;
    for (auto& x : w) x = testing::rand_int(0, 1) ? 127 : -128;
    in_zp = testing::rand_int(0, 1) ? 255 : 0;
  }
  QParams q = rand_qparams(c.C);
  // As the engine builds it: bias includes -in_zp * sum(w) (plus a random true bias).
  const int taps = c.g.kh * c.g.kw;
  for (int ch = 0; ch < c.C; ++ch) {
    int32_t s = 0;
    for (int i = 0; i < taps; ++i) s += w[static_cast<size_t>(ch) * taps + i];
    q.bias[ch] = testing::rand_int(-5000, 5000) - in_zp * s;
  }
  const auto ref = run_dw(scalar_table(), c, in, in_zp, w, q.rq);
  const auto got = run_dw(t, c, in, in_zp, w, q.rq);
  CHECK_BYTES_EQ(ref.data(), got.data(), ref.size(), std::string(t.name) + " " + c.str());
  // Again with Requant::bounded where it holds, as the engine sets it (the kernels' short
  // requantization form where the bounds are also 0..255).
  if (!requant_bounded(w.data(), taps, c.C, q.rq)) return;
  Requant rb = q.rq;
  rb.bounded = true;
  const auto got_b = run_dw(t, c, in, in_zp, w, rb);
  CHECK_BYTES_EQ(ref.data(), got_b.data(), ref.size(), std::string(t.name) + " " + c.str() + " bounded");
}

DwCase rand_dw_case(int max_k, int C) {
  DwCase c;
  c.g = rand_geom(max_k);
  c.C = C;
  const int oh = c.g.out_h();
  c.row_begin = testing::rand_int(0, 2) ? 0 : testing::rand_int(0, oh - 1);
  c.row_end = testing::rand_int(0, 2) ? oh : testing::rand_int(c.row_begin + 1, oh);
  c.extreme = testing::rand_int(0, 9) == 0;
  return c;
}

void dw_against_reference(const KernelTable& t) {
  // The common network shapes: 3x3 / 5x5 / 7x7, stride 1 and 2, "same" padding.
  for (int k : {3, 5, 7})
    for (int s : {1, 2})
      for (int C : {8, 16, 24, 32, 48, 64, 67, 96, 128, 161, 352}) {
        DwCase c;
        c.g = ConvGeom{testing::rand_int(k, 33), testing::rand_int(k, 33), k, k, s, s, k / 2, k / 2, k / 2, k / 2, 1, 1};
        c.C = C;
        c.row_begin = 0;
        c.row_end = c.g.out_h();
        c.extreme = false;
        check_dw_case(t, c);
      }
  for (int C = 1; C <= 33; ++C) check_dw_case(t, rand_dw_case(7, C));
  // Every remainder of a 64-channel block after a full one, and two full blocks.
  for (int C = 64; C <= 128; ++C) check_dw_case(t, rand_dw_case(5, C));
  for (int i = 0; i < 600; ++i) check_dw_case(t, rand_dw_case(7, testing::rand_int(1, 80)));
  // Kernels wider than 7 (the general kxk path) and a kernel covering the whole image.
  for (int i = 0; i < 30; ++i) check_dw_case(t, rand_dw_case(11, testing::rand_int(1, 40)));
  {
    DwCase c;
    c.g = ConvGeom{9, 9, 9, 9, 1, 1, 0, 0, 0, 0, 1, 1};
    c.C = 37;
    c.row_begin = 0;
    c.row_end = 1;
    c.extreme = false;
    check_dw_case(t, c);
  }
}

}  // namespace

// ---- the reference itself, on cases small enough to compute by hand -------------------------

TEST_CASE("conv_scalar_gemm_hand_computed") {
  const KernelTable& t = scalar_table();
  // Two pixels, K = 3, N = 2.
  const uint8_t A[] = {10, 200, 255, 9 /* lda padding */, 1, 2, 3, 0};
  const int8_t w[] = {1, -2, 3, /* n1 */ -128, 127, 0};
  const int32_t bias[] = {100, -5};
  const float scale[] = {0.5f, 0.25f};
  Requant rq;
  rq.bias = bias;
  rq.scale = scale;
  rq.out_zp = 3;
  std::vector<uint8_t> packed(t.gemm.packed_bytes(3, 2));
  t.gemm.pack(w, 3, 2, packed.data());
  uint8_t C[6] = {0, 0, 0, 0, 0, 0};
  t.gemm.run(A, 4, 2, 3, packed.data(), 2, rq, C, 3);
  // m0 n0: 100 + 10 - 400 + 765 = 475 -> 237.5 -> 238 (half to even) + 3 = 241
  // m0 n1: -5 - 1280 + 25400 = 24115 -> 6028.75 -> 6029 + 3 -> 255
  // m1 n0: 100 + 1 - 4 + 9 = 106 -> 53 + 3 = 56
  // m1 n1: -5 - 128 + 254 = 121 -> 30.25 -> 30 + 3 = 33
  CHECK(+C[0] == 241);
  CHECK(+C[1] == 255);
  CHECK(+C[2] == 0);  // ldc padding untouched
  CHECK(+C[3] == 56);
  CHECK(+C[4] == 33);
  // Half to even downwards, and the clamp to [qmin, qmax].
  const int32_t bias2[] = {-370, 0};  // m0 n0 acc = 375 - 370 = 5 -> 2.5 -> 2 (half to even)
  rq.bias = bias2;
  rq.out_zp = 0;
  rq.qmin = 1;
  rq.qmax = 200;
  t.gemm.run(A, 4, 1, 3, packed.data(), 2, rq, C, 3);
  CHECK(+C[0] == 2);
  CHECK(+C[1] == 200);  // 24120 * 0.25 = 6030 -> clamped to qmax
}

TEST_CASE("conv_scalar_im2col_hand_computed") {
  // 2x2 image, 2 channels of which the group uses channel 1; 3x3 kernel, pad 1, stride 1.
  const uint8_t in[] = {0, 1, 0, 2, 0, 3, 0, 4};
  Im2colArgs a{};
  a.in = in;
  a.in_h = 2;
  a.in_w = 2;
  a.in_stride = 2;
  a.c_offset = 1;
  a.group_channels = 1;
  a.out_w = 2;
  a.kernel_h = a.kernel_w = 3;
  a.stride_h = a.stride_w = 1;
  a.pad_top = a.pad_left = 1;
  a.dilation_h = a.dilation_w = 1;
  a.pad_value = 9;
  uint8_t A[2 * 10];
  std::memset(A, 0xEE, sizeof(A));
  scalar_table().im2col(a, 2, 4, A, 10);  // pixels (1,0) and (1,1)
  const uint8_t want[] = {9, 1, 2, 9, 3, 4, 9, 9, 9, 0xEE, 1, 2, 9, 3, 4, 9, 9, 9, 9, 0xEE};
  CHECK_BYTES_EQ(want, A, sizeof(want), "im2col hand case");
}

TEST_CASE("conv_scalar_dwconv_hand_computed") {
  // One 1x1 pixel, 2 channels, 3x3 kernel with padding 1: only the centre tap is inside, the
  // other eight read in_zp = 10.
  const uint8_t in[] = {50, 7};
  const int8_t w[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, /* c1 */ -1, -1, -1, -1, 2, -1, -1, -1, -1};
  const int32_t bias[] = {-10 * 9, -10 * (2 - 8)};  // -in_zp * sum(w)
  const float scale[] = {1.0f, 1.0f};
  DwConvArgs a{};
  a.in = in;
  a.in_h = a.in_w = 1;
  a.channels = 2;
  a.out_h = a.out_w = 1;
  a.kernel_h = a.kernel_w = 3;
  a.stride_h = a.stride_w = 1;
  a.pad_top = a.pad_left = 1;
  a.dilation_h = a.dilation_w = 1;
  a.in_zp = 10;
  std::vector<uint8_t> packed(scalar_table().dwconv.packed_bytes(3, 3, 2));
  scalar_table().dwconv.pack(w, 3, 3, 2, packed.data());
  a.packed = packed.data();
  a.rq.bias = bias;
  a.rq.scale = scale;
  a.rq.out_zp = 20;
  uint8_t out[2] = {0, 0};
  a.out = out;
  scalar_table().dwconv.run(a, 0, 1);
  // c0: -90 + 50 + 8*10 = 40 -> 60; c1: 60 + 14 - 80 = -6 -> 14 (i.e. (x - zp) * w: 40*1, -3*2)
  CHECK(+out[0] == 60);
  CHECK(+out[1] == 14);
}

TEST_CASE("conv_scalar_im2col_gemm_matches_direct_conv") { im2col_against_reference(scalar_table()); }

// ---- every other table against the reference -----------------------------------------------
// One case per table and kernel ("conv_gemm/neon", ...); a table this CPU cannot run is skipped.

// Requant::bounded's limit: (float)acc * scale under 2^30 for the accumulator's whole range.
TEST_CASE("requant_bounded_limits") {
  CHECK(requant_bounded(-1000, 1000, 1.0f));
  CHECK(requant_bounded(-(int64_t{1} << 29), int64_t{1} << 29, 1.0f));
  CHECK(!requant_bounded(0, int64_t{1} << 30, 1.0f));
  CHECK(!requant_bounded(-(int64_t{1} << 30), 0, 1.0f));
  CHECK(requant_bounded(-(int64_t{1} << 31), int64_t{1} << 31, 0.25f));
  CHECK(!requant_bounded(-1, 1, 2e9f));
  CHECK(!requant_bounded(-1, 1, std::numeric_limits<float>::infinity()));
  CHECK(!requant_bounded(-1, 1, std::numeric_limits<float>::quiet_NaN()));
}

ISA_TEST(conv_gemm) { gemm_against_reference(t); }
ISA_TEST(conv_gemm_narrow_weights) { narrow_gemm_against_reference(t); }
ISA_TEST(conv_gemm_paired_quads) { paired_gemm_against_reference(t); }
ISA_TEST(conv_im2col) { im2col_against_reference(t); }
ISA_TEST(conv_im2col_narrow_weights) { im2col_against_reference(t, 64); }
ISA_TEST(conv_dwconv) { dw_against_reference(t); }
