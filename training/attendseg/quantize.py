"""Quantization-aware training preparation with plain FakeQuantize modules.

Design: the network (model.py) is written with an explicit fake-quant point at every op output
(`QAct`) and with conv layers (`ConvBNAct`) that own their weight fake-quant. In float mode every
QAct is an identity and every conv runs with BatchNorm. `prepare_qat` folds BatchNorm into the conv
weights/bias and creates the FakeQuantize modules:

* weights: per-output-channel symmetric int8, quant range (-128, 127), zero point 0
  (ONNX export of per-channel fake-quant only accepts (-128, 127) or (0, 255)). `weight_qmax`
  narrows it to (-qmax, qmax) with scale max|w| / qmax for the convs the engine runs as GEMMs:
  with qmax = 64 no two adjacent weights of the same sign sum past 128 in magnitude, so the x86
  AVX2 engine runs them with the exact u8 x s8 `vpmaddubsw` path. Depthwise convs, which never
  run as GEMMs, and the convs named in `full_range` keep (-128, 127). `export_weight_range` makes
  such a model exportable.
* activations: per-tensor affine uint8 (0, 255) with MovingAverageMinMaxObserver.
* sigmoid outputs: fixed qparams, scale 1/256, zero point 0.
* MaxPool and Resize outputs reuse the qparams of their input (`QAct(share=True)`), so the exported
  Q after them has the same scale/zero point as the DQ before them: the op is exactly representable
  in uint8 and ONNX Runtime keeps it in int8.

Why not torch's default QAT fake-quant: it is the fused `FusedMovingAvgObsFakeQuantize`, which
does not export to ONNX in torch 1.13. Plain `torch.ao.quantization.FakeQuantize` exports as
QuantizeLinear -> DequantizeLinear.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.ao.quantization import FakeQuantize
from torch.ao.quantization.observer import (
    MovingAverageMinMaxObserver,
    PerChannelMinMaxObserver,
)

SIGMOID_SCALE = 1.0 / 256.0
SIGMOID_ZERO_POINT = 0


def make_act_fake_quant() -> FakeQuantize:
    return FakeQuantize(
        observer=MovingAverageMinMaxObserver,
        quant_min=0,
        quant_max=255,
        dtype=torch.quint8,
        qscheme=torch.per_tensor_affine,
        reduce_range=False,
        averaging_constant=0.01,
    )


WEIGHT_QMAX_FULL = 127


def weight_qrange(qmax: int = WEIGHT_QMAX_FULL) -> tuple:
    """(quant_min, quant_max) of the weights: (-128, 127) for the full range, else (-qmax, qmax)."""
    if not 1 <= qmax <= WEIGHT_QMAX_FULL:
        raise ValueError(f"weight qmax must be in [1, {WEIGHT_QMAX_FULL}], got {qmax}")
    return (-128, 127) if qmax == WEIGHT_QMAX_FULL else (-qmax, qmax)


def make_weight_fake_quant(qmax: int = WEIGHT_QMAX_FULL) -> FakeQuantize:
    qmin, qmax = weight_qrange(qmax)
    return FakeQuantize(
        observer=PerChannelMinMaxObserver,
        quant_min=qmin,
        quant_max=qmax,
        dtype=torch.qint8,
        qscheme=torch.per_channel_symmetric,
        reduce_range=False,
        ch_axis=0,
    )


def _tag(y: torch.Tensor, src: "QAct") -> torch.Tensor:
    # Remember which fake-quant produced this tensor, for ops that keep their input's qparams.
    # Plain Python attribute: survives eager execution and torch.onnx tracing.
    try:
        y._attendseg_q = src
    except Exception:  # pragma: no cover - e.g. scripted tensors
        pass
    return y


class QAct(nn.Module):
    """Fake-quant point at an op output (exports as QuantizeLinear -> DequantizeLinear).

    kind: 'observe' (own MovingAverageMinMax observer), 'sigmoid' (fixed 1/256, 0) or
    'share' (use the qparams of the input tensor's producer; falls back to 'observe').
    """

    def __init__(self, kind: str = "observe"):
        super().__init__()
        assert kind in ("observe", "sigmoid", "share")
        self.kind = kind
        self.fq: FakeQuantize | None = None
        self.enabled = False

    def create(self) -> None:
        self.fq = make_act_fake_quant()
        if self.kind == "sigmoid":
            self.fq.scale.fill_(SIGMOID_SCALE)
            self.fq.zero_point.fill_(SIGMOID_ZERO_POINT)
            self.fq.disable_observer()
        self.enabled = True

    def forward(self, y: torch.Tensor, like: torch.Tensor | None = None) -> torch.Tensor:
        if not self.enabled or self.fq is None:
            return y
        if self.kind == "share" and like is not None:
            src = getattr(like, "_attendseg_q", None)
            if src is not None and src.fq is not None:
                out = torch.fake_quantize_per_tensor_affine(
                    y, src.fq.scale, src.fq.zero_point, 0, 255)
                return _tag(out, src)
        return _tag(self.fq(y), self)


class ConvBNAct(nn.Module):
    """Conv2d (+ BatchNorm) (+ ReLU / ReLU6) followed by one activation fake-quant.

    After `prepare_qat` BatchNorm is folded into the conv and the weight is fake-quantized
    per output channel, so the export is DQ(x), DQ(w_int8), DQ(b_int32) -> Conv [-> Relu|Clip] -> Q.
    """

    def __init__(self, cin: int, cout: int, k: int = 3, stride: int = 1, groups: int = 1,
                 act: str | None = "relu", bn: bool = True, bias: bool = False,
                 padding: int | None = None, dilation: int = 1):
        super().__init__()
        if padding is None:
            padding = dilation * (k - 1) // 2
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=padding, groups=groups,
                              bias=bias or not bn, dilation=dilation)
        self.bn = nn.BatchNorm2d(cout) if bn else None
        assert act in (None, "relu", "relu6")
        self.act = act
        self.wq: FakeQuantize | None = None
        self.q = QAct()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        c = self.conv
        w = c.weight
        if self.wq is not None and self.q.enabled:
            w = self.wq(w)
        y = F.conv2d(x, w, c.bias, c.stride, c.padding, c.dilation, c.groups)
        if self.bn is not None:
            y = self.bn(y)
        if self.act == "relu":
            y = F.relu(y)
        elif self.act == "relu6":
            y = F.relu6(y)
        return self.q(y)

    @torch.no_grad()
    def fold_bn(self) -> None:
        if self.bn is None:
            return
        bn, c = self.bn, self.conv
        std = torch.sqrt(bn.running_var + bn.eps)
        gamma = bn.weight if bn.affine else torch.ones_like(std)
        beta = bn.bias if bn.affine else torch.zeros_like(std)
        w = c.weight * (gamma / std).reshape(-1, 1, 1, 1)
        b0 = c.bias if c.bias is not None else torch.zeros_like(std)
        b = beta + (b0 - bn.running_mean) * gamma / std
        new = nn.Conv2d(c.in_channels, c.out_channels, c.kernel_size, c.stride, c.padding,
                        c.dilation, c.groups, bias=True)
        new.weight.copy_(w)
        new.bias.copy_(b)
        self.conv = new
        self.bn = None


def fold_batchnorm(model: nn.Module) -> nn.Module:
    for m in model.modules():
        if isinstance(m, ConvBNAct):
            m.fold_bn()
    return model


def is_depthwise(m: "ConvBNAct") -> bool:
    c = m.conv
    return c.groups > 1 and c.groups == c.in_channels == c.out_channels


def prepare_qat(model: nn.Module, weight_qmax: int = WEIGHT_QMAX_FULL,
                full_range: Sequence[str] = ()) -> nn.Module:
    """Fold BatchNorm and attach fake-quant modules in place. Returns the model.

    weight_qmax: weights quantized to (-128, 127) when 127 (the default), else to
    (-weight_qmax, weight_qmax), except in depthwise convs and in the ConvBNAct modules named
    (as in `model.named_modules()`) by full_range, which keep (-128, 127)."""
    weight_qrange(weight_qmax)
    convs = {n for n, m in model.named_modules() if isinstance(m, ConvBNAct)}
    unknown = [n for n in full_range if n not in convs]
    if unknown:
        raise ValueError(f"full_range names no conv of this model: {unknown}")
    fold_batchnorm(model)
    for name, m in model.named_modules():
        if isinstance(m, QAct):
            m.create()
        elif isinstance(m, ConvBNAct):
            narrow = not is_depthwise(m) and name not in full_range
            m.wq = make_weight_fake_quant(weight_qmax if narrow else WEIGHT_QMAX_FULL)
    return model


def _get_qrange(fq: FakeQuantize) -> tuple:
    # FakeQuantize.forward reads the range from its observer; fq.quant_min/max are copies.
    return fq.activation_post_process.quant_min, fq.activation_post_process.quant_max


def _set_qrange(fq: FakeQuantize, qmin: int, qmax: int) -> None:
    fq.activation_post_process.quant_min, fq.activation_post_process.quant_max = qmin, qmax
    fq.quant_min, fq.quant_max = qmin, qmax


def weight_qranges(model: nn.Module) -> dict:
    """(quant_min, quant_max) of each conv's weights, by module name."""
    return {n: _get_qrange(m.wq) for n, m in model.named_modules()
            if isinstance(m, ConvBNAct) and m.wq is not None}


@contextmanager
def export_weight_range(model: nn.Module):
    """Lets torch.onnx export convs whose weight range is narrower than (-128, 127).

    torch's ONNX export of per-channel fake-quant accepts only (-128, 127). Inside this context
    each such conv's weight is clamped to [quant_min * s, quant_max * s] per channel and its
    fake-quant range widened to (-128, 127): round(w / s) then already lies in the narrow range,
    so the exported int8 weights equal what the narrow fake-quant computes. Weights and ranges are
    restored on exit."""
    saved = []
    try:
        with torch.no_grad():
            for m in model.modules():
                if not isinstance(m, ConvBNAct) or m.wq is None:
                    continue
                qmin, qmax = _get_qrange(m.wq)
                if (qmin, qmax) == (-128, 127):
                    continue
                w = m.conv.weight
                saved.append((m, w.detach().clone(), qmin, qmax))
                s = m.wq.scale.detach().reshape([-1] + [1] * (w.dim() - 1))
                w.copy_(torch.maximum(torch.minimum(w, qmax * s), qmin * s))
                _set_qrange(m.wq, -128, 127)
        yield model
    finally:
        with torch.no_grad():
            for m, w, qmin, qmax in saved:
                m.conv.weight.copy_(w)
                _set_qrange(m.wq, qmin, qmax)


def set_fake_quant(model: nn.Module, enabled: bool) -> nn.Module:
    """Switch between the QAT graph (True) and the float graph with the same weights (False)."""
    for m in model.modules():
        if isinstance(m, QAct) and m.fq is not None:
            m.enabled = enabled
    return model


def set_observers(model: nn.Module, enabled: bool) -> nn.Module:
    """Enable/disable statistics collection (fixed-qparam sigmoid observers stay off)."""
    for m in model.modules():
        if isinstance(m, QAct) and m.fq is not None and m.kind != "sigmoid":
            m.fq.enable_observer() if enabled else m.fq.disable_observer()
        elif isinstance(m, ConvBNAct) and m.wq is not None:
            m.wq.enable_observer() if enabled else m.wq.disable_observer()
    return model


@torch.no_grad()
def calibrate(model: nn.Module, batches) -> nn.Module:
    """Run forwards with observers on (eval mode; BatchNorm already folded).

    The moving-average observers are switched to an exact running mean of the per-batch min/max
    during calibration (averaging constant 1/(i+1)); with the training constant (0.01) a short
    calibration would be dominated by the first batch. The constant is restored afterwards, and
    the observers are left off: forwards after calibration (e.g. scoring on val) must not move
    the ranges. QAT switches them on again per epoch."""
    model.eval()
    set_observers(model, True)
    obs = [m.fq.activation_post_process for m in model.modules()
           if isinstance(m, QAct) and m.fq is not None and m.kind != "sigmoid"]
    saved = [o.averaging_constant for o in obs]
    try:
        for i, x in enumerate(batches):
            for o in obs:
                o.averaging_constant = 1.0 / (i + 1)
            model(x)
    finally:
        for o, c in zip(obs, saved):
            o.averaging_constant = c
        set_observers(model, False)
    return model
