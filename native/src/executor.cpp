// Runs a plan: each op splits its output rows (or pixels) over the thread pool.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "env_settings.h"
#include "network.h"

namespace attendseg {

namespace {

using namespace kernels;

Requant requant_of(const PreparedConv& pc, const ModelSpec& spec, const OpSpec& op, int group) {
  Requant rq;
  rq.bias = pc.bias.data() + group * pc.out_c_group;
  rq.scale = pc.scale.data() + group * pc.out_c_group;
  rq.out_zp = spec.tensors[op.output].q.zero_point;
  rq.qmin = op.act_min;
  rq.qmax = op.act_max;
  rq.bounded = pc.requant_bounded;
  return rq;
}

void run_conv(const PreparedModel& m, size_t index, Plan& plan, ThreadPool& pool) {
  const PreparedOp& p = m.ops[index];
  const OpSpec& op = *p.spec;
  const ConvSpec& c = op.conv;
  const PreparedConv& pc = p.conv;
  const ConvCandidate& cc = pc.paths[plan.conv_path[index]];
  const KernelTable& k = *m.k;
  const Shape in = plan.shapes[op.inputs[0]];
  const Shape out = plan.shapes[op.output];
  const uint8_t* x = plan.tensor(op.inputs[0]);
  uint8_t* y = plan.tensor(op.output);
  const uint8_t in_zp = static_cast<uint8_t>(m.spec.tensors[op.inputs[0]].q.zero_point);

  if (cc.path == ConvPath::Depthwise) {
    DwConvArgs a{x, in.h, in.w, in.c, out.h, out.w, c.kernel_h, c.kernel_w, c.stride_h, c.stride_w,
                 c.pad_top, c.pad_left, c.dilation_h, c.dilation_w, in_zp, cc.packed[0].data(),
                 requant_of(pc, m.spec, op, 0), y};
    pool.parallel_for(out.h, 1, [&](int64_t b, int64_t e, int) { k.dwconv.run(a, int(b), int(e)); });
    return;
  }
  if (const int tile = winograd_tile_of(cc.path)) {
    const WinogradArgs a{x, in.h, in.w, in.c, out.h, out.w, out.c, c.pad_top, c.pad_left, in_zp, cc.packed[0].data(),
                         requant_of(pc, m.spec, op, 0), y};
    const WinogradBlocks wb = winograd_blocks(out.h, out.w, tile);
    const kernels::WinogradKernel& wk = kernels::winograd_kernel(k, tile);
    pool.parallel_for(wb.count(), 1, [&](int64_t b, int64_t e, int thread) {
      uint8_t* scratch = plan.scratch.data() + size_t(thread) * plan.scratch_per_thread;
      for (int64_t i = b; i < e; ++i) {
        const int ty = int(i / wb.per_row), tx = int(i % wb.per_row) * wb.width;
        wk.run(a, ty, tx, std::min(wb.tiles_w, tx + wb.width), scratch);
      }
    });
    return;
  }
  const int pixels = out.h * out.w;
  if (cc.path == ConvPath::Direct) {
    const Requant rq = requant_of(pc, m.spec, op, 0);
    pool.parallel_for(pixels, 16, [&](int64_t b, int64_t e, int) {
      k.gemm.run(x + size_t(b) * in.c, in.c, int(e - b), pc.K, cc.packed[0].data(), pc.out_c, rq, y + size_t(b) * out.c,
                 out.c);
    });
    return;
  }
  if (cc.path == ConvPath::Small) {
    const Im2colArgs ia{x, in.h, in.w, in.c, 0, in.c, out.w, c.kernel_h, c.kernel_w,
                        c.stride_h, c.stride_w, c.pad_top, c.pad_left, c.dilation_h, c.dilation_w, in_zp};
    const Requant rq = requant_of(pc, m.spec, op, 0);
    pool.parallel_for(pixels, 64, [&](int64_t b, int64_t e, int) {
      k.small_conv.run(ia, int(b), int(e), cc.packed[0].data(), pc.K, pc.out_c, rq, y + size_t(b) * out.c, out.c);
    });
    return;
  }
  // im2col a tile of output pixels into this thread's scratch, then GEMM it, group by group.
  const int tile = plan.tile_pixels;
  const int tiles = (pixels + tile - 1) / tile;
  pool.parallel_for(tiles, 1, [&](int64_t tb, int64_t te, int thread) {
    uint8_t* A = plan.scratch.data() + size_t(thread) * plan.scratch_per_thread;
    for (int64_t t = tb; t < te; ++t) {
      const int p0 = int(t) * tile;
      const int p1 = std::min(pixels, p0 + tile);
      for (int g = 0; g < pc.groups; ++g) {
        Im2colArgs ia{x, in.h, in.w, in.c, g * pc.in_c_group, pc.in_c_group, out.w, c.kernel_h, c.kernel_w,
                      c.stride_h, c.stride_w, c.pad_top, c.pad_left, c.dilation_h, c.dilation_w, in_zp};
        k.im2col(ia, p0, p1, A, plan.tile_stride);
        const Requant rq = requant_of(pc, m.spec, op, g);
        k.gemm.run(A, plan.tile_stride, p1 - p0, pc.K, cc.packed[g].data(), pc.out_c_group, rq,
                   y + size_t(p0) * out.c + g * pc.out_c_group, out.c);
      }
    }
  });
}

void run_pool(const PreparedModel& m, const PreparedOp& p, Plan& plan, ThreadPool& pool) {
  const OpSpec& op = *p.spec;
  const Shape in = plan.shapes[op.inputs[0]];
  const Shape out = plan.shapes[op.output];
  PoolArgs a{};
  a.in = plan.tensor(op.inputs[0]);
  a.in_h = in.h;
  a.in_w = in.w;
  a.channels = in.c;
  a.out_h = out.h;
  a.out_w = out.w;
  if (op.kind == OpKind::GlobalAveragePool) {
    a.kernel_h = in.h;
    a.kernel_w = in.w;
    a.stride_h = a.stride_w = 1;
  } else {
    const PoolSpec& ps = op.pool;
    a.kernel_h = ps.kernel_h;
    a.kernel_w = ps.kernel_w;
    a.stride_h = ps.stride_h;
    a.stride_w = ps.stride_w;
    a.pad_top = ps.pad_top;
    a.pad_left = ps.pad_left;
    a.pad_bottom = ps.pad_bottom;
    a.pad_right = ps.pad_right;
    a.count_include_pad = ps.count_include_pad;
  }
  a.in_zp = m.spec.tensors[op.inputs[0]].q.zero_point;
  a.out_zp = m.spec.tensors[op.output].q.zero_point;
  a.ratio = p.ratio;
  a.lut = p.luts.empty() ? nullptr : p.luts[0].data();
  a.out = plan.tensor(op.output);
  auto fn = op.kind == OpKind::MaxPool ? m.k->maxpool : m.k->avgpool;
  pool.parallel_for(out.h, 1, [&](int64_t b, int64_t e, int) { fn(a, int(b), int(e)); });
}

// labels: the argmax of the output rows, fused (execute's `labels`), or nullptr; confidence: theirs.
void run_resize(const PreparedModel& m, const PreparedOp& p, Plan& plan, size_t index, ThreadPool& pool,
                uint8_t* labels, uint8_t* confidence) {
  const OpSpec& op = *p.spec;
  const Shape in = plan.shapes[op.inputs[0]];
  const Shape out = plan.shapes[op.output];
  const QuantParams& qi = m.spec.tensors[op.inputs[0]].q;
  const QuantParams& qo = m.spec.tensors[op.output].q;
  ResizeArgs a{plan.tensor(op.inputs[0]), in.h, in.w, in.c, out.h, out.w, &plan.ops[index].ys, &plan.ops[index].xs,
               qi.scale, qi.zero_point, qo.scale, qo.zero_point, p.luts.empty() ? nullptr : p.luts[0].data(),
               plan.tensor(op.output), p.quotient};
  auto fn = op.resize.mode == ResizeMode::Linear ? m.k->resize_linear : m.k->resize_nearest;
  if (!labels) {
    pool.parallel_for(out.h, 1, [&](int64_t b, int64_t e, int) { fn(a, int(b), int(e)); });
    return;
  }
  // Blocks of about 128 KiB of output, each reduced right after it is written; a linear Resize
  // computes only what the labels need (kernels.h ResizeArgmaxArgs).
  const size_t row_bytes = size_t(out.w) * out.c;
  const int block = int(std::max<size_t>(1, (size_t(128) << 10) / std::max<size_t>(1, row_bytes)));
  const ResizeArgmaxArgs ra{a, labels, confidence, confidence ? m.softmax : nullptr};
  pool.parallel_for(out.h, 1, [&](int64_t b, int64_t e, int) {
    for (int r = int(b); r < int(e); r += block) {
      const int r1 = std::min(int(e), r + block);
      if (op.resize.mode == ResizeMode::Linear) {
        m.k->resize_linear_argmax(ra, r, r1);
        continue;
      }
      fn(a, r, r1);
      const ArgmaxArgs aa{a.out + size_t(r) * row_bytes, out.c, labels + size_t(r) * out.w,
                          confidence ? confidence + size_t(r) * out.w : nullptr, m.softmax};
      m.k->argmax(aa, 0, size_t(r1 - r) * out.w);
    }
  });
}

void run_binary(const PreparedModel& m, const PreparedOp& p, Plan& plan, ThreadPool& pool) {
  const OpSpec& op = *p.spec;
  int ia = op.inputs[0], ib = op.inputs[1];
  const Shape out = plan.shapes[op.output];
  // Read the full operand first (both ops are commutative).
  const Shape sa = plan.shapes[ia];
  const bool swapped = sa.h != out.h || sa.w != out.w || sa.c != out.c;
  if (swapped) std::swap(ia, ib);
  const Shape sb = plan.shapes[ib];
  BinaryArgs a = binary_quantization(m.spec, op, ia, ib);
  a.a = plan.tensor(ia);
  a.b = plan.tensor(ib);
  a.out = plan.tensor(op.output);
  a.channels = out.c;
  a.broadcast = (sb.h == out.h && sb.w == out.w) ? (sb.c == out.c ? Broadcast::Full : Broadcast::Pixel) : Broadcast::Channel;
  a.quotient = p.quotient;
  a.integer = p.integer;
  if (swapped) std::swap(a.integer.ma, a.integer.mb);
  auto fn = op.kind == OpKind::Add ? m.k->add : m.k->mul;
  const int64_t pixels = int64_t(out.h) * out.w;
  pool.parallel_for(pixels, std::max<int64_t>(16, 4096 / out.c), [&](int64_t b, int64_t e, int) { fn(a, size_t(b), size_t(e)); });
}

void run_concat(const PreparedModel& m, const PreparedOp& p, Plan& plan, ThreadPool& pool) {
  const OpSpec& op = *p.spec;
  const Shape out = plan.shapes[op.output];
  const int64_t pixels = int64_t(out.h) * out.w;
  pool.parallel_for(pixels, std::max<int64_t>(16, 4096 / out.c), [&](int64_t b, int64_t e, int) {
    int offset = 0;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      const int ch = plan.shapes[op.inputs[i]].c;
      CopyChannelsArgs a{plan.tensor(op.inputs[i]), ch, plan.tensor(op.output), out.c, offset,
                         p.luts[i].empty() ? nullptr : p.luts[i].data()};
      m.k->copy_channels(a, size_t(b), size_t(e));
      offset += ch;
    }
  });
}

void run_lut(const PreparedModel& m, const PreparedOp& p, Plan& plan, ThreadPool& pool) {
  const OpSpec& op = *p.spec;
  const Shape out = plan.shapes[op.output];
  LutArgs a{plan.tensor(op.inputs[0]), plan.tensor(op.output), out.c, op.lut.table.data(), op.lut.table.size() > 256};
  const int64_t pixels = int64_t(out.h) * out.w;
  pool.parallel_for(pixels, std::max<int64_t>(16, 4096 / out.c), [&](int64_t b, int64_t e, int) { m.k->lut(a, size_t(b), size_t(e)); });
}


}  // namespace

// ATTENDSEG_PROFILE=1 prints each op's share of the network time when the process exits.
struct OpProfile {
  std::vector<double> ms;
  std::vector<std::string> names;
  int frames = 0;
  ~OpProfile() {
    if (ms.empty()) return;
    double total = 0;
    for (double v : ms) total += v;
    std::fprintf(stderr, "attendseg profile: %d frames, %.3f ms/frame\n", frames, total / frames);
    for (size_t i = 0; i < ms.size(); ++i)
      std::fprintf(stderr, "  %7.3f ms %5.1f%%  %s\n", ms[i] / frames, 100.0 * ms[i] / total, names[i].c_str());
  }
};

void execute(const PreparedModel& m, Plan& plan, ThreadPool& pool, uint8_t* labels, uint8_t* confidence) {
  if (!labels) confidence = nullptr;
  const bool profiling = env_settings().profile;
  static OpProfile profile;
  if (profiling && profile.ms.size() != m.ops.size()) {
    profile.ms.assign(m.ops.size(), 0.0);
    profile.names.clear();
    for (const PreparedOp& p : m.ops) {
      const Shape o = plan.shapes[p.spec->output];
      profile.names.push_back(p.spec->name + " " + std::to_string(o.h) + "x" + std::to_string(o.w) + "x" +
                              std::to_string(o.c) + (p.spec->kind == OpKind::Conv ? std::string(" ") + conv_path_name(p.conv.paths[plan.conv_path[&p - m.ops.data()]].path) : ""));
    }
  }
  if (profiling) profile.frames++;
  const bool fuse_argmax = labels && !m.ops.empty() && m.ops.back().spec->kind == OpKind::Resize &&
                           m.ops.back().spec->output == m.spec.output;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const PreparedOp& p = m.ops[i];
    const auto t0 = profiling ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    switch (p.spec->kind) {
      case OpKind::Conv: run_conv(m, i, plan, pool); break;
      case OpKind::MaxPool:
      case OpKind::AveragePool:
      case OpKind::GlobalAveragePool: run_pool(m, p, plan, pool); break;
      case OpKind::Resize: {
        const bool last = fuse_argmax && i + 1 == m.ops.size();
        run_resize(m, p, plan, i, pool, last ? labels : nullptr, last ? confidence : nullptr);
        break;
      }
      case OpKind::Add:
      case OpKind::Mul: run_binary(m, p, plan, pool); break;
      case OpKind::Concat: run_concat(m, p, plan, pool); break;
      case OpKind::Lut: run_lut(m, p, plan, pool); break;
    }
    if (profiling) profile.ms[i] += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  if (labels && !fuse_argmax) {
    const Shape os = plan.shapes[m.spec.output];
    const ArgmaxArgs aa{plan.tensor(m.spec.output), os.c, labels, confidence, m.softmax};
    pool.parallel_for(int64_t(os.h) * os.w, 256, [&](int64_t b, int64_t e, int) { m.k->argmax(aa, size_t(b), size_t(e)); });
  }
}

void choose_conv_paths(const PreparedModel& m, Plan& plan, ThreadPool& pool) {
  if (!env_settings().timed_conv_paths) return;
  // Best of kRuns after a warm-up run: the minimum is what a candidate costs when nothing else
  // interferes, which is what the choice should follow on a busy machine. The candidates take
  // turns run by run, so a burst of load elsewhere slows all of them rather than one.
  constexpr int kRuns = 5;
  for (size_t i = 0; i < m.ops.size(); ++i) {
    const size_t n = m.ops[i].conv.paths.size();
    if (m.ops[i].spec->kind != OpKind::Conv || n < 2) continue;
    std::vector<double> best_ms(n, 0);
    for (int r = -1; r < kRuns; ++r)
      for (size_t c = 0; c < n; ++c) {
        plan.conv_path[i] = static_cast<uint8_t>(c);
        const auto t0 = std::chrono::steady_clock::now();
        run_conv(m, i, plan, pool);
        const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (r == 0 || (r > 0 && t < best_ms[c])) best_ms[c] = t;  // r == -1: the warm-up run
      }
    uint8_t best = 0;
    for (size_t c = 1; c < n; ++c)
      if (best_ms[c] < best_ms[best]) best = static_cast<uint8_t>(c);
    plan.conv_path[i] = best;
  }
}

}  // namespace attendseg
