"""Count conv multiply-accumulates with forward hooks (the convs dominate; other ops are listed).

    python3 -m attendseg.flops --width 1.0 --size 480x360 --size 512x512
"""
from __future__ import annotations

import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F


@torch.no_grad()
def count_macs(model: nn.Module, height: int, width: int) -> dict:
    """MACs of every conv for one [1,3,H,W] forward. Convs run via F.conv2d inside ConvBNAct,
    so the hook sits on ConvBNAct and reads its conv's geometry."""
    from .quantize import ConvBNAct

    total = {"conv": 0, "dwconv": 0, "pwconv": 0}
    hooks = []

    def hook(mod, inp, out):
        c = mod.conv
        kh, kw = c.kernel_size
        macs = out.numel() * (c.in_channels // c.groups) * kh * kw
        total["conv"] += macs
        if c.groups == c.in_channels and c.groups > 1:
            total["dwconv"] += macs
        elif kh == kw == 1:
            total["pwconv"] += macs

    for m in model.modules():
        if isinstance(m, ConvBNAct):
            hooks.append(m.register_forward_hook(hook))
    was_training = model.training
    model.eval()
    model(torch.zeros(1, 3, height, width))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return total


def main(argv=None):
    from .model import AttendSeg, AttendSegConfig, count_params

    ap = argparse.ArgumentParser()
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--classes", type=int, default=11)
    ap.add_argument("--size", action="append", default=None, help="WxH, repeatable")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    m = AttendSeg(AttendSegConfig(num_classes=a.classes, width=a.width))
    print(f"parameters: {count_params(m):,}")
    for s in a.size or ["480x360", "512x512"]:
        w, h = (int(v) for v in s.lower().split("x"))
        t = count_macs(m, h, w)
        print(f"{w}x{h}: conv MACs {t['conv'] / 1e9:.3f} G "
              f"(depthwise {t['dwconv'] / 1e9:.3f} G, pointwise {t['pwconv'] / 1e9:.3f} G)")


if __name__ == "__main__":
    main()
