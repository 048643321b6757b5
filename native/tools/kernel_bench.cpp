// attendseg_kernel_bench: one element-wise or resize kernel through every usable kernel table, in
// alternated rounds in one process (so machine noise hits every table alike), each table's output
// compared with the scalar reference's. Prints the minimum time per table; ratios between rows of
// one run are what to report, never times from two machines.
//   attendseg_kernel_bench add <h> <w> <c> [float|integer]   Add of two full tensors
//   attendseg_kernel_bench preprocess <h> <w> [imagenet|random] [<src_h> <src_w>]
//                                                           an rgb8 image (of the network size, or
//                                                           src) to the network size, through the
//                                                           ImageNet table (in integers) or a random one
//   attendseg_kernel_bench resize <in_h> <in_w> <c>          bilinear half-pixel 2x upscale
//   attendseg_kernel_bench gemm <M> <K> <N> [w64|full|trained]
//                                                           the conv GEMM, weights in [-64, 64]
//                                                           (default), in [-127, 127], or small
//                                                           as a trained layer's
//   attendseg_kernel_bench dw <h> <w> <c> [1|2]             3x3 depthwise conv, "same" padding,
//                                                           stride 1 (default) or 2
//   attendseg_kernel_bench small <h> <w> <in_c> [out_c]     the small-channel 3x3 stride-2 "same"
//                                                           conv (default 3 to 24: the RGB stem)
//   attendseg_kernel_bench im2col <h> <w> <c> [1|2]         a 3x3 "same" conv's im2col, stride 2
//                                                           (default) or 1, in the engine's tiles
//                                                           of 64 pixels
//   attendseg_kernel_bench winograd4 <h> <w> <in_c> [out_c]
//                                                           3x3 same-size conv by F(4x4, 3x3), in
//                                                           the engine's blocks of up to 16 tiles
//   attendseg_kernel_bench resize_argmax <in_h> <in_w> <c> [real|sparse|one|random]
//                                                           2x upscale of a class map with the
//                                                           fused argmax, in the engine's blocks
//                                                           (sparse: about as many pixels without
//                                                           a certain label as the bench frame's)
//   attendseg_kernel_bench maxpool <h> <w> <c> [k]          k x k max pool (default 5, as the
//                                                           refinement blocks'), stride 1, "same"
// Options after the arguments: --rounds R (default 5), --runs N (per round, default 40),
// --with-scalar (time the reference too; it always runs once, as the outputs' reference).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "kernels/kernels.h"

using namespace attendseg::kernels;

namespace {

uint32_t next(uint32_t* s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

struct Case {
  std::string name;
  // Runs the kernel of table t once; the bytes to compare are in `out` afterwards.
  std::function<void(const KernelTable& t)> run;
  std::vector<uint8_t>* out;
};

int bench(const Case& c, int rounds, int runs, bool with_scalar) {
  std::vector<const KernelTable*> tables;
  for (const auto& e : all_kernel_tables())
    if (e.usable && (with_scalar || e.table != &scalar_table())) tables.push_back(e.table);
  c.run(scalar_table());
  const std::vector<uint8_t> want = *c.out;
  std::vector<double> best(tables.size(), 1e30);
  for (int r = 0; r < rounds; ++r)
    for (size_t i = 0; i < tables.size(); ++i)
      for (int k = 0; k < runs; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        c.run(*tables[i]);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        best[i] = std::min(best[i], ms);
      }
  int status = 0;
  std::printf("%s, minimum of %d rounds x %d runs\n", c.name.c_str(), rounds, runs);
  for (size_t i = 0; i < tables.size(); ++i) {
    c.run(*tables[i]);
    const bool same = *c.out == want;
    status |= !same;
    std::printf("  %-12s %9.3f ms%s\n", tables[i]->name, best[i], same ? "" : "  OUTPUT DIFFERS FROM SCALAR");
  }
  return status;
}

int usage(const char* argv0) {
  std::fprintf(stderr,
               "usage: %s add <h> <w> <c> [float|integer] | preprocess <h> <w> [imagenet|random] [<src_h> <src_w>] | resize <in_h> <in_w> <c> | "
               "resize_argmax <in_h> <in_w> <c> [real|sparse|one|random] | maxpool <h> <w> <c> [k] | dw <h> <w> <c> [1|2] | im2col <h> <w> <c> [1|2] | small <h> <w> <in_c> [out_c] | winograd4 <h> <w> <in_c> [out_c] | gemm <M> <K> <N> [w64|full|trained]  [--rounds R] [--runs N] "
               "[--with-scalar]\n",
               argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  int rounds = 5, runs = 40;
  bool with_scalar = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--with-scalar")
      with_scalar = true;
    else if ((a == "--rounds" || a == "--runs") && i + 1 < argc)
      (a == "--rounds" ? rounds : runs) = std::max(1, std::atoi(argv[++i]));
    else
      args.push_back(a);
  }
  if (args.size() < (!args.empty() && args[0] == "preprocess" ? 3 : 4)) return usage(argv[0]);
  const std::string op = args[0];
  const int h = std::atoi(args[1].c_str()), w = std::atoi(args[2].c_str());
  const int C = args.size() > 3 && op != "preprocess" ? std::atoi(args[3].c_str()) : 3;  // preprocess: its table
  const std::string variant = args.size() > 4 ? args[4] : "";
  uint32_t seed = 7;

  if (op == "gemm") {
    const int M = h, K = w, N = C;  // <M> <K> <N>
    if (M <= 0 || K <= 0 || N <= 0 || M > (1 << 20) || K > 4096 || N > 1024) return usage(argv[0]);
    const int wmax = variant == "full" ? 127 : 64;
    const bool trained = variant == "trained";
    std::vector<uint8_t> A(static_cast<size_t>(M) * K), out(static_cast<size_t>(M) * N);
    std::vector<int8_t> wts(static_cast<size_t>(N) * K);
    std::vector<int32_t> bias(N);
    std::vector<float> scale(N);
    for (auto& a : A) a = static_cast<uint8_t>(next(&seed));
    for (auto& x : wts) x = static_cast<int8_t>(static_cast<int>(next(&seed) % (2 * wmax + 1)) - wmax);
    // A trained layer's weights: magnitudes about exponential with mean 16, clipped to 64 (as the
    // shipped model's 1x1 and 3x3 convs: mean |w| 13 to 25, 7 to 30% at 32 or more).
    if (trained)
      for (auto& x : wts) {
        const double u = (next(&seed) + 0.5) / 16777216.0;
        const int m = std::min(64, static_cast<int>(-std::log(u) * 16.0));
        x = static_cast<int8_t>(next(&seed) % 2 ? m : -m);
      }
    // Output scales that spread the sums over the byte range, as a trained layer's do.
    for (int n = 0; n < N; ++n) {
      bias[n] = -128 * 64 * K / 8 + static_cast<int32_t>(next(&seed) % 4096);
      scale[n] = 128.0f / (64.0f * 128.0f * std::sqrt(static_cast<float>(K)));
    }
    Requant rq{bias.data(), scale.data(), 128, 0, 255};
    rq.bounded = requant_bounded(wts.data(), K, N, rq);  // as the engine finds it
    struct Packed {
      const KernelTable* table;
      std::vector<uint8_t> bytes;
    };
    std::vector<Packed> packed;
    auto packed_for = [&](const KernelTable& t) -> const uint8_t* {
      for (const auto& p : packed)
        if (p.table == &t) return p.bytes.data();
      packed.push_back({&t, std::vector<uint8_t>(t.gemm.packed_bytes(K, N) + 64)});
      t.gemm.pack(wts.data(), K, N, packed.back().bytes.data());
      return packed.back().bytes.data();
    };
    for (const auto& e : all_kernel_tables())
      if (e.usable) packed_for(*e.table);  // packed before timing
    return bench({"gemm M " + std::to_string(M) + " K " + std::to_string(K) + " N " + std::to_string(N) +
                      (trained ? ", trained-like weights" : wmax == 64 ? ", weights in [-64, 64]" : ", weights in [-127, 127]"),
                  [&](const KernelTable& t) { t.gemm.run(A.data(), K, M, K, packed_for(t), N, rq, out.data(), N); },
                  &out},
                 rounds, runs, with_scalar);
  }

  if (h <= 0 || w <= 0 || C <= 0 || h > 4096 || w > 4096 || C > 1024) return usage(argv[0]);

  if (op == "winograd4") {
    const int in_c = C, out_c = variant.empty() ? C : std::atoi(variant.c_str());
    if (out_c <= 0 || out_c > 1024) return usage(argv[0]);
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * in_c), out(static_cast<size_t>(h) * w * out_c);
    for (auto& x : in) x = static_cast<uint8_t>(next(&seed));
    // Weights of a trained layer's size (sum |w| small enough for F(4x4)'s exactness).
    std::vector<int8_t> wts(static_cast<size_t>(out_c) * 9 * in_c);
    for (auto& x : wts) x = static_cast<int8_t>(static_cast<int>(next(&seed) % 81) - 40);
    if (!winograd4_fits(wts.data(), in_c, out_c)) {
      std::fprintf(stderr, "weights too large for F(4x4, 3x3)\n");
      return 1;
    }
    std::vector<int32_t> bias(out_c);
    std::vector<float> scale(out_c, 1.0f / (40.0f * 9.0f * std::sqrt(static_cast<float>(in_c))));
    for (auto& b : bias) b = static_cast<int32_t>(next(&seed) % 4096) - 2048;
    Requant rq{bias.data(), scale.data(), 128, 0, 255};
    rq.bounded = requant_bounded(wts.data(), 9 * in_c, out_c, rq);  // as the engine finds it
    // The engine's blocks (plan.cpp winograd_blocks): at most 16 tiles of a tile row per call.
    const int tiles_h = (h + 3) / 4, tiles_w = (w + 3) / 4, per_row = (tiles_w + 15) / 16;
    const int width = (tiles_w + per_row - 1) / per_row;
    struct Prepared {
      const KernelTable* table;
      std::vector<uint8_t> packed, scratch;
    };
    std::vector<Prepared> prepared;
    for (const auto& e : all_kernel_tables()) {
      if (!e.usable || !e.table->winograd4x4.run) continue;
      const WinogradKernel& k = e.table->winograd4x4;
      prepared.push_back({e.table, std::vector<uint8_t>(k.packed_bytes(in_c, out_c)),
                          std::vector<uint8_t>(k.scratch_bytes(in_c, width) + 64)});
      k.pack(wts.data(), in_c, out_c, prepared.back().packed.data());
    }
    return bench({"winograd4x4 " + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(in_c) + " to " +
                      std::to_string(out_c),
                  [&](const KernelTable& t) {
                    const Prepared* p = nullptr;
                    for (const auto& q : prepared)
                      if (q.table == &t) p = &q;
                    if (!p) {  // a table without F(4x4) (the reference always has one)
                      std::fill(out.begin(), out.end(), 0);
                      return;
                    }
                    const WinogradArgs a{in.data(), h, w, in_c, h, w, out_c, 1, 1, 128, p->packed.data(), rq, out.data()};
                    void* scratch = reinterpret_cast<void*>(
                        (reinterpret_cast<uintptr_t>(p->scratch.data()) + 63) & ~static_cast<uintptr_t>(63));
                    for (int ty = 0; ty < tiles_h; ++ty)
                      for (int tx = 0; tx < tiles_w; tx += width) t.winograd4x4.run(a, ty, tx, std::min(tiles_w, tx + width), scratch);
                  },
                  &out},
                 rounds, runs, with_scalar);
  }

  if (op == "small") {
    const int in_c = C, out_c = variant.empty() ? 24 : std::atoi(variant.c_str());
    const int K = 9 * in_c;
    if (out_c <= 0 || out_c > 1024 || K > kSmallConvMaxK) return usage(argv[0]);
    const int oh = (h - 1) / 2 + 1, ow = (w - 1) / 2 + 1, pixels = oh * ow;
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * in_c), out(static_cast<size_t>(pixels) * out_c);
    for (auto& x : in) x = static_cast<uint8_t>(next(&seed));
    // A first layer's weights: the whole int8 range.
    std::vector<int8_t> wts(static_cast<size_t>(out_c) * K);
    for (auto& x : wts) x = static_cast<int8_t>(static_cast<int>(next(&seed) % 256) - 128);
    std::vector<int32_t> bias(out_c);
    std::vector<float> scale(out_c, 1.0f / (64.0f * 255.0f));
    for (auto& b : bias) b = static_cast<int32_t>(next(&seed) % 4096) - 2048;
    Requant rq{bias.data(), scale.data(), 128, 0, 255};
    rq.bounded = requant_bounded(wts.data(), K, out_c, rq);  // as the engine finds it
    const Im2colArgs ia{in.data(), h, w, in_c, 0, in_c, ow, 3, 3, 2, 2, 1, 1, 1, 1, 128};
    std::vector<uint8_t> rows(static_cast<size_t>(pixels) * K), gemm_packed;
    std::vector<std::pair<const KernelTable*, std::vector<uint8_t>>> packed;
    for (const auto& e : all_kernel_tables()) {
      if (!e.usable || !e.table->small_conv.run) continue;
      packed.emplace_back(e.table, std::vector<uint8_t>(e.table->small_conv.packed_bytes(K, out_c)));
      e.table->small_conv.pack(wts.data(), K, out_c, packed.back().second.data());
    }
    return bench({"small conv 3x3 stride 2 " + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(in_c) +
                      " to " + std::to_string(out_c),
                  [&](const KernelTable& t) {
                    const uint8_t* p = nullptr;
                    for (const auto& q : packed)
                      if (q.first == &t) p = q.second.data();
                    if (p) {
                      t.small_conv.run(ia, 0, pixels, p, K, out_c, rq, out.data(), out_c);
                      return;
                    }
                    // A table without one (the reference): im2col and its GEMM, as the engine.
                    if (gemm_packed.empty()) {
                      gemm_packed.resize(t.gemm.packed_bytes(K, out_c));
                      t.gemm.pack(wts.data(), K, out_c, gemm_packed.data());
                    }
                    t.im2col(ia, 0, pixels, rows.data(), static_cast<size_t>(K));
                    t.gemm.run(rows.data(), K, pixels, K, gemm_packed.data(), out_c, rq, out.data(), out_c);
                  },
                  &out},
                 rounds, runs, with_scalar);
  }

  if (op == "im2col") {
    const int stride = variant.empty() ? 2 : std::atoi(variant.c_str());
    if (stride < 1 || stride > 2) return usage(argv[0]);
    const int oh = (h - 1) / stride + 1, ow = (w - 1) / stride + 1, K = 9 * C, pixels = oh * ow;
    const size_t lda = (static_cast<size_t>(K) + 15) / 16 * 16;  // plan.cpp's tile_stride
    constexpr int kTile = 64;                                    // plan.cpp's tile_pixels
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * C), out(static_cast<size_t>(pixels) * lda);
    for (auto& x : in) x = static_cast<uint8_t>(next(&seed));
    const Im2colArgs ia{in.data(), h, w, C, 0, C, ow, 3, 3, stride, stride, 1, 1, 1, 1, 128};
    // Every tile into its own rows of `out`, so the whole result can be compared; the engine
    // reuses one tile of scratch.
    return bench({"im2col 3x3 " + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(C) + " stride " +
                      std::to_string(stride),
                  [&](const KernelTable& t) {
                    for (int p0 = 0; p0 < pixels; p0 += kTile)
                      t.im2col(ia, p0, std::min(pixels, p0 + kTile), out.data() + static_cast<size_t>(p0) * lda, lda);
                  },
                  &out},
                 rounds, runs, with_scalar);
  }

  if (op == "dw") {
    // A 3x3 depthwise conv with "same" padding at stride 1 or 2, trained-like weights.
    const int stride = variant.empty() ? 1 : std::atoi(variant.c_str());
    if (stride < 1 || stride > 2) return usage(argv[0]);
    const int oh = (h - 1) / stride + 1, ow = (w - 1) / stride + 1;
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * C), out(static_cast<size_t>(oh) * ow * C);
    for (auto& x : in) x = static_cast<uint8_t>(next(&seed));
    std::vector<int8_t> wts(static_cast<size_t>(C) * 9);
    for (auto& x : wts) x = static_cast<int8_t>(static_cast<int>(next(&seed) % 161) - 80);
    std::vector<int32_t> bias(C);
    std::vector<float> scale(C, 1.0f / (40.0f * 9.0f));
    for (auto& b : bias) b = static_cast<int32_t>(next(&seed) % 4096) - 2048;
    Requant rq{bias.data(), scale.data(), 128, 0, 255};
    rq.bounded = requant_bounded(wts.data(), 9, C, rq);  // as the engine finds it
    std::vector<std::pair<const KernelTable*, std::vector<uint8_t>>> packed;
    for (const auto& e : all_kernel_tables()) {
      if (!e.usable) continue;
      packed.emplace_back(e.table, std::vector<uint8_t>(e.table->dwconv.packed_bytes(3, 3, C)));
      e.table->dwconv.pack(wts.data(), 3, 3, C, packed.back().second.data());
    }
    return bench({"depthwise 3x3 " + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(C) + " stride " +
                      std::to_string(stride),
                  [&](const KernelTable& t) {
                    const uint8_t* p = nullptr;
                    for (const auto& q : packed)
                      if (q.first == &t) p = q.second.data();
                    const DwConvArgs a{in.data(), h, w, C, oh, ow, 3, 3, stride, stride, 1, 1, 1, 1, 128, p, rq, out.data()};
                    t.dwconv.run(a, 0, oh);
                  },
                  &out},
                 rounds, runs, with_scalar);
  }

  if (op == "maxpool") {  // <h> <w> <c> [k]: a k x k max pool (default 5), stride 1, "same" padding
    const int k = variant.empty() ? 5 : std::atoi(variant.c_str());
    if (k < 1 || k > 15 || k % 2 == 0) return usage(argv[0]);
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * C), out(in.size());
    for (auto& x : in) x = static_cast<uint8_t>(next(&seed));
    PoolArgs a{};
    a.in = in.data();
    a.in_h = a.out_h = h;
    a.in_w = a.out_w = w;
    a.channels = C;
    a.kernel_h = a.kernel_w = k;
    a.stride_h = a.stride_w = 1;
    a.pad_top = a.pad_left = a.pad_bottom = a.pad_right = k / 2;
    a.out = out.data();
    return bench({"max pool " + std::to_string(k) + "x" + std::to_string(k) + " " + std::to_string(h) + "x" +
                      std::to_string(w) + "x" + std::to_string(C),
                  [&](const KernelTable& t) { t.maxpool(a, 0, h); }, &out},
                 rounds, runs, with_scalar);
  }

  if (op == "preprocess") {  // <h> <w> [imagenet|random] [<src_h> <src_w>]: an rgb8 image to the network size
    if (h <= 0 || w <= 0 || h > 8192 || w > 8192) return usage(argv[0]);
    const std::string table = args.size() > 3 ? args[3] : "imagenet";
    if (table != "imagenet" && table != "random") return usage(argv[0]);
    const int sh = args.size() > 5 ? std::atoi(args[4].c_str()) : h, sw = args.size() > 5 ? std::atoi(args[5].c_str()) : w;
    if (sh <= 0 || sw <= 0 || sh > 8192 || sw > 8192) return usage(argv[0]);
    std::vector<uint8_t> image(static_cast<size_t>(sh) * sw * 3), lut(768), out(static_cast<size_t>(h) * w * 3);
    for (auto& x : image) x = static_cast<uint8_t>(next(&seed));
    InputAffine affine;
    if (table == "imagenet") {  // the shipped model's normalisation over an input range of [-2.12, 2.64]
      const float mean[3] = {0.485f, 0.456f, 0.406f}, std_dev[3] = {0.229f, 0.224f, 0.225f};
      build_input_lut(mean, std_dev, 4.76f / 255.0f, 114, lut.data());
      find_input_affine(lut.data(), &affine);
    } else {
      for (auto& x : lut) x = static_cast<uint8_t>(next(&seed));
    }
    ResizeAxis ys, xs;
    build_image_axis(sh, h, &ys);
    build_image_axis(sw, w, &xs);
    const PreprocessArgs args{attendseg::ImageView{attendseg::Encoding::RGB8, sw, sh, static_cast<size_t>(sw) * 3, image.data(), image.size()},
                              w, h, &ys, &xs, lut.data(), out.data(), affine};
    return bench({"rgb8 preprocess " + std::to_string(sh) + "x" + std::to_string(sw) + " to " + std::to_string(h) + "x" +
                      std::to_string(w) + ", " + table + " table" + (affine.on ? " (in integers)" : ""),
                  [&](const KernelTable& t) { t.preprocess(args, 0, h); }, &out},
                 rounds, runs, with_scalar);
  }

  if (op == "add") {
    const size_t n = static_cast<size_t>(h) * w * C;
    std::vector<uint8_t> a(n), b(n), out(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = static_cast<uint8_t>(next(&seed));
      b[i] = static_cast<uint8_t>(next(&seed));
    }
    // Scales of a trained network's Add (unrelated, output scale above both).
    BinaryArgs args_add{a.data(), b.data(), out.data(), C, Broadcast::Full, 128, 120, 3, 0.05f, 0.04f, 0.07f, 0, 255};
    if (binary_quotient_exact(args_add, false, Quotient::Reciprocal)) args_add.quotient = Quotient::Reciprocal;
    if (variant == "integer" && !find_integer_add(args_add, &args_add.integer)) {
      std::fprintf(stderr, "no integer form for these scales\n");
      return 1;
    }
    const size_t pixels = static_cast<size_t>(h) * w;
    return bench({"add " + std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(C) +
                      (args_add.integer.on ? " in integers" : " in floats"),
                  [&](const KernelTable& t) { t.add(args_add, 0, pixels); }, &out},
                 rounds, runs, with_scalar);
  }

  if (op == "resize" || op == "resize_argmax") {
    const int scale = 2;  // the network's upsamplings, its final one (with argmax) included
    const int oh = h * scale, ow = w * scale;
    std::vector<uint8_t> in(static_cast<size_t>(h) * w * C), out(static_cast<size_t>(oh) * ow * C),
        labels(static_cast<size_t>(oh) * ow);
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        uint8_t* px = in.data() + (static_cast<size_t>(y) * w + x) * C;
        if (op == "resize") {
          for (int c = 0; c < C; ++c) px[c] = static_cast<uint8_t>(next(&seed));
          continue;
        }
        // Class scores: one winner per pixel over others in 40..99; "real" is a field of regions
        // with 10% stray pixels, "one" a single class, "random" a class per pixel. A quarter of
        // the winners lead by under 8, as near region borders.
        const bool sparse = variant == "sparse";
        // sparse: diagonal region borders, so that no output row is mostly unsure, as the network's
        int label = (sparse ? (x + y) / 23 + (x - y + 4096) / 31 : x / 23 + y / 17 + ((x * y) >> 9)) % std::min(C, 7);
        if (variant == "one") label = 0;
        if (variant == "random" || (variant != "one" && next(&seed) % (sparse ? 64 : 10) == 0))
          label = static_cast<int>(next(&seed) % C);
        for (int c = 0; c < C; ++c) px[c] = static_cast<uint8_t>(40 + next(&seed) % 60);
        px[label] = static_cast<uint8_t>(100 + next(&seed) % (next(&seed) % (sparse ? 16 : 4) == 0 ? 8 : 120));
      }
    ResizeAxis ys, xs;
    build_resize_axis(h, oh, 0.0f, 0, 0, true, &ys);
    build_resize_axis(w, ow, 0.0f, 0, 0, true, &xs);
    const ResizeArgs ra{in.data(), h, w, C, oh, ow, &ys, &xs, 0.1f, 128, 0.1f, 128, nullptr, out.data()};
    const std::string shape = std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(C);
    if (op == "resize")
      return bench({"bilinear resize " + shape + " 2x", [&](const KernelTable& t) { t.resize_linear(ra, 0, oh); }, &out},
                   rounds, runs, with_scalar);
    // The engine's blocks of about 128 KiB of output (executor.cpp run_resize).
    const int block = std::max(1, (128 << 10) / (ow * C));
    const ResizeArgmaxArgs rl{ra, labels.data()};
    return bench({"bilinear resize with argmax " + shape + " 2x, " + (variant.empty() ? "real" : variant) + " labels",
                  [&](const KernelTable& t) {
                    for (int r = 0; r < oh; r += block) t.resize_linear_argmax(rl, r, std::min(oh, r + block));
                  },
                  &labels},
                 rounds, runs, with_scalar);
  }
  return usage(argv[0]);
}
