// The kernel table: one entry per operation, one table per ISA. The scalar table is the reference;
// every other table must produce bit-identical results. Tests and benchmarks iterate over
// all_kernel_tables(), so a kernel is registered in exactly one place (its ISA's table.cpp).
//
// Shared numeric definitions (every ISA implements exactly these):
//   round(x)  = round half to even of min(max(x, -65536.f), 65536.f) (the clamp keeps every ISA's
//               float->int conversion in range); nearbyintf under the default rounding mode,
//               _mm*_cvtps_epi32, vcvtnq_s32_f32. All float math in single precision, no FMA
//               contraction (-ffp-contract=off), in the order written here.
//   requant   : y = clamp(round((float)acc * scale[n]) + out_zp, qmin, qmax)
//   Zero points (out_zp, in_zp, za, zb, zy) are 0..255, as model_check requires of every tensor.
//   bilinear  : weights in 1/2048 units; v = (p00*(2048-wx) + p01*wx)*(2048-wy) + (p10*(2048-wx) + p11*wx)*wy
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "attendseg/image.h"

namespace attendseg {
namespace kernels {

enum class Isa : uint8_t { Scalar, Avx2, AvxVnni, Avx512Vnni, Neon, NeonDotprod };

// The scalar form of round() above. static: each ISA file keeps its own copy, so a CPU without
// AVX2 never runs one compiled with AVX2 flags.
static inline int32_t round_clamped(float x) {
  x = x < -65536.0f ? -65536.0f : (x > 65536.0f ? 65536.0f : x);
  return static_cast<int32_t>(__builtin_nearbyintf(x));
}
static inline uint8_t clamp_u8(int32_t v, int32_t lo = 0, int32_t hi = 255) {
  return static_cast<uint8_t>(v < lo ? lo : (v > hi ? hi : v));
}

// How a SIMD kernel takes QuantizeLinear's v / s ("Quotients by a reciprocal").
enum class Quotient : uint8_t { Division, Reciprocal, Corrected };

struct Requant {
  const int32_t* bias = nullptr;   // per output channel, already includes -in_zp * sum_k w[n][k]
  const float* scale = nullptr;    // per output channel: in_scale * w_scale[n] / out_scale
  int32_t out_zp = 0;
  int32_t qmin = 0, qmax = 255;
  // Every channel's (float)acc * scale is known to lie inside +-2^30 (requant_bounded over the
  // accumulator's range): a SIMD kernel may then convert it without the clamp at 65536, which
  // only matters where x86's conversion would turn a value past 2^31 into INT_MIN.
  bool bounded = false;
};

// Whether (float)acc * scale stays inside +-2^30 (rounding included) for every acc in
// [acc_min, acc_max].
bool requant_bounded(int64_t acc_min, int64_t acc_max, float scale);
// Requant::bounded for a GEMM of weights w ([N][K], row-major) with rq's bias (none: 0) and scales:
// every channel's accumulator range over uint8 activations within requant_bounded.
bool requant_bounded(const int8_t* w, int K, int N, const Requant& rq);
// Whether [qmin, qmax] is narrower than [0, 255]: when it is not, a SIMD kernel's unsigned
// saturation to bytes is already the whole clamp (true of every conv in the shipped model).
inline bool requant_clamps(const Requant& rq) { return rq.qmin > 0 || rq.qmax < 255; }

// ---- Convolution ---------------------------------------------------------------------------
// GEMM for pointwise and im2col convolutions: for m in [0,M), n in [0,N):
//   C[m*ldc + n] = requant(bias[n] + sum_{k<K} A[m*lda + k] * w[n][k])
// A holds M rows of lda bytes (the last one too); a kernel may read a row's bytes past K, up to
// lda, whatever they hold, as long as they do not change C (packed weights there are zero).
struct GemmKernel {
  size_t (*packed_bytes)(int K, int N);
  void (*pack)(const int8_t* w, int K, int N, uint8_t* packed);  // w row-major [N][K]
  void (*run)(const uint8_t* A, size_t lda, int M, int K, const uint8_t* packed, int N,
              const Requant& rq, uint8_t* C, size_t ldc);
};

// im2col for one group of a kxk convolution: rows are output pixels p in [p_begin, p_end)
// (p = oy * out_w + ox); row r = p - p_begin of A holds, for ky, kx, c in that order,
// in[(iy*in_w + ix)*in_stride + c_offset + c] or pad_value outside the image. A row has
// kernel_h*kernel_w*group_channels bytes; lda >= that.
struct Im2colArgs {
  const uint8_t* in;
  int in_h, in_w, in_stride, c_offset, group_channels;
  int out_w;
  int kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w;
  uint8_t pad_value;
};

// Depthwise convolution (groups == channels, one output per channel), NHWC, output rows
// [row_begin, row_end). Padding reads as in_zp; bias in rq already includes -in_zp * sum(w).
struct DwConvArgs {
  const uint8_t* in;
  int in_h, in_w, channels;
  int out_h, out_w;
  int kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, dilation_h, dilation_w;
  uint8_t in_zp;
  const uint8_t* packed;  // from DwKernel::pack
  Requant rq;
  uint8_t* out;
};
struct DwKernel {
  size_t (*packed_bytes)(int kernel_h, int kernel_w, int channels);
  void (*pack)(const int8_t* w, int kernel_h, int kernel_w, int channels, uint8_t* packed);  // w [C][kh][kw]
  void (*run)(const DwConvArgs& a, int row_begin, int row_end);
};

// Winograd F(2x2, 3x3) for 3x3, stride 1, dilation 1, groups 1 convolutions: the same output
// as im2col + GEMM, bit for bit, with 16 multiplies per 2x2 outputs and channel pair instead of 36.
// Tile (ty, tx) is the outputs in rows 2ty..2ty+1 and columns 2tx..2tx+1 that lie inside
// out_h x out_w; its input d is the 4x4 window at row 2ty - pad_top, column 2tx - pad_left, with
// in_zp outside the image (as im2col pads).
// With positions pos = 4i + j and all int32 arithmetic wrapping (mod 2^32):
//   U = G g G^T per (out, in) channel pair, g the 3x3 weights, G = [[2,0,0],[1,1,1],[1,-1,1],[0,0,2]]
//       (twice the textbook G, so U is integral: |U| <= 9 * 128)
//   V = B^T d B, B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]        (|V| <= 4 * 255)
//   M[pos][n] = sum over in channels c of U[n][c][pos] * V[c][pos]
//   Y = A^T M A, A^T = [[1,1,1,0],[0,1,-1,-1]]: 4 x the direct sum of w * x of each output
//   acc = bias[n] + (Y >> 2) (arithmetic shift), then requant as the GEMM.
// Y is exact when 4 * 255 * sum|w[n]| fits int32 (winograd_fits): wrapped intermediates cancel.
//
// Winograd F(4x4, 3x3), the same contract with 4x4 output tiles: 36 multiplies per 4x4 outputs
// and channel pair instead of 144. Tile (ty, tx) is rows 4ty..4ty+3, columns 4tx..4tx+3; its
// input d is the 6x6 window at row 4ty - pad_top, column 4tx - pad_left. With pos = 6i + j:
//   U' = G' g G'^T, G' = [[1,0,0],[-1,-1,-1],[-1,1,-1],[1,2,4],[1,-2,4],[0,0,1]]: the textbook G
//        with its rows scaled by dg = (4,6,6,24,24,1), so U' is integral (|U'| <= 7*7*128)
//   V  = B^T d B, B^T = [[4,0,-5,0,1,0],[0,-4,-4,1,1,0],[0,4,-4,-1,1,0],
//                        [0,-2,-1,2,1,0],[0,2,-1,-2,1,0],[0,4,0,-5,0,1]]    (|V| <= 100 * 255)
//   M'[pos][n] = sum over in channels c of U'[n][c][pos] * V[c][pos]
//   R = A'^T M' A', A'^T = A^T diag(24 / dg) = [[6,4,4,1,1,0],[0,4,-4,2,-2,0],[0,4,4,4,4,0],
//       [0,4,-4,8,-8,24]]: 576 x the direct sum y of w * x of each output (the row scaling of G'
//       is undone in the output transform, 576 / (dg_i dg_j) = (24 / dg_i) (24 / dg_j))
//   y = (int32)(R * 0x38E38E39) >> 6 (arithmetic): 0x38E38E39 is the inverse of 9 mod 2^32, so
//       the product is 64 y mod 2^32, which is 64 y itself while |y| < 2^25
//   acc = bias[n] + y, then requant as the GEMM.
// Exact when 255 * sum|w[n]| < 2^25 for every n (winograd4_fits).
struct WinogradArgs {
  const uint8_t* in;
  int in_h, in_w, in_c;
  int out_h, out_w, out_c;
  int pad_top, pad_left;
  uint8_t in_zp;
  const uint8_t* packed;  // from WinogradKernel::pack
  Requant rq;
  uint8_t* out;
};
// The same entries serve both tile sizes; WinogradArgs' tile coordinates are in the kernel's tiles.
struct WinogradKernel {
  size_t (*packed_bytes)(int in_c, int out_c);
  void (*pack)(const int8_t* w, int in_c, int out_c, uint8_t* packed);  // w [out_c][3][3][in_c]
  // Scratch for one run call of up to `tiles` tiles (64-byte aligned).
  size_t (*scratch_bytes)(int in_c, int tiles);
  // Tiles [tx_begin, tx_end) of tile row ty.
  void (*run)(const WinogradArgs& a, int ty, int tx_begin, int tx_end, void* scratch);
};

// Convolution with few input channels straight from the input, for groups 1 and
// K = kernel_h * kernel_w * group_channels <= kSmallConvMaxK: for output pixels [p_begin, p_end),
// exactly im2col (a) into rows of K bytes followed by the GEMM with weights w [N][K] (im2col's
// (ky, kx, c) order); C is pixel p_begin's output. It spares im2col's byte rows and the GEMM's
// widening of them, which cost more than the multiplies when K is this small (e.g. a 3x3 stem
// over RGB, K = 27). Null where the table has none: such tables keep im2col.
constexpr int kSmallConvMaxK = 64;
struct SmallConvKernel {
  size_t (*packed_bytes)(int K, int N);
  void (*pack)(const int8_t* w, int K, int N, uint8_t* packed);  // w row-major [N][K]
  void (*run)(const Im2colArgs& a, int p_begin, int p_end, const uint8_t* packed, int K, int N, const Requant& rq,
              uint8_t* C, size_t ldc);
};

// ---- Pooling -------------------------------------------------------------------------------
// Max:  y = lut ? lut[max] : max over the window's in-image elements.
// Avg:  s = sum over in-image elements of (x - in_zp); n = window elements counted (in-image
//       only, or the whole window clipped to the padded extent when count_include_pad);
//       y = clamp(round((float)s * (ratio / (float)n)) + out_zp, 0, 255), ratio = in_scale/out_scale.
// Global average pooling is Avg with the kernel equal to the input size.
struct PoolArgs {
  const uint8_t* in;
  int in_h, in_w, channels;
  int out_h, out_w;
  int kernel_h, kernel_w, stride_h, stride_w, pad_top, pad_left, pad_bottom, pad_right;
  bool count_include_pad;
  int32_t in_zp, out_zp;
  float ratio;
  const uint8_t* lut;  // MaxPool: requantize table or nullptr when qparams are equal
  uint8_t* out;
};

// ---- Resize --------------------------------------------------------------------------------
// Tables are built once per plan by build_resize_axis (scalar code shared by every ISA).
// Nearest: y = lut ? lut[x] : x with x = in[(ys[oy]*in_w + xs[ox])*C + c].
// Linear: exactly ONNX Runtime's float path DequantizeLinear -> UpsampleBilinear ->
// QuantizeLinear, in single precision, every operation rounded as written (no FMA):
//   X(q)  = (float)(q - in_zp) * in_scale
//   X11 = X(in[y0][x0]), X21 = X(in[y0][x1]), X12 = X(in[y1][x0]), X22 = X(in[y1][x1])
//         (y0/y1 = ys.i0/i1[oy], x0/x1 = xs.i0/i1[ox])
//   v     = (((wx0*wy0)*X11 + (wx1*wy0)*X21) + (wx0*wy1)*X12) + (wx1*wy1)*X22
//         (wx0/wx1 = xs.w0/w1[ox], wy0/wy1 = ys.w0/w1[oy])
//   y     = clamp(round(v / out_scale) + out_zp, 0, 255)      (a true division, as MLAS)
// With quotient Corrected (set by the plan where resize_corrected_quotient_exact holds), a SIMD
// kernel takes v / out_scale as corrected_quotient ("Quotients by a reciprocal" below): equal for
// every v the kernel can form.
struct ResizeAxis {
  std::vector<int32_t> i0, i1;  // neighbour indices (nearest uses i0 only)
  // build_resize_axis, linear: float weights of i0 and i1, ONNX Runtime's dx2 and dx1:
  //   w0 = |x - i1|, w1 = |x - i0|, both 0.5 when i0 == i1. Empty for nearest.
  std::vector<float> w0, w1;
  // build_image_axis only (image preprocess): weight of i1 in 1/2048, 0..2048.
  std::vector<int16_t> w;
};
struct ResizeArgs {
  const uint8_t* in;
  int in_h, in_w, channels;
  int out_h, out_w;
  const ResizeAxis* ys;
  const ResizeAxis* xs;
  float in_scale;  // linear only
  int32_t in_zp;   // linear only
  float out_scale;  // linear only
  int32_t out_zp;   // linear only
  const uint8_t* lut;  // nearest only; nullptr when qparams are equal
  uint8_t* out;
  Quotient quotient = Quotient::Division;  // linear only: Division or Corrected
};

// Whether every quotient v / out_scale a linear Resize of `a` forms lies well inside int32, so
// that a SIMD kernel may convert it without the reference's clamp at 65536 (x86's conversion
// turns quotients over 2^31 into INT_MIN; inside int32 every quotient over 65536 ends at 255
// either way): the axis weights are in [0, 1] (build_resize_axis), so |v| <= 4 * 255 * in_scale
// plus rounding, and in_scale <= 2^20 * out_scale keeps |v / out_scale| under 2^31 / 2.
bool resize_quotient_bounded(const ResizeArgs& a);

// Bilinear Resize whose output only feeds the per-pixel argmax over channels (the network's final
// upsampling): labels[oy * out_w + ox] for output rows [row_begin, row_end) are exactly argmax of
// resize_linear's output (first index of the maximum), which is the reference: resize_linear, then
// argmax over those rows. The rows of a.out are scratch and may be left partly unwritten.
// A kernel may skip output pixels whose label is certain from their four source pixels: when the
// input and output quantization are equal and the axis weights are non-negative pairs summing to
// one, a pixel whose four neighbours all have the same channel c ahead of every other channel by at
// least 2 (quantized) has v_c / s ahead of every other by at least 2 minus the float error, so
// its rounded value is strictly the largest (and no value saturates): its label is c.
// With confidence (kernels.h "Confidence"), every pixel's values are needed, so none is skipped.
struct ResizeArgmaxArgs {
  ResizeArgs resize;
  uint8_t* labels;  // out_h * out_w
  uint8_t* confidence = nullptr;         // out_h * out_w, or nullptr
  const uint32_t* softmax = nullptr;     // build_softmax_table of resize.out_scale, with confidence
};

// ---- Element-wise --------------------------------------------------------------------------
// Over pixels [p_begin, p_end), each with `channels` values. b is Full (pixels*C values),
// Channel (C values shared by every pixel) or Pixel (one value per pixel, shared across C).
// Exactly ONNX Runtime's float path (DequantizeLinear, float op, QuantizeLinear), no FMA:
//   A = (float)(a - za) * sa,  B = (float)(b - zb) * sb
//   Add: v = A + B;  Mul: v = A * B
//   y = clamp(round(v / sy) + zy, qmin, qmax)      (a true division, as MLAS)
// With quotient Reciprocal or Corrected (set by the plan where binary_quotient_exact holds), a
// SIMD kernel takes v / sy as v * (1 / sy) or as corrected_quotient ("Quotients by a reciprocal"
// below): y depends only on the pair of bytes, and the plan has compared the bytes of all 65536.
// With integer.on (Add only; set by the plan where find_integer_add found it), a SIMD kernel may
// instead take y from the integers ("Add in integers" below).
enum class Broadcast : uint8_t { Full, Channel, Pixel };

// ---- Add in integers ------------------------------------------------------------------------
//   y = clamp((ma * a + mb * b + c) >> shift, qmin, qmax)     (a, b the bytes; >> arithmetic)
// find_integer_add admits parameters only where this gives the float formula's byte for every
// one of the 65536 pairs (a, b), with |ma * a + mb * b + c| < 2^31 for all of them, so any order
// of int32 operations is exact. The float formula is a monotone function of the exact sum A + B
// with one rounding at each step; the search tries multipliers near 2^shift * sa / sy and
// 2^shift * sb / sy for the most precise shifts that fit, and for each the interval of c that the
// 65536 pairs allow. It fails where the reference's rounding is not such a function of the bytes
// (ties rounded to even, pairs the float steps round across a boundary), and those Adds keep the
// float path. Swapping the operands swaps ma and mb (float addition commutes).
struct IntegerAdd {
  bool on = false;
  int32_t ma = 0, mb = 0, c = 0, shift = 0;
};
struct BinaryArgs {
  const uint8_t* a;
  const uint8_t* b;
  uint8_t* out;
  int channels;
  Broadcast broadcast;
  int32_t za, zb, zy;
  float sa, sb, sy;
  int32_t qmin, qmax;
  Quotient quotient = Quotient::Division;
  IntegerAdd integer{};  // Add only
};

// Parameters of "Add in integers" for Add a (its a, b, out, channels and broadcast unused).
bool find_integer_add(const BinaryArgs& a, IntegerAdd* out);

// ---- Quotients by a reciprocal --------------------------------------------------------------
// QuantizeLinear's v / s (Add, Mul, bilinear Resize) costs a vector division per output value.
// With r = 1.0f / s (a true division, once per call), a SIMD kernel may instead take
//   Reciprocal: q = v * r                                            (one multiplication)
//   Corrected:  q0 = v * r, e = fma(-q0, s, v), q = fma(e, r, q0)    (corrected_quotient)
// (explicit FMA instructions), where the plan has shown the result equal to the division's, so
// the tables stay bit-identical to the scalar reference, which divides.
// - binary_quotient_exact: Add / Mul's output byte depends only on the pair (a, b); all 65536
//   pairs through the scalar formula of "Element-wise" with the division and with the given
//   quotient give the same byte (and never NaN). The plain product fails for a few pairs of some
//   scales (where v / s is within an ulp or two of k + 0.5).
// - resize_corrected_quotient_exact: v is not enumerable. Markstein's theorem (Handbook of
//   Floating-Point Arithmetic, Muller et al.) proves the corrected q = RN(v / s) when r is within
//   half an ulp of 1/s and q0 is a faithful approximation of v / s (within one ulp), for normal
//   values without underflow or overflow. r = RN(1/s) meets the first hypothesis, but
//   q0 = RN(v * r) is not always faithful (up to about 1.47 ulp where the significand of s is near
//   2; s = 0x1.fffffep0, v = 1.5: 1.25 ulp), so the theorem alone does not apply. Both sides
//   commute with scaling v by a power of two while every intermediate stays normal, so the check
//   compares corrected_quotient with v / s (as floats) for every v in [1, 2) (all 2^23
//   significands) and admits only scales that keep every v the Resize can form in that regime:
//   2^-60 <= s <= 2^60 and |v| <= 1024 * in_scale <= 2^100 * s (weights are in [0, 1], so
//   |v| <= 4 * 255 * in_scale). A v with |v / s| >= 1/4 (so |v| >= 2^-62) then has q0 normal and a
//   remainder e that is 0 or at least 2^-47 times v's binade (>= 2^-109): every step is the checked
//   one scaled. A smaller |v / s| gives |q| < 0.27, rounded to 0 as v / s is, whatever underflows.
// The plan takes Reciprocal where it is exact, else Corrected where it is exact and the table's
// corrected_quotient says it pays, else Division.
float corrected_quotient(float v, float s, float r);
bool binary_quotient_exact(const BinaryArgs& a, bool is_mul, Quotient q);
bool resize_corrected_quotient_exact(float in_scale, float out_scale);

// y[p*C + c] = table[(per_channel ? c * 256 : 0) + x[p*C + c]] for pixels [p_begin, p_end).
struct LutArgs {
  const uint8_t* in;
  uint8_t* out;
  int channels;
  const uint8_t* table;
  bool per_channel;
};

// Concat piece: out[p*out_stride + c_offset + c] = lut ? lut[in[p*C + c]] : in[p*C + c].
struct CopyChannelsArgs {
  const uint8_t* in;
  int channels;
  uint8_t* out;
  int out_stride, c_offset;
  const uint8_t* lut;
};

// labels[p] = first index of the maximum of in[p*C .. p*C + C).
// Confidence (when `confidence` is set): the winning class's softmax probability x 255 over the
// values dequantized with scale s, in integers so that every ISA gets the same byte:
//   softmax[k] = round(65536 * exp(-s * k)), k = 0..255 (build_softmax_table; softmax[0] = 65536)
//   m = in[p*C + labels[p]]; sum = sum over c of softmax[m - in[p*C + c]]   (<= 256 * 65536)
//   confidence[p] = (255 * 65536 + sum / 2) / sum      (integer division: 255 / sum, rounded)
// It is within 1 of round(255 / sum over c of exp(s * (x_c - m))), the float softmax.
struct ArgmaxArgs {
  const uint8_t* in;
  int channels;
  uint8_t* labels;
  uint8_t* confidence = nullptr;
  const uint32_t* softmax = nullptr;  // 256 entries, with confidence
};

// ---- Preprocess in integers ----------------------------------------------------------------
//   lut[c * 256 + p] == clamp((m[c] * p + add[c]) >> shift, 0, 255)   for every c and p in 0..255
// (>> arithmetic). A quantized normalisation is a rounded line in p, so such integers exist for
// nearly every model; find_input_affine admits them only where the equation holds for all 768
// entries with every m * p + add inside int32. A SIMD kernel may then compute the table's byte
// (AVX2 has no lookup of 256 bytes but a gather or a load per byte).
struct InputAffine {
  bool on = false;
  int32_t m[3] = {}, add[3] = {};
  int shift = 0;
};
// The camera byte (0..255) -> quantized network input table of every channel:
//   lut[c * 256 + p] = clamp_u8(round_clamped(((p / 255 - mean[c]) / std[c]) / scale) + zero_point)
// in float, as ONNX Runtime quantizes the normalised input.
void build_input_lut(const float mean[3], const float std_dev[3], float scale, int32_t zero_point, uint8_t lut[768]);
bool find_input_affine(const uint8_t lut[768], InputAffine* out);

// ---- Image stages --------------------------------------------------------------------------
// Pixel to RGB: rgb/bgr/rgba/bgra/mono as stored; YUV (BT.601 video range, as OpenCV):
//   y = max(0, Y - 16) * 1220542; u = U - 128; v = V - 128
//   R = clamp8((y + (1 << 19) + 1673527 * v) >> 20)
//   G = clamp8((y + (1 << 19) - 852492 * v - 409993 * u) >> 20)
//   B = clamp8((y + (1 << 19) + 2116026 * u) >> 20)
// Preprocess: for output (oy, ox), the four neighbours (ys, xs tables over the input image from
// build_image_axis, half-pixel centres; the identity when the image is the network size) are converted to RGB, blended per channel: pix = (v + (1 << 21)) >> 22,
// then out[(oy*net_w + ox)*3 + c] = lut[c*256 + pix].
struct PreprocessArgs {
  ImageView image;
  int net_w, net_h;
  const ResizeAxis* ys;
  const ResizeAxis* xs;
  const uint8_t* lut;  // [3][256]
  uint8_t* out;
  InputAffine affine{};  // the lut in integers, where find_input_affine found them
};

// Nearest label upsampling: out[oy*out_w + ox] = labels[ys[oy]*lw + xs[ox]], xs/ys from
// label_index_table. Colorize: rgb = palette[3 * (label % palette_size)].
// Overlay at input resolution: out = (src_rgb * (256 - alpha) + colour * alpha + 128) >> 8.
struct LabelMapArgs {
  const uint8_t* labels;
  int lw, lh;
  const int32_t* xs;  // per output column, source label column
  const int32_t* ys;  // per output row, source label row
  int out_w, out_h;
  uint8_t* label_out;      // may be nullptr
  uint8_t* colorized_out;  // may be nullptr
  const uint8_t* palette;
  int palette_size;
};
struct OverlayArgs {
  ImageView image;
  const uint8_t* labels;
  int lw, lh;
  const int32_t* xs;  // per image column, source label column
  const int32_t* ys;  // per image row, source label row
  const uint8_t* palette;
  int palette_size;
  int alpha;  // 0..256
  uint8_t* out;  // rgb8, image.width x image.height, tightly packed
};

// Each ISA's table.cpp names the kernels it has and takes every other entry from the table of
// the next plainer ISA its CPUs always have (inherit): avxvnni and avx512vnni from avx2 (an
// AVX-512 VNNI CPU need not have the VEX AVX-VNNI), neon_dotprod from neon, so no ISA carries
// forwarding functions and a new kernel is registered once.
struct KernelTable {
  Isa isa = Isa::Scalar;
  const char* name = nullptr;
  // Whether the plan should give this table's Add, Mul and bilinear Resize the Corrected quotient
  // where it is exact: its three FP operations replace one division, which pays where the
  // vector division is slow (NEON FDIV) but not on the AVX2 / AVX-512 CPU measured (Zen 5, whose
  // kernels there are not bound by the division). inherit() takes the base's when false.
  bool corrected_quotient = false;
  GemmKernel gemm{};
  void (*im2col)(const Im2colArgs& a, int p_begin, int p_end, uint8_t* A, size_t lda) = nullptr;
  DwKernel dwconv{};
  // F(2x2) and F(4x4) Winograd and the small-channel convolution: null where neither the table
  // nor the one it inherits from has one. Which of a conv's possible paths runs is chosen per
  // layer and input size by timing them (choose_conv_paths), not by table.
  WinogradKernel winograd{};
  WinogradKernel winograd4x4{};
  SmallConvKernel small_conv{};
  // The static path order's cost model (prepared_model.cpp, winograd_leads): multiply-accumulates
  // per multiply instruction of the GEMM and of the Winograd kernels' channel sums; 0 where the
  // table does not say, which counts as equal rates.
  int gemm_macs_per_insn = 0;
  int winograd_macs_per_insn = 0;
  void (*maxpool)(const PoolArgs& a, int row_begin, int row_end) = nullptr;
  void (*avgpool)(const PoolArgs& a, int row_begin, int row_end) = nullptr;
  void (*resize_nearest)(const ResizeArgs& a, int row_begin, int row_end) = nullptr;
  void (*resize_linear)(const ResizeArgs& a, int row_begin, int row_end) = nullptr;
  void (*resize_linear_argmax)(const ResizeArgmaxArgs& a, int row_begin, int row_end) = nullptr;
  void (*add)(const BinaryArgs& a, size_t p_begin, size_t p_end) = nullptr;
  void (*mul)(const BinaryArgs& a, size_t p_begin, size_t p_end) = nullptr;
  void (*lut)(const LutArgs& a, size_t p_begin, size_t p_end) = nullptr;
  void (*copy_channels)(const CopyChannelsArgs& a, size_t p_begin, size_t p_end) = nullptr;
  void (*argmax)(const ArgmaxArgs& a, size_t p_begin, size_t p_end) = nullptr;
  void (*preprocess)(const PreprocessArgs& a, int row_begin, int row_end) = nullptr;
  void (*label_map)(const LabelMapArgs& a, int row_begin, int row_end) = nullptr;
  void (*overlay)(const OverlayArgs& a, int row_begin, int row_end) = nullptr;
  // The benchmark's ceiling: the same multiply-accumulate instructions the GEMM uses, in
  // independent chains with no loads. Runs `iterations` rounds on this thread; returns MACs done.
  int64_t (*peak_loop)(int64_t iterations) = nullptr;
};

// `own` with every entry it leaves empty taken from `base`.
KernelTable inherit(KernelTable own, const KernelTable& base);

// Shared, ISA-independent helpers (native/src/kernels/common.cpp).
// Resize axis per ONNX coordinate_transformation_mode / nearest_mode (mode: 0 nearest, 1 linear).
void build_resize_axis(int in_size, int out_size, float scale, int coord_mode, int nearest_mode,
                       bool linear, ResizeAxis* axis);
// Half-pixel bilinear axis for the image preprocess (computed in double; the TypeScript
// reference computes the identical table).
void build_image_axis(int in_size, int out_size, ResizeAxis* axis);
// U = G g G^T of kernels.h's Winograd for every (out, in) channel pair: w [out_c][3][3][in_c]
// -> u[(n * 16 + pos) * in_c + c].
void winograd_weights(const int8_t* w, int in_c, int out_c, int16_t* u);
// Whether Winograd is exact for these weights: 4 * 255 * sum|w[n]| <= INT32_MAX for every n.
bool winograd_fits(const int8_t* w, int in_c, int out_c);
// U' = G' g G'^T of kernels.h's Winograd F(4x4): w [out_c][3][3][in_c] -> u[(n * 36 + pos) * in_c + c].
void winograd4_weights(const int8_t* w, int in_c, int out_c, int16_t* u);
// Whether Winograd F(4x4) is exact for these weights: 255 * sum|w[n]| < 2^25 for every n.
bool winograd4_fits(const int8_t* w, int in_c, int out_c);
// The table's Winograd kernel with output tiles of tile x tile (2 or 4).
inline const WinogradKernel& winograd_kernel(const KernelTable& t, int tile) {
  return tile == 4 ? t.winograd4x4 : t.winograd;
}
// ResizeArgmaxArgs: whether output rows [row_begin, row_end) may take a pixel's label from its
// source pixels' dominant channel: equal input and output quantization, and every axis weight pair
// non-negative and summing to one (within 1e-6).
bool resize_labels_may_skip(const ResizeArgs& a, int row_begin, int row_end);
// The softmax table of ArgmaxArgs' confidence for values of quantization scale `scale` (> 0).
void build_softmax_table(float scale, uint32_t table[256]);
// ArgmaxArgs' confidence of one pixel's sum of softmax entries (65536 <= sum <= 256 * 65536).
static inline uint8_t confidence_of_sum(uint32_t sum) { return static_cast<uint8_t>((255u * 65536u + sum / 2) / sum); }
// A source pixel's dominant channel where it has none.
constexpr uint8_t kResizeLabelUnsure = 255;
// Nearest index table for label maps: src = ((2 * dst + 1) * in_size) / (2 * out_size).
void label_index_table(int in_size, int out_size, std::vector<int32_t>* table);

// Tables compiled into this binary, scalar first; the ones the CPU can run are marked usable.
struct TableEntry {
  const KernelTable* table;
  bool usable;
};
std::vector<TableEntry> all_kernel_tables();
// The best usable table, or the one named by `name` / ATTENDSEG_ISA ("scalar", "avx2", "avxvnni",
// "avx512vnni", "neon", "neon_dotprod"); throws attendseg::Error if it is unknown or unusable.
const KernelTable& select_kernels(const char* name);

const KernelTable& scalar_table();
#if defined(__x86_64__) || defined(_M_X64)
const KernelTable& avx2_table();
const KernelTable& avxvnni_table();
const KernelTable& avx512vnni_table();
#endif
#if defined(__aarch64__)
const KernelTable& neon_table();
const KernelTable& neon_dotprod_table();
#endif

}  // namespace kernels
}  // namespace attendseg
