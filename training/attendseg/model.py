"""AttendSeg-style segmentation network (after Wen et al., 2021), written for int8 QDQ export.

Every op output passes through a `QAct` fake-quant point (identity until `prepare_qat`), so the
exported graph is DequantizeLinear -> op -> QuantizeLinear around each op. All upsampling uses
`size=` (another tensor's spatial size), never `scale_factor`, so any input size works
(e.g. 480x360, where 360 is not a multiple of 32).

Layout of the full model (width 1.0, input HxW, channels in brackets; 929,528 parameters,
conv MACs 2.00 G at 480x360 and 3.02 G at 512x512, see flops.py):

  encoder
    stem    conv3x3 s2 [24] -> conv3x3 [32]                                  1/2
    stage1  conv3x3 s2 [64] -> AttentionCondenser -> residual conv3x3 x2     1/4  skip e1
    stage2  conv5x5 s4 [128] (aggressive downsampling) -> AC -> DWPW [192]
            -> AC -> residual DWPW [192]                                     1/16 skip e2
    stage3  dw3x3 s2 + pw [256] -> AC -> DWPW [352] -> AC -> residual DWPW   1/32 skip e3
  decoder (light-weight RefineNet multi-path refinement, width D=96)
    p3 = CRP(RCU(adapt(e3)))
    p2 = CRP(RCU(adapt(e2) + resize_to(p3, e2)))
    p1 = CRP(RCU(adapt(e1) + resize_to(p2, e1)))
    logits = resize_to(conv1x1(p1) [classes], input)   bilinear, align_corners=False

AttentionCondenser (selective attention):
    Q = MaxPool2d(2, 2, ceil_mode=True)(V)          condensation
    K = pw(pw(dw3x3(Q)))                            embedding (depthwise + pointwise)
    A = resize_to(K, V)                             expansion (bilinear or nearest)
    out = V * sigmoid(A) * s + V                    s: learned scalar
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn as nn
import torch.nn.functional as F

from .quantize import ConvBNAct, QAct


def resize_to(x: torch.Tensor, ref: torch.Tensor, mode: str = "bilinear") -> torch.Tensor:
    """Upsample x to ref's spatial size (exported as Resize with a `sizes` input from Shape(ref))."""
    if mode == "bilinear":
        return F.interpolate(x, size=ref.shape[-2:], mode="bilinear", align_corners=False)
    return F.interpolate(x, size=ref.shape[-2:], mode="nearest")


class ResizeTo(nn.Module):
    def __init__(self, mode: str = "bilinear"):
        super().__init__()
        self.mode = mode
        self.q = QAct("share")

    def forward(self, x, ref):
        return self.q(resize_to(x, ref, self.mode), like=x)


class ResizeScale(nn.Module):
    """Upsample by a constant factor (exported as Resize with constant `scales`)."""

    def __init__(self, scale: int = 2, mode: str = "nearest"):
        super().__init__()
        self.scale, self.mode = scale, mode
        self.q = QAct("share")

    def forward(self, x):
        if self.mode == "bilinear":
            y = F.interpolate(x, scale_factor=self.scale, mode="bilinear", align_corners=False,
                              recompute_scale_factor=False)
        else:
            y = F.interpolate(x, scale_factor=self.scale, mode="nearest",
                              recompute_scale_factor=False)
        return self.q(y, like=x)


class MaxPool(nn.Module):
    def __init__(self, k: int, stride: int, padding: int = 0, ceil_mode: bool = False):
        super().__init__()
        self.pool = nn.MaxPool2d(k, stride, padding, ceil_mode=ceil_mode)
        self.q = QAct("share")

    def forward(self, x):
        return self.q(self.pool(x), like=x)


class AvgPool(nn.Module):
    def __init__(self, k: int, stride: int, padding: int = 0, count_include_pad: bool = False):
        super().__init__()
        self.pool = nn.AvgPool2d(k, stride, padding, count_include_pad=count_include_pad)
        self.q = QAct()

    def forward(self, x):
        return self.q(self.pool(x))


class GlobalAvgPool(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = QAct()

    def forward(self, x):
        # adaptive_avg_pool2d(x, 1) exports as GlobalAveragePool.
        return self.q(F.adaptive_avg_pool2d(x, 1))


class Add(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = QAct()

    def forward(self, a, b):
        return self.q(a + b)


class Mul(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = QAct()

    def forward(self, a, b):
        return self.q(a * b)


class Concat(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = QAct()

    def forward(self, xs):
        return self.q(torch.cat(xs, dim=1))


class Sigmoid(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = QAct("sigmoid")

    def forward(self, x):
        return self.q(torch.sigmoid(x))


class ConvRes(nn.Module):
    """Dense kxk conv (+ReLU) then dense kxk conv, added to the input: x + conv(conv(x))."""

    def __init__(self, c: int, k: int = 3):
        super().__init__()
        self.c1 = ConvBNAct(c, c, k, act="relu")
        self.c2 = ConvBNAct(c, c, k, act=None)
        self.add = Add()

    def forward(self, x):
        return self.add(x, self.c2(self.c1(x)))


class DWPW(nn.Module):
    """Depthwise kxk (+ReLU) then pointwise 1x1 (+ReLU); optional residual Add when shapes match."""

    def __init__(self, cin: int, cout: int, k: int = 3, stride: int = 1, act: str = "relu",
                 residual: bool = False):
        super().__init__()
        self.dw = ConvBNAct(cin, cin, k, stride, groups=cin, act=act)
        self.pw = ConvBNAct(cin, cout, 1, act=None if residual else act)
        self.residual = residual and cin == cout and stride == 1
        self.add = Add() if self.residual else None

    def forward(self, x):
        y = self.pw(self.dw(x))
        return self.add(x, y) if self.residual else y


class AttentionCondenser(nn.Module):
    """Selective attention: out = V * sigmoid(expand(embed(condense(V)))) * s + V."""

    def __init__(self, channels: int, mid: int | None = None, pool_k: int = 2,
                 up_mode: str = "bilinear", act: str = "relu"):
        super().__init__()
        mid = mid or max(channels // 4, 4)
        pad = (pool_k - 1) // 2
        # ceil_mode without padding keeps a 1x1 input at 1x1 (tiny inputs at 1/32 scale); with
        # padding torch and ONNX disagree on ceil_mode output sizes, so floor mode there.
        self.condense = MaxPool(pool_k, 2, pad, ceil_mode=pad == 0)
        self.dw = ConvBNAct(channels, channels, 3, groups=channels, act=act)
        self.pw1 = ConvBNAct(channels, mid, 1, act=act)
        self.pw2 = ConvBNAct(mid, channels, 1, act=None)
        self.expand = ResizeTo(up_mode)
        self.sig = Sigmoid()
        self.mul = Mul()
        self.scale = nn.Parameter(torch.tensor(1.0))
        self.q_scale = QAct()
        self.add = Add()

    def forward(self, v):
        q = self.condense(v)
        k = self.pw2(self.pw1(self.dw(q)))
        a = self.expand(k, v)
        t = self.mul(v, self.sig(a))
        t = self.q_scale(t * self.scale)
        return self.add(t, v)


class ChannelAttention(nn.Module):
    """Squeeze-excitation style branch: x * sigmoid(fc(gap(x))), a broadcast Mul with [1,C,1,1]."""

    def __init__(self, channels: int, mid: int | None = None):
        super().__init__()
        mid = mid or max(channels // 4, 4)
        self.gap = GlobalAvgPool()
        self.fc1 = ConvBNAct(channels, mid, 1, act="relu", bn=False)
        self.fc2 = ConvBNAct(mid, channels, 1, act=None, bn=False)
        self.sig = Sigmoid()
        self.mul = Mul()

    def forward(self, x):
        return self.mul(x, self.sig(self.fc2(self.fc1(self.gap(x)))))


class RCU(nn.Module):
    """Residual conv unit (RefineNet), depthwise-separable: x + pw(dw(x))."""

    def __init__(self, c: int):
        super().__init__()
        self.dw = ConvBNAct(c, c, 3, groups=c, act="relu")
        self.pw = ConvBNAct(c, c, 1, act=None)
        self.add = Add()

    def forward(self, x):
        return self.add(x, self.pw(self.dw(x)))


class CRP(nn.Module):
    """Chained residual pooling (light-weight RefineNet): x + sum_i conv(maxpool5x5^i(x))."""

    def __init__(self, c: int, n: int = 2):
        super().__init__()
        self.pools = nn.ModuleList([MaxPool(5, 1, 2) for _ in range(n)])
        self.convs = nn.ModuleList([ConvBNAct(c, c, 1, act=None) for _ in range(n)])
        self.adds = nn.ModuleList([Add() for _ in range(n)])

    def forward(self, x):
        out, p = x, x
        for pool, conv, add in zip(self.pools, self.convs, self.adds):
            p = conv(pool(p))
            out = add(out, p)
        return out


class RefineBlock(nn.Module):
    """Multi-path refinement: adapt(skip) [+ resize_to(lower, skip)] -> RCU -> CRP."""

    def __init__(self, cin: int, d: int, has_lower: bool):
        super().__init__()
        self.adapt = ConvBNAct(cin, d, 1, act="relu")
        self.up = ResizeTo("bilinear") if has_lower else None
        self.add = Add() if has_lower else None
        self.rcu = RCU(d)
        self.crp = CRP(d)

    def forward(self, skip, lower=None):
        x = self.adapt(skip)
        if lower is not None:
            x = self.add(x, self.up(lower, x))
        return self.crp(self.rcu(x))


class DetailBlock(nn.Module):
    """High-resolution refinement (v2): the 1/4 decoder output, narrowed to the detail width and
    resized to the stem's 1/2 grid, added to the adapted stem features, then a depthwise-separable
    residual unit. Cheap (few channels) where pixels are many."""

    def __init__(self, c_skip: int, c_lower: int, c: int):
        super().__init__()
        self.adapt = ConvBNAct(c_skip, c, 1, act="relu")
        self.reduce = ConvBNAct(c_lower, c, 1, act="relu")
        self.up = ResizeTo("bilinear")
        self.add = Add()
        self.rcu = RCU(c)

    def forward(self, skip, lower):
        x = self.adapt(skip)
        return self.rcu(self.add(x, self.up(self.reduce(lower), x)))


class InputQuant(nn.Module):
    """QuantizeLinear of the float network input."""

    def __init__(self):
        super().__init__()
        self.q = QAct()

    def forward(self, x):
        return self.q(x)


@dataclass
class AttendSegConfig:
    num_classes: int = 11
    width: float = 1.0               # multiplies every channel count below
    stem: tuple = (24, 32)
    c1: int = 64
    c2: tuple = (128, 192, 192)
    c3: tuple = (256, 352, 352)
    decoder: int = 96
    ac_up_mode: str = "bilinear"     # expansion in the attention condensers
    stage2_kernel: int = 5
    stage2_stride: int = 4           # aggressive downsampling (1/4 -> 1/16)
    # v2: a 1/8 stage between stage1 and stage2 (replacing the 5x5 stride-4 jump) with its own
    # decoder level, and a 1/2 detail level fed by the stem, so thin classes (Pole, SignSymbol,
    # Fence) survive to the classifier; 0 turns each off (v1, the shipped model's topology).
    c15: int = 0
    detail: int = 0
    class_names: list = field(default_factory=list)


ARCHS = {
    "v1": {},
    "v2": {"c15": 96, "detail": 32},
    # v3 candidate: the 1/8 stage and the 1/2 detail level wider (thin classes), 0.90 M
    # parameters and 2.61 GMAC at 480x360; it ships only if its train-only run beats v2 on val.
    "v3": {"c15": 128, "detail": 64},
}


def config_for(arch: str, **kw) -> AttendSegConfig:
    """A named topology (ARCHS) with the given overrides (num_classes, width, class_names...)."""
    if arch not in ARCHS:
        raise ValueError(f"unknown architecture '{arch}' (known: {', '.join(ARCHS)})")
    return AttendSegConfig(**{**ARCHS[arch], **kw})


def config_dict(cfg: AttendSegConfig) -> dict:
    """What a checkpoint stores to rebuild the network (AttendSegConfig(**d))."""
    from dataclasses import asdict
    return asdict(cfg)


def _w(c: int, width: float, mult: int = 4) -> int:
    return max(mult, int(round(c * width / mult)) * mult)


class AttendSeg(nn.Module):
    def __init__(self, cfg: AttendSegConfig | None = None):
        super().__init__()
        cfg = cfg or AttendSegConfig()
        self.cfg = cfg
        w = lambda c: _w(c, cfg.width)
        s0, s1 = w(cfg.stem[0]), w(cfg.stem[1])
        c1 = w(cfg.c1)
        c2 = [w(c) for c in cfg.c2]
        c3 = [w(c) for c in cfg.c3]
        d = w(cfg.decoder)
        up = cfg.ac_up_mode

        self.inq = InputQuant()
        self.stem = nn.Sequential(
            ConvBNAct(3, s0, 3, 2),                       # 1/2
            ConvBNAct(s0, s1, 3),
        )
        self.stage1 = nn.Sequential(
            ConvBNAct(s1, c1, 3, 2),                      # 1/4
            AttentionCondenser(c1, up_mode=up),
            ConvRes(c1),
        )
        if cfg.c15:
            c15 = w(cfg.c15)
            self.stage15 = nn.Sequential(
                ConvBNAct(c1, c15, 3, 2),                 # 1/8
                AttentionCondenser(c15, up_mode=up),
                DWPW(c15, c15, residual=True),
            )
            down2 = DWPW(c15, c2[0], stride=2)            # 1/16
        else:
            self.stage15 = None
            down2 = ConvBNAct(c1, c2[0], cfg.stage2_kernel, cfg.stage2_stride)   # 1/16
        self.stage2 = nn.Sequential(
            down2,
            AttentionCondenser(c2[0], up_mode=up),
            DWPW(c2[0], c2[1]),
            AttentionCondenser(c2[1], up_mode=up),
            DWPW(c2[1], c2[2], residual=True),
        )
        self.stage3 = nn.Sequential(
            DWPW(c2[2], c3[0], stride=2),                 # 1/32
            AttentionCondenser(c3[0], up_mode=up),
            DWPW(c3[0], c3[1]),
            AttentionCondenser(c3[1], up_mode=up),
            DWPW(c3[1], c3[2], residual=True),
        )
        self.ref3 = RefineBlock(c3[2], d, has_lower=False)
        self.ref2 = RefineBlock(c2[2], d, has_lower=True)
        self.ref15 = RefineBlock(w(cfg.c15), d, has_lower=True) if cfg.c15 else None
        self.ref1 = RefineBlock(c1, d, has_lower=True)
        head = d
        if cfg.detail:
            head = w(cfg.detail)
            self.detail = DetailBlock(s1, d, head)
        else:
            self.detail = None
        self.classifier = ConvBNAct(head, cfg.num_classes, 1, act=None, bn=False)
        self.out_up = ResizeTo("bilinear")

    def forward(self, x):
        xin = x
        x = self.inq(x)
        e0 = self.stem(x)
        e1 = self.stage1(e0)
        e15 = self.stage15(e1) if self.stage15 is not None else None
        e2 = self.stage2(e15 if e15 is not None else e1)
        e3 = self.stage3(e2)
        p = self.ref3(e3)
        p = self.ref2(e2, p)
        if e15 is not None:
            p = self.ref15(e15, p)
        p = self.ref1(e1, p)
        if self.detail is not None:
            p = self.detail(e0, p)
        return self.out_up(self.classifier(p), xin)


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
