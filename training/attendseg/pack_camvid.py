"""A compact copy of CamVid for a machine that cannot read ../shared (a lent GPU machine, whose
working tree travels with a size cap): images as JPEG, labels as the same index PNGs, in the
layout `--data` reads (train/ + trainannot/, val/ + valannot/). Labels are copied as they are
(exact); the images lose what JPEG at the given quality loses (q90, 4:2:0: about 25 MiB for
train+val with the labels, so the copy and the repository fit the 64 MiB that travels; the
training augmentation's colour jitter changes pixels far more). The test split is never copied.

    python3 -m attendseg.pack_camvid --out camvid-pack            # from training/ (ignored by git)
"""
from __future__ import annotations

import argparse
import os
import shutil

from PIL import Image

from . import camvid, dataset

SPLITS = ("train", "val")


def pack(src: str, out: str, quality: int = 90, splits=SPLITS) -> dict:
    """Writes the copy; returns {split: images} and the bytes written under 'bytes'."""
    ds = camvid.spec(src)
    written, counts = 0, {}
    for split in splits:
        img_dir, lab_dir = os.path.join(out, split), os.path.join(out, split + "annot")
        os.makedirs(img_dir, exist_ok=True)
        os.makedirs(lab_dir, exist_ok=True)
        pairs = dataset.split_files(ds, split)
        for ip, lp in pairs:
            stem = os.path.splitext(os.path.basename(ip))[0]
            jpg = os.path.join(img_dir, stem + ".jpg")
            Image.open(ip).convert("RGB").save(jpg, quality=quality)
            png = os.path.join(lab_dir, stem + ".png")
            shutil.copyfile(lp, png)
            written += os.path.getsize(jpg) + os.path.getsize(png)
        counts[split] = len(pairs)
    return {**counts, "bytes": written}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=camvid.default_root(), help="CamVid root (train/, trainannot/, val/, valannot/)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--quality", type=int, default=90, help="JPEG quality of the images")
    a = ap.parse_args(argv)
    r = pack(a.data, a.out, a.quality)
    print(f"{a.out}: " + ", ".join(f"{s} {r[s]} images" for s in SPLITS) + f", {r['bytes'] / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
