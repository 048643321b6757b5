"""Train the float AttendSeg-style network on CamVid from scratch.

    python3 -m attendseg.train --out runs/float            # resumes from runs/float/last.pt if present

Writes runs/float/{last.pt, best.pt, log.csv, curve.png}. A checkpoint lands at the end of every
epoch; rerunning the same command after an interruption continues from the last one. With
--resume-point FILE a compact copy is written every epoch as well (resume_point.py), and a run
whose folder is gone (another machine) continues from it."""
from __future__ import annotations

import argparse
import json
import os

import torch

from . import camvid, dataset, resume_point
from .loop import (Timer, append_csv, evaluate, fmt_time, parse_crops, pick_amp, pick_device, plot_csv,
                   rng_state, save_atomic, seed_all, set_rng_state, train_epoch, truncate_csv)
from .dataset import dataset_dict
from .model import ARCHS, AttendSeg, config_dict, config_for, count_params

# Options a resumed run must share with the run it continues (--epochs may grow).
RECIPE_KEYS = ("arch", "width", "dataset", "splits", "crop", "batch", "lr", "weight_decay", "warmup", "seed")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="train the float network on CamVid")
    ap.add_argument("--dataset", default="",
                    help="dataset YAML file (classes, void, folders; training/README.md); default: CamVid at --data")
    ap.add_argument("--data", default=camvid.default_root(), help="CamVid root with train/, trainannot/, val/, valannot/")
    ap.add_argument("--out", required=True, help="run folder (checkpoints, CSV, plot)")
    ap.add_argument("--arch", default="v3", choices=sorted(ARCHS), help="topology (model.ARCHS); v3: the shipped model's")
    ap.add_argument("--splits", default="train", help="comma-separated splits to train on, e.g. train,val")
    ap.add_argument("--val-split", default="val", help="split scored after each evaluated epoch")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", default="384x288",
                    help="training crop WxH, or a schedule by progress: 256x192,384x288@0.4,480x360@0.8")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="minutes: decay the schedule by wall-clock time too and stop when spent (0: epochs only)")
    ap.add_argument("--warmup", type=float, default=0.03, help="fraction of training spent warming up")
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--amp", default="auto",
                    help="bf16 autocast: auto (on CUDA and on CPUs with AVX-512 BF16), bf16 or off")
    ap.add_argument("--eval-every", type=int, default=1, help="score the val split every N epochs (and the last)")
    ap.add_argument("--resume-point", default="",
                    help="compact checkpoint written every epoch and resumed from when --out has no last.pt")
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    ap.add_argument("--device", default="auto", help="auto, cpu or cuda")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N images of each split (smoke tests)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop each epoch after N steps (smoke tests)")
    ap.add_argument("--no-resume", action="store_true", help="start over even if last.pt exists")
    a = ap.parse_args(argv)
    a.crops = parse_crops(a.crop)
    a.split_list = [s.strip() for s in a.splits.split(",") if s.strip()]
    if not a.split_list:
        ap.error("--splits names no split")
    if a.eval_every < 1:
        ap.error("--eval-every must be >= 1")
    return a


def dataset_of(a) -> dataset.DatasetSpec:
    """The --dataset file's dataset, else CamVid at --data."""
    return dataset.load_spec(a.dataset) if a.dataset else camvid.spec(a.data)


def load_splits(ds: dataset.DatasetSpec, splits: list[str], limit: int | None) -> tuple[torch.Tensor, torch.Tensor]:
    parts = [dataset.load_split(ds, s, limit) for s in splits]
    return torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])


def _resume(a, out_last: str, csv_path: str):
    """The checkpoint to continue from (last.pt, else the resume point), or None."""
    if a.no_resume:
        return None
    if os.path.exists(out_last):
        return torch.load(out_last, map_location="cpu"), None
    if a.resume_point and os.path.exists(a.resume_point):
        ck, rows = resume_point.read(a.resume_point)
        if os.path.exists(csv_path):
            os.remove(csv_path)
        for r in rows:
            append_csv(csv_path, r)
        return ck, a.resume_point
    return None


def main(argv=None) -> dict:
    a = parse_args(argv)
    torch.set_num_threads(a.threads or os.cpu_count() or 1)
    device = pick_device(a.device)
    amp = pick_amp(a.amp, device)
    os.makedirs(a.out, exist_ok=True)
    rng = seed_all(a.seed)
    limit = a.limit or None
    ds = dataset_of(a)
    tr_x, tr_y = load_splits(ds, a.split_list, limit)
    va_x, va_y = dataset.load_split(ds, a.val_split, limit)
    val_trained = a.val_split in a.split_list
    weights = dataset.class_weights(tr_y, ds.num_classes, ds.void)
    if device.type == "cuda":  # CamVid fits in GPU memory: batches are cut and augmented there
        tr_x, tr_y = tr_x.to(device), tr_y.to(device)
    cfg_model = config_for(a.arch, num_classes=ds.num_classes, width=a.width, class_names=ds.class_names)
    model = AttendSeg(cfg_model)
    model = model.to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    cfg = {"batch": a.batch, "crops": a.crops, "lr": a.lr, "warmup": a.warmup, "epochs": a.epochs,
           "max_steps": a.max_steps, "amp": amp, "void": ds.void}
    last, best_path = os.path.join(a.out, "last.pt"), os.path.join(a.out, "best.pt")
    csv_path, png_path = os.path.join(a.out, "log.csv"), os.path.join(a.out, "curve.png")
    start, best, spent = 0, -1.0, 0.0
    resumed = _resume(a, last, csv_path)
    if resumed is not None:
        ck, via = resumed
        prev = ck.get("args", {})
        prev.setdefault("arch", "v1")
        diff = [k for k in RECIPE_KEYS if k in prev and prev[k] != getattr(a, k)]
        if diff:
            raise SystemExit(f"{via or last} was trained with " + ", ".join(f"--{k.replace('_', '-')} {prev[k]}" for k in diff)
                             + "; use the same options, another --out or --no-resume")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        set_rng_state(rng, ck["rng"])
        start, best, spent = ck["epoch"], ck["best_miou"], ck["seconds"]
        truncate_csv(csv_path, start)
        print(f"resuming {via or last}: {start} epochs done, best val mIoU {best:.2f}, {fmt_time(spent)} so far")
    elif os.path.exists(csv_path):
        os.remove(csv_path)
    print(f"{a.arch}: {count_params(model):,} parameters; {len(tr_x)} training images ({a.splits}), "
          f"{len(va_x)} {a.val_split} images{' (also trained on)' if val_trained else ''}; device {device}, "
          f"{torch.get_num_threads()} threads, bf16 autocast {'on' if amp else 'off'}; class weights "
          + " ".join(f"{w:.2f}" for w in weights.tolist()))
    timer = Timer(spent)
    result = {}
    epochs_run = start
    title = f"float training on {os.path.basename(ds.source) or 'CamVid'} {a.splits}, scored on {a.val_split}" + (" (in training set)" if val_trained else "")
    for epoch in range(start, a.epochs):
        t0 = timer.elapsed()
        budget = a.time_budget * 60.0
        tp = (lambda: timer.elapsed() / budget) if budget > 0 else None
        loss = train_epoch(model, opt, tr_x, tr_y, weights, cfg, epoch, rng, device, tp)
        stopping = (epoch + 1 == a.epochs) or (budget > 0 and timer.elapsed() >= budget)
        scored = stopping or (epoch + 1) % a.eval_every == 0
        if scored:
            result = evaluate(model, va_x, va_y, device, num_classes=ds.num_classes, void=ds.void, amp=amp)
            if result["miou"] > best and not val_trained:
                best = result["miou"]
                save_atomic({"model": model.state_dict(), "epoch": epoch + 1, "val": result,
                             "config": config_dict(cfg_model), "width": a.width, "dataset": dataset_dict(ds)},
                            best_path)
        ck = {"model": model.state_dict(), "optimizer": opt.state_dict(), "rng": rng_state(rng),
              "epoch": epoch + 1, "best_miou": best, "seconds": timer.elapsed(),
              "config": config_dict(cfg_model), "width": a.width, "dataset": dataset_dict(ds),
              "args": {k: v for k, v in vars(a).items() if k not in ("crops", "split_list")}}
        save_atomic(ck, last)
        append_csv(csv_path, {"epoch": epoch + 1, "lr_end": f"{opt.param_groups[0]['lr']:.3e}",
                              "train_loss": f"{loss:.4f}",
                              "val_miou": f"{result['miou']:.2f}" if scored else "",
                              "val_pixel_accuracy": f"{result['pixel_accuracy']:.2f}" if scored else "",
                              "val_class_accuracy": f"{result['class_accuracy']:.2f}" if scored else "",
                              "epoch_seconds": f"{timer.elapsed() - t0:.1f}"})
        if a.resume_point:
            resume_point.write(ck, a.resume_point, csv_path)
        plot_csv(csv_path, png_path, title)
        val = f"val mIoU {result['miou']:.2f}  pixel acc {result['pixel_accuracy']:.2f}  " if scored else ""
        print(f"epoch {epoch + 1}/{a.epochs}: loss {loss:.4f}  {val}best {best:.2f}  "
              f"[{fmt_time(timer.elapsed())}]", flush=True)
        if budget > 0 and timer.elapsed() >= budget:
            print(f"time budget of {a.time_budget:g} min spent after {epoch + 1} epochs")
            epochs_run = epoch + 1
            break
    else:
        epochs_run = a.epochs
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump({"best_val_miou": best, "epochs": epochs_run, "seconds": timer.elapsed(),
                   "last_val": {k: v for k, v in result.items() if k != "confusion"},
                   "device": str(device), "threads": torch.get_num_threads(), "amp": amp,
                   "args": {k: v for k, v in vars(a).items() if k not in ("crops", "split_list")}}, f, indent=2)
    return {"best_miou": best, "last": result}


if __name__ == "__main__":
    main()
