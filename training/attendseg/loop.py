"""Pieces shared by float training and QAT fine-tuning: the epoch loop, validation, the learning-rate
schedule, checkpoints that survive interruption, the per-epoch CSV and its plot."""
from __future__ import annotations

import csv
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

from . import camvid
from .metrics import confusion, scores

try:
    from tqdm import tqdm
except ImportError:  # progress bars are cosmetic; training must not depend on them
    tqdm = None


def pick_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def lr_at(progress: float, base_lr: float, warmup: float) -> float:
    """Linear warm-up for the first `warmup` fraction, then poly(0.9) decay to zero."""
    if progress < warmup:
        return base_lr * (0.1 + 0.9 * progress / warmup)
    p = (progress - warmup) / max(1e-9, 1.0 - warmup)
    return base_lr * (1.0 - min(1.0, p)) ** 0.9


def parse_crops(spec: str) -> list[tuple[float, tuple[int, int]]]:
    """'384x288' (one size) or a schedule by training progress, 'WxH[@from],...' e.g.
    '256x192,384x288@0.4,480x360@0.8': small crops while the network learns coarse layout (several
    times cheaper per sample), full frames at the end so it sees test-time context. Sizes (h, w)."""
    out = []
    for i, part in enumerate(p.strip() for p in spec.split(",")):
        size, _, start = part.partition("@")
        try:
            w, h = (int(v) for v in size.lower().split("x"))
            frac = float(start) if start else 0.0
        except ValueError:
            raise ValueError(f"crop '{part}' is not WxH or WxH@fraction") from None
        if w <= 0 or h <= 0 or not 0.0 <= frac < 1.0:
            raise ValueError(f"crop '{part}': size must be positive and the start fraction in [0, 1)")
        if (i == 0) != (frac == 0.0) or (out and frac <= out[-1][0]):
            raise ValueError(f"crop schedule '{spec}': the first size starts at 0, later ones at increasing fractions")
        out.append((frac, (h, w)))
    return out


def crop_at(schedule: list[tuple[float, tuple[int, int]]], progress: float) -> tuple[int, int]:
    return [hw for frac, hw in schedule if frac <= progress][-1]


def autocast(device: torch.device, enabled: bool):
    """bf16 autocast: on CPUs with AVX-512 BF16 (and on CUDA) the convolutions run in bf16 with
    fp32 master weights; the loss is computed in fp32 by the caller."""
    return torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=enabled)


def cpu_has_bf16() -> bool:
    try:
        with open("/proc/cpuinfo") as f:
            return any("avx512_bf16" in line for line in f if line.startswith("flags"))
    except OSError:
        return False


def pick_amp(name: str, device: torch.device) -> bool:
    if name == "auto":
        return device.type == "cuda" or cpu_has_bf16()
    if name not in ("bf16", "off"):
        raise ValueError(f"--amp must be auto, bf16 or off, got '{name}'")
    return name == "bf16"


def _bar(total: int, desc: str):
    if tqdm is None or not sys.stderr.isatty():  # a background run's log gets one line per epoch
        return None
    return tqdm(total=total, desc=desc, unit="img", dynamic_ncols=True, leave=False)


def train_epoch(model, opt, imgs, labs, weights, cfg: dict, epoch: int, rng: random.Random,
                device: torch.device, time_progress=None) -> float:
    """One pass over the training set in random order. cfg: batch, crops (parse_crops), lr, warmup,
    epochs, max_steps (0: all), amp (bf16 autocast). time_progress(): the fraction of a wall-clock budget spent, or None;
    the schedule follows whichever of steps and time is further along, so a budgeted run always
    ends with its learning rate decayed to zero however fast the machine turns out to be.
    Returns the mean loss."""
    model.train()
    n = len(imgs)
    order = list(range(n))
    rng.shuffle(order)
    b = cfg["batch"]
    if n < b:  # an epoch would have no step, and the log a loss of 0
        raise SystemExit(f"--batch {b} is larger than the {n} training images: use a smaller --batch or more images")
    steps = n // b
    if cfg.get("max_steps"):
        steps = min(steps, cfg["max_steps"])
    start = epoch / max(1, cfg["epochs"])
    if time_progress is not None:
        start = max(start, time_progress())
    crop = crop_at(cfg["crops"], start)  # one size per epoch: batches keep one shape
    amp = cfg.get("amp", False)
    void = cfg.get("void", camvid.VOID)
    bar = _bar(steps * b, f"epoch {epoch + 1}/{cfg['epochs']} {crop[1]}x{crop[0]}")
    total, count = 0.0, 0
    for s in range(steps):
        progress = (epoch * steps + s) / max(1, cfg["epochs"] * steps)
        if time_progress is not None:
            progress = min(1.0, max(progress, time_progress()))
        lr = lr_at(progress, cfg["lr"], cfg["warmup"])
        for g in opt.param_groups:
            g["lr"] = lr
        idx = order[s * b:(s + 1) * b]
        x, y = camvid.augment_batch(imgs[idx], labs[idx], crop, rng, void=void)
        x = x.to(device).contiguous(memory_format=torch.channels_last)
        y = y.to(device)
        with autocast(device, amp):
            out = model(x)
        loss = F.cross_entropy(out.float(), y, weight=weights.to(device), ignore_index=void)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += loss.item()
        count += 1
        if bar is not None:
            bar.update(b)
            bar.set_postfix(loss=f"{loss.item():.3f}", lr=f"{lr:.2e}")
    if bar is not None:
        bar.close()
    return total / max(1, count)


@torch.no_grad()
def evaluate(model, imgs, labs, device: torch.device, batch: int = 4, num_classes: int = camvid.NUM_CLASSES,
             void: int = camvid.VOID, amp: bool = False) -> dict:
    """Scores on full-size frames, void ignored."""
    model.eval()
    cm = torch.zeros(num_classes, num_classes, dtype=torch.long)
    for i in range(0, len(imgs), batch):
        x = camvid.normalize(imgs[i:i + batch]).to(device).contiguous(memory_format=torch.channels_last)
        with autocast(device, amp):
            pred = model(x).argmax(1).cpu()
        cm += confusion(pred, labs[i:i + batch], num_classes, void)
    out = scores(cm)
    out["confusion"] = cm.tolist()
    return out


def save_atomic(obj, path: str) -> None:
    """Write then rename, so an interruption never leaves a half-written checkpoint."""
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def rng_state(rng: random.Random) -> dict:
    return {"py": rng.getstate(), "torch": torch.get_rng_state()}


def set_rng_state(rng: random.Random, state: dict) -> None:
    rng.setstate(state["py"])
    torch.set_rng_state(state["torch"])


CSV_FIELDS = ["epoch", "lr_end", "train_loss", "val_miou", "val_pixel_accuracy", "val_class_accuracy",
              "epoch_seconds"]


def append_csv(path: str, row: dict) -> None:
    new = not os.path.exists(path)
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        if new:
            w.writeheader()
        w.writerow({k: row[k] for k in CSV_FIELDS})


def read_csv(path: str) -> list[dict]:
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def truncate_csv(path: str, epochs_done: int) -> None:
    """After a resume, drop rows of epochs whose checkpoint never landed."""
    rows = [r for r in read_csv(path) if int(r["epoch"]) <= epochs_done]
    if os.path.exists(path):
        os.remove(path)
    for r in rows:
        append_csv(path, r)


def plot_csv(csv_path: str, png_path: str, title: str) -> bool:
    """Loss and val mIoU per epoch. Returns False (and writes nothing) without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    rows = read_csv(csv_path)
    if not rows:
        return False
    ep = [int(r["epoch"]) for r in rows]
    fig, ax1 = plt.subplots(figsize=(7, 4))
    ax1.plot(ep, [float(r["train_loss"]) for r in rows], color="tab:blue", label="train loss")
    ax1.set_xlabel("epoch")
    ax1.set_ylabel("train loss", color="tab:blue")
    ax2 = ax1.twinx()
    scored = [r for r in rows if r["val_miou"]]  # --eval-every leaves the other epochs blank
    ax2.plot([int(r["epoch"]) for r in scored], [float(r["val_miou"]) for r in scored], color="tab:red",
             marker="." if len(scored) < 40 else None, label="val mIoU")
    ax2.set_ylabel("val mIoU (%)", color="tab:red")
    ax1.set_title(title)
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)
    plt.close(fig)
    return True


def fmt_time(s: float) -> str:
    return f"{int(s // 3600)}h{int(s % 3600 // 60):02d}m{int(s % 60):02d}s"


class Timer:
    def __init__(self, already: float = 0.0):
        self.start = time.time() - already

    def elapsed(self) -> float:
        return time.time() - self.start


def seed_all(seed: int) -> random.Random:
    torch.manual_seed(seed)
    return random.Random(seed)


