"""CamVid (SegNet 11-class version): its class table and dataset description, the input
normalisation every model uses, and the training augmentation (dataset.py loads any dataset)."""
from __future__ import annotations

import math
import os
import random

import torch
import torch.nn.functional as F

from .dataset import DatasetSpec

CLASS_NAMES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence",
               "Car", "Pedestrian", "Bicyclist"]
PALETTE = [(128, 128, 128), (128, 0, 0), (192, 192, 128), (128, 64, 128), (60, 40, 222),
           (128, 128, 0), (192, 128, 128), (64, 64, 128), (64, 0, 128), (64, 64, 0), (0, 128, 192)]
VOID = 11
NUM_CLASSES = len(CLASS_NAMES)
MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def default_root() -> str:
    """../shared/data/camvid relative to the repository root (training/..)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "camvid"))


def spec(root: str | None = None) -> DatasetSpec:
    """CamVid as a dataset: `train/` + `trainannot/`, `val/` + `valannot/` under root."""
    return DatasetSpec(root=root or default_root(), class_names=list(CLASS_NAMES), palette=[list(c) for c in PALETTE],
                       void=VOID, images="{split}", labels="{split}annot", source="camvid")


def normalize(img_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [N,3,H,W] RGB -> float, the engine's input contract (x/255 - mean) / std."""
    x = img_u8.float() / 255.0
    m = torch.tensor(MEAN, device=img_u8.device).view(1, 3, 1, 1)
    s = torch.tensor(STD, device=img_u8.device).view(1, 3, 1, 1)
    return (x - m) / s


def _jitter(x: torch.Tensor, rng: random.Random, strength: float) -> torch.Tensor:
    """Brightness, contrast and saturation on a [3,H,W] image in [0,1], in random order."""
    ops = ["b", "c", "s"]
    rng.shuffle(ops)
    for op in ops:
        f = 1.0 + rng.uniform(-strength, strength)
        if op == "b":
            x = x * f
        elif op == "c":
            x = (x - x.mean()) * f + x.mean()
        else:
            gray = (0.299 * x[0] + 0.587 * x[1] + 0.114 * x[2]).unsqueeze(0)
            x = (x - gray) * f + gray
    return x.clamp_(0.0, 1.0)


def augment_batch(imgs: torch.Tensor, labs: torch.Tensor, crop_hw: tuple[int, int], rng: random.Random,
                  scale=(0.5, 2.0), jitter: float = 0.3, void: int = VOID) -> tuple[torch.Tensor, torch.Tensor]:
    """Random scale (log-uniform), pad, random crop, horizontal flip, colour jitter.

    imgs uint8 [B,3,H,W], labs uint8 [B,H,W] -> normalised float [B,3,ch,cw], int64 [B,ch,cw].
    Padding is 0 after normalisation for images and void for labels, so it is ignored by the loss.
    Runs on the device the batch is on (the training set stays on a GPU when there is one)."""
    ch, cw = crop_hw
    dev = imgs.device
    out_x = torch.empty(len(imgs), 3, ch, cw, device=dev)
    out_y = torch.empty(len(imgs), ch, cw, dtype=torch.long, device=dev)
    m = torch.tensor(MEAN, device=dev).view(3, 1, 1)
    s = torch.tensor(STD, device=dev).view(3, 1, 1)
    for i in range(len(imgs)):
        h, w = imgs.shape[-2:]
        f = math.exp(rng.uniform(math.log(scale[0]), math.log(scale[1])))
        nh, nw = max(8, round(h * f)), max(8, round(w * f))
        x = imgs[i].float().unsqueeze(0) / 255.0
        x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False,
                          antialias=f < 1.0)[0].clamp_(0, 1)
        y = F.interpolate(labs[i][None, None].float(), size=(nh, nw), mode="nearest")[0, 0].long()
        x = _jitter(x, rng, jitter) if jitter > 0 else x
        x = (x - m) / s
        ph, pw = max(0, ch - nh), max(0, cw - nw)
        if ph or pw:
            x = F.pad(x, (0, pw, 0, ph), value=0.0)
            y = F.pad(y, (0, pw, 0, ph), value=void)
        top = rng.randint(0, x.shape[1] - ch)
        left = rng.randint(0, x.shape[2] - cw)
        x = x[:, top:top + ch, left:left + cw]
        y = y[top:top + ch, left:left + cw]
        if rng.random() < 0.5:
            x, y = x.flip(-1), y.flip(-1)
        out_x[i], out_y[i] = x, y
    return out_x, out_y
