"""Train the float AttendSeg-style network on CamVid from scratch.

    python3 -m attendseg.train --out runs/float            # resumes from runs/float/last.pt if present

Writes runs/float/{last.pt, best.pt, log.csv, curve.png}. A checkpoint lands at the end of every
epoch; rerunning the same command after an interruption continues from the last one."""
from __future__ import annotations

import argparse
import json
import os

import torch

from . import camvid
from .loop import (Timer, append_csv, evaluate, fmt_time, pick_device, plot_csv, rng_state,
                   save_atomic, seed_all, set_rng_state, train_epoch, truncate_csv)
from .model import AttendSeg, AttendSegConfig, count_params


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="train the float network on CamVid")
    ap.add_argument("--data", default=camvid.default_root(), help="CamVid root with train/, trainannot/, val/, valannot/")
    ap.add_argument("--out", required=True, help="run folder (checkpoints, CSV, plot)")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", default="384x288", help="training crop WxH")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="minutes: decay the schedule by wall-clock time too and stop when spent (0: epochs only)")
    ap.add_argument("--warmup", type=float, default=0.03, help="fraction of training spent warming up")
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=0, help="CPU threads (0: all cores)")
    ap.add_argument("--device", default="auto", help="auto, cpu or cuda")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N images of each split (smoke tests)")
    ap.add_argument("--max-steps", type=int, default=0, help="stop each epoch after N steps (smoke tests)")
    ap.add_argument("--no-resume", action="store_true", help="start over even if last.pt exists")
    return ap.parse_args(argv)


def parse_wh(s: str) -> tuple[int, int]:
    w, h = (int(v) for v in s.lower().split("x"))
    if w <= 0 or h <= 0:
        raise ValueError(f"size '{s}' must be positive WxH")
    return h, w


def main(argv=None) -> dict:
    a = parse_args(argv)
    torch.set_num_threads(a.threads or os.cpu_count() or 1)
    device = pick_device(a.device)
    os.makedirs(a.out, exist_ok=True)
    rng = seed_all(a.seed)
    limit = a.limit or None
    tr_x, tr_y = camvid.load_split(a.data, "train", limit)
    va_x, va_y = camvid.load_split(a.data, "val", limit)
    weights = camvid.class_weights(tr_y)
    model = AttendSeg(AttendSegConfig(num_classes=camvid.NUM_CLASSES, width=a.width,
                                      class_names=camvid.CLASS_NAMES))
    model = model.to(device).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    cfg = {"batch": a.batch, "crop": parse_wh(a.crop), "lr": a.lr, "warmup": a.warmup,
           "epochs": a.epochs, "max_steps": a.max_steps}
    last, best_path = os.path.join(a.out, "last.pt"), os.path.join(a.out, "best.pt")
    csv_path, png_path = os.path.join(a.out, "log.csv"), os.path.join(a.out, "curve.png")
    start, best, spent = 0, -1.0, 0.0
    if os.path.exists(last) and not a.no_resume:
        ck = torch.load(last, map_location="cpu")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        set_rng_state(rng, ck["rng"])
        start, best, spent = ck["epoch"], ck["best_miou"], ck["seconds"]
        truncate_csv(csv_path, start)
        print(f"resuming {last}: {start} epochs done, best val mIoU {best:.2f}, {fmt_time(spent)} so far")
    elif os.path.exists(csv_path):
        os.remove(csv_path)
    print(f"{count_params(model):,} parameters; {len(tr_x)} train / {len(va_x)} val images; "
          f"device {device}, {torch.get_num_threads()} threads; class weights "
          + " ".join(f"{w:.2f}" for w in weights.tolist()))
    timer = Timer(spent)
    result = {}
    epochs_run = start
    for epoch in range(start, a.epochs):
        t0 = timer.elapsed()
        budget = a.time_budget * 60.0
        tp = (lambda: timer.elapsed() / budget) if budget > 0 else None
        loss = train_epoch(model, opt, tr_x, tr_y, weights, cfg, epoch, rng, device, tp)
        result = evaluate(model, va_x, va_y, device)
        if result["miou"] > best:
            best = result["miou"]
            save_atomic({"model": model.state_dict(), "epoch": epoch + 1, "val": result,
                         "width": a.width}, best_path)
        save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "rng": rng_state(rng),
                     "epoch": epoch + 1, "best_miou": best, "seconds": timer.elapsed(),
                     "args": vars(a)}, last)
        append_csv(csv_path, {"epoch": epoch + 1, "lr_end": f"{opt.param_groups[0]['lr']:.3e}",
                              "train_loss": f"{loss:.4f}", "val_miou": f"{result['miou']:.2f}",
                              "val_pixel_accuracy": f"{result['pixel_accuracy']:.2f}",
                              "val_class_accuracy": f"{result['class_accuracy']:.2f}",
                              "epoch_seconds": f"{timer.elapsed() - t0:.1f}"})
        plot_csv(csv_path, png_path, "float training on CamVid train, scored on val")
        print(f"epoch {epoch + 1}/{a.epochs}: loss {loss:.4f}  val mIoU {result['miou']:.2f}  "
              f"pixel acc {result['pixel_accuracy']:.2f}  best {best:.2f}  [{fmt_time(timer.elapsed())}]", flush=True)
        if budget > 0 and timer.elapsed() >= budget:
            print(f"time budget of {a.time_budget:g} min spent after {epoch + 1} epochs")
            epochs_run = epoch + 1
            break
    else:
        epochs_run = a.epochs
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump({"best_val_miou": best, "epochs": epochs_run, "seconds": timer.elapsed(),
                   "device": str(device), "threads": torch.get_num_threads(), "args": vars(a)}, f, indent=2)
    return {"best_miou": best, "last": result}


if __name__ == "__main__":
    main()
