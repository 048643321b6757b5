"""Markdown tables for the model card (models/README.md) from a finished run.

    python3 -m attendseg.card_tables --float-run runs/float --qat-run runs/qat --engine-eval int8_val.json

`--qat-run` is the run folder of `attendseg.qat` (with `--epochs 0`: calibration only).

`--engine-eval` is the JSON written by `attendseg eval --images .../val --labels .../valannot
--ignore 11 --json FILE` (our native engine on the shipped QDQ file)."""
from __future__ import annotations

import argparse
import json
import os

import torch

from . import camvid
from .flops import count_macs
from .loop import fmt_time, read_csv
from .model import AttendSeg, config_for, count_params


def _f(v) -> str:
    return "n/a" if v is None or v != v else f"{v:.2f}"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--float-run", required=True)
    ap.add_argument("--qat-run", required=True)
    ap.add_argument("--engine-eval", required=True)
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    fsum = json.load(open(os.path.join(a.float_run, "summary.json")))
    qsum = json.load(open(os.path.join(a.qat_run, "summary.json")))
    eng = json.load(open(a.engine_eval))
    rows = read_csv(os.path.join(a.float_run, "log.csv"))

    # The run's own topology: the default one is not what a campaign with --arch trained.
    args = fsum.get("args", {})
    m = AttendSeg(config_for(args.get("arch", "v1"), num_classes=camvid.NUM_CLASSES, width=args.get("width", 1.0)))
    print("| | value |\n|---|---|")
    print(f"| parameters | {count_params(m):,} |")
    for w, h in ((480, 360), (512, 512)):
        t = count_macs(m, h, w)
        print(f"| conv MACs at {w}x{h} | {t['conv'] / 1e9:.2f} G (depthwise {t['dwconv'] / 1e9:.2f} G, "
              f"pointwise {t['pwconv'] / 1e9:.2f} G) |")
    print()
    print("| step | epochs | wall time | device |\n|---|---|---|---|")
    print(f"| float training | {fsum['epochs']} | {fmt_time(fsum['seconds'])} | {fsum['device']}, {fsum['threads']} threads |")
    calibrated_only = qsum["qat_epochs"] == 0
    step = "calibration + export (no QAT)" if calibrated_only else "QAT fine-tuning + export"
    print(f"| {step} | {qsum['qat_epochs']} | {fmt_time(qsum['qat_seconds'])} | "
          f"{qsum['device']}, {qsum['threads']} threads |")
    scored = [r for r in rows if r.get("val_miou")]  # --eval-every N leaves the other epochs blank
    if scored:
        best = max(scored, key=lambda r: float(r["val_miou"]))
        print(f"\nFloat run: last scored epoch ({scored[-1]['epoch']}) val mIoU {scored[-1]['val_miou']}, "
              f"best {best['val_miou']} (epoch {best['epoch']}).")
    print()
    fv, qv = qsum["float_val"], qsum["fake_quant_val"]
    print("| CamVid val (101 images, 480x360, void ignored) | mIoU | pixel accuracy | class-average accuracy |")
    print("|---|---|---|---|")
    print(f"| float (PyTorch, BatchNorm) | {_f(fv['miou'])} | {_f(fv['pixel_accuracy'])} | {_f(fv['class_accuracy'])} |")
    graph = "calibrated graph" if calibrated_only else "QAT graph"
    print(f"| fake-quant int8 (PyTorch {graph}) | {_f(qv['miou'])} | {_f(qv['pixel_accuracy'])} | {_f(qv['class_accuracy'])} |")
    print(f"| **int8, our native engine** ({eng['model']['isa']}) | **{_f(eng['miou'])}** | **{_f(eng['pixel_accuracy'])}** | "
          f"**{_f(eng['class_average_accuracy'])}** |")
    print()
    print("| class | float IoU | int8 engine IoU | int8 engine accuracy |\n|---|---|---|---|")
    for i, name in enumerate(camvid.CLASS_NAMES):
        print(f"| {name} | {_f(fv['per_class_iou'][i])} | {_f(eng['per_class_iou'].get(name))} | "
              f"{_f(eng['per_class_accuracy'].get(name))} |")


if __name__ == "__main__":
    main()
