"""Quantization-aware fine-tuning of a trained float network, then the QDQ and float ONNX export.

    python3 -m attendseg.qat --checkpoint runs/float/last.pt --out runs/qat \\
        --export ../models/attendseg_camvid.onnx --float-export runs/qat/attendseg_camvid_fp32.onnx

BatchNorm is folded first, so fine-tuning trains exactly the graph that is exported: int8
per-channel symmetric weights and uint8 per-tensor activations. Observers run for the first epochs
and are then frozen, so the last epochs adapt the weights to fixed quantization grids. Like float
training, it checkpoints every epoch and resumes after an interruption."""
from __future__ import annotations

import argparse
import json
import os

import torch

from . import camvid, dataset
from .export import export_onnx, make_metadata
from .loop import (Timer, append_csv, evaluate, fmt_time, parse_crops, pick_device, plot_csv, rng_state,
                   save_atomic, seed_all, set_rng_state, train_epoch, truncate_csv)
from .model import AttendSeg, AttendSegConfig, config_dict
from .quantize import WEIGHT_QMAX_FULL, calibrate, prepare_qat, set_fake_quant, set_observers


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="QAT fine-tuning on CamVid and ONNX export")
    ap.add_argument("--checkpoint", required=True, help="float checkpoint from attendseg.train (last.pt or best.pt)")
    ap.add_argument("--dataset", default="", help="dataset YAML file, as for attendseg.train; default: CamVid at --data")
    ap.add_argument("--data", default=camvid.default_root())
    ap.add_argument("--out", required=True, help="run folder")
    ap.add_argument("--export", required=True, help="QDQ int8 ONNX file to write")
    ap.add_argument("--float-export", help="float ONNX of the same network (for the benchmark)")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--observer-epochs", type=int, default=3, help="epochs with observers on; frozen after")
    ap.add_argument("--calibration-images", type=int, default=32)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--crop", default="384x288")
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--weight-qmax", type=int, default=WEIGHT_QMAX_FULL,
                    help="weights quantized per channel to (-qmax, qmax), scale max|w| / qmax; 127 (default): "
                         "(-128, 127). 64 lets the AVX2 engine use its exact u8 x s8 maddubs GEMM. Depthwise convs "
                         "keep (-128, 127)")
    ap.add_argument("--full-range-convs", default="",
                    help="comma-separated conv modules (e.g. stem.0,classifier) kept at (-128, 127) under --weight-qmax")
    ap.add_argument("--input-size", default="480x360", help="network input WxH recorded in the metadata")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--seed", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--max-steps", type=int, default=0)
    ap.add_argument("--no-resume", action="store_true")
    return ap.parse_args(argv)


def build(src: dict, ds: dataset.DatasetSpec) -> tuple[torch.nn.Module, dict]:
    """The network a float checkpoint was trained as: its stored config, or (checkpoints from before
    configs were stored) the v1 topology at the stored width."""
    if "config" in src:
        cfg = AttendSegConfig(**src["config"])
    else:
        width = src.get("width", src.get("args", {}).get("width", 1.0))
        cfg = AttendSegConfig(num_classes=ds.num_classes, width=width, class_names=ds.class_names)
    if cfg.num_classes != ds.num_classes:
        raise SystemExit(f"the checkpoint has {cfg.num_classes} classes, the dataset {ds.num_classes}: "
                         "give the --dataset it was trained on")
    return AttendSeg(cfg), config_dict(cfg)


def main(argv=None) -> dict:
    a = parse_args(argv)
    torch.set_num_threads(a.threads or os.cpu_count() or 1)
    device = pick_device(a.device)
    os.makedirs(a.out, exist_ok=True)
    rng = seed_all(a.seed)
    limit = a.limit or None
    ds = dataset.load_spec(a.dataset) if a.dataset else camvid.spec(a.data)
    tr_x, tr_y = dataset.load_split(ds, "train", limit)
    va_x, va_y = dataset.load_split(ds, "val", limit)
    weights = dataset.class_weights(tr_y, ds.num_classes, ds.void)
    src = torch.load(a.checkpoint, map_location="cpu")
    model, config = build(src, ds)
    score = lambda: evaluate(model, va_x, va_y, device, num_classes=ds.num_classes, void=ds.void)
    model.load_state_dict(src["model"])
    model = model.to(device).to(memory_format=torch.channels_last)
    float_val = score()
    print(f"float checkpoint {a.checkpoint}: val mIoU {float_val['miou']:.2f}, pixel acc {float_val['pixel_accuracy']:.2f}")

    prepare_qat(model, a.weight_qmax, [n for n in a.full_range_convs.split(",") if n])
    model = model.to(device)
    last = os.path.join(a.out, "last.pt")
    csv_path, png_path = os.path.join(a.out, "log.csv"), os.path.join(a.out, "curve.png")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0)
    start, spent = 0, 0.0
    if os.path.exists(last) and not a.no_resume:
        ck = torch.load(last, map_location="cpu")
        prev = ck.get("args", {})
        prev = (prev.get("weight_qmax", WEIGHT_QMAX_FULL), prev.get("full_range_convs", ""))
        if prev != (a.weight_qmax, a.full_range_convs):
            raise SystemExit(f"{last} was trained with --weight-qmax {prev[0]} --full-range-convs '{prev[1]}'; "
                             "use the same, another --out or --no-resume")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optimizer"])
        set_rng_state(rng, ck["rng"])
        start, spent = ck["epoch"], ck["seconds"]
        truncate_csv(csv_path, start)
        print(f"resuming {last}: {start} QAT epochs done")
    else:
        if os.path.exists(csv_path):
            os.remove(csv_path)
        n = min(a.calibration_images, len(tr_x))
        calibrate(model, (camvid.normalize(tr_x[i:i + 4]).to(device).contiguous(memory_format=torch.channels_last)
                          for i in range(0, n, 4)))
        q0 = score()
        print(f"after calibration (fake-quant): val mIoU {q0['miou']:.2f}, pixel acc {q0['pixel_accuracy']:.2f}")
    cfg = {"batch": a.batch, "crops": parse_crops(a.crop), "lr": a.lr, "warmup": 0.0,
           "epochs": a.epochs, "max_steps": a.max_steps, "void": ds.void}
    timer = Timer(spent)
    result = score() if start >= a.epochs else {}
    for epoch in range(start, a.epochs):
        t0 = timer.elapsed()
        set_observers(model, epoch < a.observer_epochs)
        loss = train_epoch(model, opt, tr_x, tr_y, weights, cfg, epoch, rng, device)
        set_observers(model, False)
        result = score()
        save_atomic({"model": model.state_dict(), "optimizer": opt.state_dict(), "rng": rng_state(rng),
                     "epoch": epoch + 1, "seconds": timer.elapsed(), "config": config, "args": vars(a)}, last)
        append_csv(csv_path, {"epoch": epoch + 1, "lr_end": f"{opt.param_groups[0]['lr']:.3e}",
                              "train_loss": f"{loss:.4f}", "val_miou": f"{result['miou']:.2f}",
                              "val_pixel_accuracy": f"{result['pixel_accuracy']:.2f}",
                              "val_class_accuracy": f"{result['class_accuracy']:.2f}",
                              "epoch_seconds": f"{timer.elapsed() - t0:.1f}"})
        plot_csv(csv_path, png_path, "QAT fine-tuning (fake-quant), scored on val")
        print(f"QAT epoch {epoch + 1}/{a.epochs}: loss {loss:.4f}  fake-quant val mIoU {result['miou']:.2f}  "
              f"pixel acc {result['pixel_accuracy']:.2f}  [{fmt_time(timer.elapsed())}]", flush=True)

    set_observers(model, False)
    model = model.to("cpu").to(memory_format=torch.contiguous_format)
    w, h = (int(v) for v in a.input_size.lower().split("x"))
    meta = make_metadata(ds.class_names, w, h, palette=ds.palette, void_index=ds.void,
                         mean=camvid.MEAN, std=camvid.STD)
    export_onnx(model, a.export, meta, quantized=True)
    print("wrote", a.export)
    if a.float_export:
        export_onnx(model, a.float_export, meta, quantized=False)
        print("wrote", a.float_export)
    set_fake_quant(model, True)
    summary = {"float_val": {k: v for k, v in float_val.items() if k != "confusion"},
               "fake_quant_val": {k: v for k, v in result.items() if k != "confusion"},
               "qat_epochs": a.epochs, "qat_seconds": timer.elapsed(), "device": str(device),
               "threads": torch.get_num_threads(), "args": vars(a)}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    return summary


if __name__ == "__main__":
    main()
