"""Compact resume points: a run's last.pt small enough to commit, so a training campaign survives
the loss of its machine between sessions.

last.pt holds the model, AdamW's two moment buffers per parameter (fp32: three copies of the
weights), the RNG states, the epoch and the elapsed seconds. The resume point keeps the model and
everything else exact and stores the moments in bfloat16 (8 exponent bits, so tiny second moments
do not flush to zero): about half the size. A run resumed from it continues the same schedule
with the same data order; only the moments differ, by bf16 rounding. The log rows travel inside,
so the curve survives too."""
from __future__ import annotations

import os

import torch

from .loop import read_csv, save_atomic

_MOMENTS = ("exp_avg", "exp_avg_sq")


def pack(ck: dict, csv_path: str | None = None) -> dict:
    opt = ck["optimizer"]
    state = {k: {n: (t.to(torch.bfloat16) if n in _MOMENTS else t) for n, t in v.items()}
             for k, v in opt["state"].items()}
    out = {**ck, "optimizer": {**opt, "state": state}, "compact": True}
    if csv_path is not None:
        out["log_rows"] = read_csv(csv_path)
    return out


def unpack(rp: dict) -> dict:
    opt = rp["optimizer"]
    state = {k: {n: (t.float() if n in _MOMENTS else t) for n, t in v.items()}
             for k, v in opt["state"].items()}
    out = {k: v for k, v in rp.items() if k not in ("compact", "log_rows")}
    out["optimizer"] = {**opt, "state": state}
    return out


def write(ck: dict, path: str, csv_path: str | None = None) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    save_atomic(pack(ck, csv_path), path)


def read(path: str) -> tuple[dict, list[dict]]:
    """(checkpoint in last.pt form, log rows)."""
    rp = torch.load(path, map_location="cpu")
    if not rp.get("compact"):
        raise ValueError(f"{path} is not a resume point written by attendseg.train --resume-point")
    return unpack(rp), rp.get("log_rows", [])
