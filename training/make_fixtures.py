"""Generate random-weight AttendSeg-style QDQ models for the engine's tests and benchmark.

    cd training && python3 make_fixtures.py            # test/fixtures/*.onnx + bench model
    python3 make_fixtures.py --only ops_conv --no-bench

Random weights, but realistic quantization parameters: BatchNorm gammas/betas are randomized and
the running statistics are then measured on structured images (so every layer's activations are
varied, neither dead nor exploding), BatchNorm is folded, and the fake-quant observers are
calibrated on more images before the QDQ export. Everything is seeded: same torch version, same
files.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from attendseg.export import CAMVID_CLASSES, export_onnx, make_metadata  # noqa: E402
from attendseg.flops import count_macs  # noqa: E402
from attendseg.model import (  # noqa: E402
    Add, AttendSeg, AttendSegConfig, AttentionCondenser, AvgPool, ChannelAttention, Concat, config_for,
    InputQuant, MaxPool, Mul, ResizeScale, ResizeTo, Sigmoid, count_params)
from attendseg.quantize import ConvBNAct, QAct, calibrate, prepare_qat  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "test", "fixtures")
BENCH = os.path.join(ROOT, "bench", "models")


# --------------------------------------------------------------------------------------------
# Op-coverage networks (tiny widths)
# --------------------------------------------------------------------------------------------

class OpsConvNet(nn.Module):
    """Conv geometry coverage: kernels 1/3/5/7, strides 1/2/4/8, dense, grouped, depthwise,
    dilated, Relu / Relu6 (Clip) / no activation, multi-scale Concat with Resize-to-size."""

    def __init__(self, classes: int = 4):
        super().__init__()
        self.inq = InputQuant()
        self.stem = ConvBNAct(3, 8, 7, 2, act="relu6")                 # k7 s2, Clip(0,6)
        self.a = ConvBNAct(8, 16, 3, 2)                                 # k3 s2 dense     1/4
        self.b = ConvBNAct(8, 16, 5, 4, groups=2)                       # k5 s4 grouped   1/8
        self.c = ConvBNAct(8, 12, 7, 8)                                 # k7 s8 dense     1/16
        self.d = ConvBNAct(8, 8, 1, 2, act=None)                        # k1 s2, no act   1/4
        self.dw5 = ConvBNAct(16, 16, 5, 1, groups=16, act="relu6")      # depthwise k5
        self.dw7 = ConvBNAct(16, 16, 7, 2, groups=16)                   # depthwise k7 s2 1/8
        self.g4 = ConvBNAct(16, 16, 3, 1, groups=4)                     # grouped k3, g=4
        self.dil = ConvBNAct(16, 16, 3, 1, groups=16, dilation=2)       # dilated depthwise
        self.up_b = ResizeTo("nearest")
        self.up_c = ResizeTo("bilinear")
        self.up_dw7 = ResizeTo("bilinear")
        self.cat = Concat()
        self.fuse = ConvBNAct(16 + 16 + 12 + 8 + 16 + 16 + 16, 24, 1)
        self.head = ConvBNAct(24, classes, 1, act=None, bn=False)
        self.out = ResizeTo("bilinear")

    def forward(self, x):
        xin = x
        s = self.stem(self.inq(x))
        a, b, c, d = self.a(s), self.b(s), self.c(s), self.d(s)
        e = self.dw5(a)
        f = self.up_dw7(self.dw7(a), a)
        g = self.dil(self.g4(a))
        y = self.cat([a, self.up_b(b, a), self.up_c(c, a), d, e, f, g])
        return self.out(self.head(self.fuse(y)), xin)


class OpsPoolAttentionNet(nn.Module):
    """Pooling / attention coverage: MaxPool 2x2 s2, 3x3 s2 p1; AveragePool 2x2 s2,
    3x3 s1 p1 (count_include_pad 0 and 1); GlobalAveragePool channel attention (broadcast Mul
    [1,C,1,1]); spatial attention (broadcast Mul [1,1,H,W]); Resize by scale (nearest and
    bilinear) and to another tensor's size; Add followed by Relu; Sigmoid; Concat."""

    def __init__(self, classes: int = 3):
        super().__init__()
        c = 12
        self.inq = InputQuant()
        self.stem = ConvBNAct(3, c, 3, 2)                               # 1/2
        self.mp3 = MaxPool(3, 2, 1)                                     # ceil(h/2)
        self.ap2 = AvgPool(2, 2)                                        # floor(h/2)
        self.ap3 = AvgPool(3, 1, 1, count_include_pad=False)
        self.ap3i = AvgPool(3, 1, 1, count_include_pad=True)
        self.align = ResizeTo("nearest")                                # floor -> ceil size
        self.up_n = ResizeScale(2, "nearest")
        self.down_n = ConvBNAct(c, c, 3, 2)                             # back to the mp3 size
        self.up_b = ResizeScale(2, "bilinear")
        self.mp2 = MaxPool(2, 2)                                        # back to the mp3 size
        self.add1 = Add()
        self.add2 = Add()
        self.cat = Concat()
        self.fuse = ConvBNAct(4 * c, c, 1)
        self.up = ResizeTo("bilinear")
        self.ca = ChannelAttention(c, 4)
        self.sa_conv = ConvBNAct(c, 1, 3, act=None)
        self.sa_sig = Sigmoid()
        self.sa_mul = Mul()
        self.q_relu = QAct()
        self.ac = AttentionCondenser(c, 4, pool_k=3, up_mode="nearest")
        self.head = ConvBNAct(c, classes, 1, act=None, bn=False)
        self.out = ResizeTo("bilinear")

    def forward(self, x):
        xin = x
        s = self.stem(self.inq(x))
        p = self.mp3(s)
        q = self.align(self.ap2(s), p)
        u = self.add1(p, self.down_n(self.up_n(p)))
        v = self.add2(p, self.mp2(self.up_b(p)))
        y = self.fuse(self.cat([p, q, u, v]))
        y = self.up(y, s)
        ca = self.ca(self.ap3(y))
        sa = self.sa_mul(y, self.sa_sig(self.sa_conv(self.ap3i(s))))
        # Add then a standalone Relu before the quantize: DQ, DQ -> Add -> Relu -> Q.
        z = self.q_relu(torch.relu(ca + sa))
        z = self.ac(z)
        return self.out(self.head(z), xin)


# --------------------------------------------------------------------------------------------
# randomization and calibration
# --------------------------------------------------------------------------------------------

def structured_images(gen: torch.Generator, n: int, h: int, w: int) -> torch.Tensor:
    """Smooth colour fields + rectangles + noise, normalized with ImageNet mean/std."""
    imgs = []
    for _ in range(n):
        low = torch.rand(1, 3, max(2, h // 16), max(2, w // 16), generator=gen)
        img = torch.nn.functional.interpolate(low, size=(h, w), mode="bilinear",
                                              align_corners=False)
        for _ in range(int(torch.randint(2, 6, (1,), generator=gen))):
            y0 = int(torch.randint(0, h - 1, (1,), generator=gen))
            x0 = int(torch.randint(0, w - 1, (1,), generator=gen))
            y1 = y0 + 1 + int(torch.randint(0, h - y0, (1,), generator=gen))
            x1 = x0 + 1 + int(torch.randint(0, w - x0, (1,), generator=gen))
            img[:, :, y0:y1, x0:x1] = torch.rand(1, 3, 1, 1, generator=gen)
        img = (img + 0.04 * torch.randn(img.shape, generator=gen)).clamp(0, 1)
        imgs.append(img)
    x = torch.cat(imgs)
    mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
    std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
    return (x - mean) / std


def calibration_images(gen: torch.Generator, n: int, h: int, w: int) -> torch.Tensor:
    """Mostly structured images, some uniform pixel noise (what engine tests often feed)."""
    if float(torch.rand(1, generator=gen)) < 0.25:
        x = torch.rand(n, 3, h, w, generator=gen)
        mean = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
        std = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)
        return (x - mean) / std
    return structured_images(gen, n, h, w)


def _sizes(h: int, w: int) -> list:
    # Around the nominal size and up to 2x, so 1/32-scale layers see more than a 2x2 map.
    return [(h, w), (2 * h, 2 * w), (h + 13, w + 33), (2 * h - 5, 2 * w + 7), (h - 7, w - 5)]


@torch.no_grad()
def randomize(model: nn.Module, gen: torch.Generator, h: int, w: int, batches: int = 10) -> None:
    """Random conv weights (kaiming), random BN affine, BN statistics measured on images,
    random attention-condenser scalars."""
    bns = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1]
            m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
            if m.bias is not None:
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.copy_(0.5 + torch.rand(m.weight.shape, generator=gen))
            m.bias.copy_(0.1 + 0.4 * torch.randn(m.bias.shape, generator=gen))
            m.reset_running_stats()
            m.momentum = None  # cumulative average over the statistics batches
            bns.append(m)
        elif isinstance(m, AttentionCondenser):
            m.scale.fill_(float(0.3 + 1.2 * torch.rand(1, generator=gen)))
    model.train()
    sizes = _sizes(h, w)
    for i in range(batches):
        model(calibration_images(gen, 4, *sizes[i % len(sizes)]))
    model.eval()
    # Variance floor: near-dead channels would otherwise get huge gains after folding.
    for m in bns:
        floor = 0.2 * m.running_var.median()
        m.running_var.clamp_(min=float(floor) + 1e-3)


def build_qat(model: nn.Module, seed: int, h: int, w: int, calib: int = 10) -> nn.Module:
    gen = torch.Generator().manual_seed(seed)
    randomize(model, gen, h, w)
    prepare_qat(model)
    sizes = _sizes(h, w)
    calibrate(model, [calibration_images(gen, 2, *sizes[i % len(sizes)]) for i in range(calib)])
    return model


# --------------------------------------------------------------------------------------------
# fixture table
# --------------------------------------------------------------------------------------------

def _names(n):
    return CAMVID_CLASSES[:n] if n <= len(CAMVID_CLASSES) else [f"class{i}" for i in range(n)]


FIXTURE_SPECS = {
    "attendseg_tiny": dict(
        make=lambda: AttendSeg(AttendSegConfig(num_classes=5, width=0.25)),
        classes=5, seed=11,
        covers="full AttendSeg topology at width 0.25: attention condensers (MaxPool 2x2 s2 "
               "ceil_mode, "
               "depthwise+pointwise embedding, bilinear Resize to V's size, Sigmoid, Mul, "
               "constant-scalar Mul, Add), conv 3x3 s2, conv 5x5 s4, depthwise 3x3 s2, "
               "RefineNet decoder (bilinear Resize to skip size, RCU, CRP MaxPool 5x5 s1 p2), "
               "final bilinear Resize to the input size"),
    "attendseg_nearest": dict(
        make=lambda: AttendSeg(AttendSegConfig(num_classes=11, width=0.25, ac_up_mode="nearest",
                                               stage2_kernel=7, stage2_stride=4)),
        classes=11, seed=12,
        covers="AttendSeg topology at width 0.25 with nearest Resize in the attention "
               "condensers, aggressive conv 7x7 s4, MaxPool 2x2 s2 ceil_mode (1x1 inputs at 1/32), "
               "11 CamVid classes"),
    "attendseg_v2": dict(
        make=lambda: AttendSeg(config_for("v2", num_classes=11, width=0.25)),
        classes=11, seed=15,
        covers="the v2 topology at width 0.25: a 1/8 stage (conv 3x3 s2, attention condenser, "
               "residual depthwise-separable block) and its RefineNet level, depthwise 3x3 s2 into "
               "1/16, and the 1/2 detail level (1x1 adapters, bilinear Resize of the 1/4 decoder "
               "output to the stem's size, Add, residual unit) before the classifier"),
    "ops_conv": dict(
        make=lambda: OpsConvNet(4), classes=4, seed=13,
        covers="conv kernels 1/3/5/7, strides 1/2/4/8, dense, grouped (g=2, g=4), depthwise "
               "(k3 dilation 2, k5, k7 s2), Relu, Relu6 (Clip 0..6), no activation, "
               "nearest and bilinear Resize to another tensor's size, 7-input Concat"),
    "ops_pool_attention": dict(
        make=lambda: OpsPoolAttentionNet(3), classes=3, seed=14,
        covers="MaxPool 3x3 s2 p1 and 2x2 s2, AveragePool 2x2 s2 and 3x3 s1 p1 "
               "(count_include_pad 0 and 1), GlobalAveragePool channel attention with broadcast "
               "Mul [1,C,1,1], spatial attention with broadcast Mul [1,1,H,W], Resize by scale 2 "
               "(nearest and bilinear), nearest Resize to size (odd sizes), Add + standalone "
               "Relu, attention condenser with MaxPool 3x3 s2 p1 and nearest expansion, Concat"),
}


def make_fixture(name: str, out_dir: str = FIXTURES, h: int = 48, w: int = 64,
                 float_dir: str | None = None) -> dict:
    spec = FIXTURE_SPECS[name]
    torch.manual_seed(spec["seed"])
    model = spec["make"]()
    build_qat(model, spec["seed"], h, w)
    meta = make_metadata(_names(spec["classes"]), w, h)
    path = os.path.join(out_dir, f"{name}_qdq.onnx")
    export_onnx(model, path, meta, quantized=True)
    if float_dir:
        export_onnx(model, os.path.join(float_dir, f"{name}_fp32.onnx"), meta, quantized=False)
    return {"file": os.path.basename(path), "bytes": os.path.getsize(path),
            "params": count_params(model), "covers": spec["covers"]}


def make_bench(out_dir: str = BENCH, float_path: str | None = None) -> dict:
    torch.manual_seed(7)
    model = AttendSeg(AttendSegConfig(num_classes=len(CAMVID_CLASSES), width=1.0))
    params = count_params(model)
    macs = count_macs(model, 360, 480)["conv"]
    build_qat(model, 7, 180, 240, calib=6)
    meta = make_metadata(CAMVID_CLASSES, 480, 360)
    path = os.path.join(out_dir, "attendseg_bench_qdq.onnx")
    export_onnx(model, path, meta, quantized=True, trace_hw=(360, 480))
    if float_path:
        export_onnx(model, float_path, meta, quantized=False, trace_hw=(360, 480))
    return {"file": os.path.basename(path), "bytes": os.path.getsize(path), "params": params,
            "conv_macs_480x360": macs}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", action="append", help="fixture name (repeatable)")
    ap.add_argument("--no-bench", action="store_true")
    ap.add_argument("--bench-float", help="also write the float bench model here (not committed)")
    ap.add_argument("--float-dir", help="also write float fixtures (same weights) into this folder")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    os.makedirs(FIXTURES, exist_ok=True)
    os.makedirs(BENCH, exist_ok=True)
    for name in a.only or FIXTURE_SPECS:
        info = make_fixture(name, float_dir=a.float_dir)
        print(json.dumps({k: v for k, v in info.items() if k != "covers"}))
    if not a.no_bench and not a.only:
        print(json.dumps(make_bench(float_path=a.bench_float)))


if __name__ == "__main__":
    main()
