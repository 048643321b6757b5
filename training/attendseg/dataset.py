"""A labelled image dataset: its classes, colours, void label and where each split's images and
label maps live. CamVid is one (camvid.spec()); a user's own data is described by a YAML file:

    classes:                       # index = position; any number of classes (1..255)
      - {name: floor, color: [128, 64, 128]}
      - {name: obstacle, color: [220, 20, 60]}
    void: 255                      # label value left out of the loss and the scores (default 255)
    images: "{split}"              # folder of a split's images, relative to this file (default)
    labels: "{split}_labels"       # folder of its label PNGs, same file stems (default)
    root: .                        # optional: where those folders are, relative to this file

Images are PNG or JPEG (RGB). A label map is a PNG of class indices (mode L or P), or an RGB PNG
in the classes' colours (a colour of no class becomes void). Every split is decoded once into
memory (uint8 tensors), since decoding per step would cost as much as a training step on a CPU."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np
import torch
from PIL import Image

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


@dataclass
class DatasetSpec:
    root: str
    class_names: list
    palette: list                  # [r, g, b] per class
    void: int = 255
    images: str = "{split}"
    labels: str = "{split}_labels"
    source: str = ""               # the YAML file, or a name for built-in specs
    extra: dict = field(default_factory=dict)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def image_dir(self, split: str) -> str:
        return os.path.join(self.root, self.images.format(split=split))

    def label_dir(self, split: str) -> str:
        return os.path.join(self.root, self.labels.format(split=split))


def dataset_dict(spec: DatasetSpec) -> dict:
    """What a checkpoint keeps of its dataset, so the export writes the right metadata."""
    return {"class_names": list(spec.class_names), "palette": [list(c) for c in spec.palette], "void": spec.void,
            "source": spec.source}


def load_spec(path: str) -> DatasetSpec:
    """Reads a dataset YAML file; errors name the file and the field."""
    import yaml

    with open(path) as f:
        d = yaml.safe_load(f)
    where = f"dataset file {path}"
    if not isinstance(d, dict):
        raise ValueError(f"{where}: expected a mapping with 'classes'")
    classes = d.get("classes")
    if not isinstance(classes, list) or not 1 <= len(classes) <= 255:
        raise ValueError(f"{where}: 'classes' must be a list of 1 to 255 entries")
    names, palette = [], []
    for i, c in enumerate(classes):
        if isinstance(c, str):
            c = {"name": c}
        if not isinstance(c, dict) or not isinstance(c.get("name"), str) or not c["name"]:
            raise ValueError(f"{where}: class {i} needs a 'name'")
        color = c.get("color", _default_color(i))
        if (not isinstance(color, list) or len(color) != 3
                or not all(isinstance(v, int) and 0 <= v <= 255 for v in color)):
            raise ValueError(f"{where}: class {i} ('{c['name']}') color must be [r, g, b] in 0..255")
        names.append(c["name"])
        palette.append(list(color))
    if len(set(names)) != len(names):
        raise ValueError(f"{where}: class names must be unique")
    void = d.get("void", 255)
    if not isinstance(void, int) or not 0 <= void <= 255 or void < len(names):
        raise ValueError(f"{where}: 'void' must be an integer in {len(names)}..255 (not a class index)")
    base = os.path.dirname(os.path.abspath(path))
    root = os.path.normpath(os.path.join(base, str(d.get("root", "."))))
    spec = DatasetSpec(root=root, class_names=names, palette=palette, void=void, source=path)
    for key in ("images", "labels"):
        if key in d:
            if not isinstance(d[key], str) or "{split}" not in d[key]:
                raise ValueError(f"{where}: '{key}' must be a folder pattern containing {{split}}")
            setattr(spec, key, d[key])
    return spec


def _default_color(i: int) -> list:
    rng = np.random.RandomState(1000 + i)
    return rng.randint(0, 256, size=3).tolist()


def split_files(spec: DatasetSpec, split: str) -> list[tuple[str, str]]:
    img_dir, lab_dir = spec.image_dir(split), spec.label_dir(split)
    if not os.path.isdir(img_dir) or not os.path.isdir(lab_dir):
        raise FileNotFoundError(f"split '{split}' not found: expected {img_dir} and {lab_dir}")
    names = sorted(n for n in os.listdir(img_dir) if n.lower().endswith(IMAGE_EXTENSIONS))
    if not names:
        raise FileNotFoundError(f"split '{split}': no PNG or JPEG images in {img_dir}")
    pairs, missing = [], []
    for n in names:
        stem = os.path.splitext(n)[0]
        lab = os.path.join(lab_dir, stem + ".png")
        if os.path.isfile(lab):
            pairs.append((os.path.join(img_dir, n), lab))
        else:
            missing.append(n)
    if missing:
        raise FileNotFoundError(f"{len(missing)} images in {img_dir} have no label PNG in {lab_dir}, e.g. {missing[0]}")
    return pairs


def read_label(spec: DatasetSpec, path: str) -> np.ndarray:
    """Class indices [H, W] uint8 from an index PNG (L or P) or a colour PNG in the palette."""
    im = Image.open(path)
    if im.mode in ("L", "P"):
        lab = np.asarray(im, dtype=np.uint8)
    elif im.mode in ("RGB", "RGBA"):
        rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
        key = (rgb[..., 0].astype(np.int32) << 16) | (rgb[..., 1].astype(np.int32) << 8) | rgb[..., 2]
        lab = np.full(key.shape, spec.void, dtype=np.uint8)
        for k, (r, g, b) in enumerate(spec.palette):
            lab[key == ((r << 16) | (g << 8) | b)] = k
    else:
        raise ValueError(f"label {path}: mode {im.mode} is neither class indices (L, P) nor colours (RGB)")
    bad = (lab >= spec.num_classes) & (lab != spec.void)
    if bad.any():
        raise ValueError(f"label {path} has value {int(lab[bad].max())}, which is neither a class "
                         f"(0..{spec.num_classes - 1}) nor void ({spec.void})")
    return lab


def load_split(spec: DatasetSpec, split: str, limit: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Images as uint8 [N, 3, H, W] (RGB), labels as uint8 [N, H, W]. All images of a split must
    share one size (they are stacked); training crops and rescales them."""
    imgs, labs = [], []
    for ip, lp in split_files(spec, split)[:limit]:
        img = np.asarray(Image.open(ip).convert("RGB"), dtype=np.uint8)
        lab = read_label(spec, lp)
        if lab.shape != img.shape[:2]:
            raise ValueError(f"label {lp} is {lab.shape[1]}x{lab.shape[0]}, image {ip} is {img.shape[1]}x{img.shape[0]}")
        if imgs and tuple(img.shape[:2]) != tuple(imgs[0].shape[1:]):
            raise ValueError(f"image {ip} is {img.shape[1]}x{img.shape[0]}, the split's first is "
                             f"{imgs[0].shape[2]}x{imgs[0].shape[1]}: resize the split to one size")
        imgs.append(torch.from_numpy(img.copy()).permute(2, 0, 1))
        labs.append(torch.from_numpy(lab.copy()))
    return torch.stack(imgs), torch.stack(labs)


def class_weights(labels: torch.Tensor, num_classes: int, void: int, c: float = 1.10) -> torch.Tensor:
    """w_k = 1 / ln(c + p_k) (ENet's rule with a milder c): rare classes such as Pole, SignSymbol,
    Pedestrian and Bicyclist get about 3x the weight of Road, so they are not ignored, without the
    pixel-accuracy loss of median-frequency weights. Normalised to a pixel-weighted mean of 1;
    classes absent from the training labels get the largest weight."""
    flat = labels.flatten().long()
    counts = torch.bincount(flat[flat != void], minlength=num_classes)[:num_classes].double()
    p = counts / counts.sum().clamp(min=1)
    w = 1.0 / torch.log(c + p)
    w = w / (w * p).sum().clamp(min=1e-12)
    return w.float()
