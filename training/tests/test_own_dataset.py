"""Training on a user's own labelled folders: the example of training/README.md ("Your own data"),
made small. A synthetic 3-class dataset (one split with colour label PNGs, one with index PNGs,
JPEG and PNG images, void 255) is trained for one short epoch, quantized and exported; the ONNX
file carries the dataset's classes, colours and void label, and the engine loads and runs it."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg import dataset, qat, train  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLASSES = [("floor", [128, 64, 128]), ("wall", [70, 70, 70]), ("person", [220, 20, 60])]

YAML = """\
classes:
  - {name: floor, color: [128, 64, 128]}
  - {name: wall, color: [70, 70, 70]}
  - {name: person, color: [220, 20, 60]}
void: 255
images: "{split}/images"
labels: "{split}/labels"
"""


def make_dataset(root: str, n: int = 6, w: int = 64, h: int = 48) -> str:
    rng = np.random.RandomState(0)
    for split, colour_labels in (("train", True), ("val", False)):
        os.makedirs(os.path.join(root, split, "images"))
        os.makedirs(os.path.join(root, split, "labels"))
        for i in range(n):
            lab = np.zeros((h, w), np.uint8)
            lab[: h // 2] = 1                                   # wall above, floor below
            x0 = rng.randint(0, w - 12)
            lab[h // 4: h - 4, x0:x0 + 10] = 2                  # a person
            lab[:2, :] = 255                                    # an unlabelled band
            img = np.zeros((h, w, 3), np.uint8)
            for k, (_, c) in enumerate(CLASSES):
                img[lab == k] = c
            img = np.clip(img.astype(int) + rng.randint(-20, 20, img.shape), 0, 255).astype(np.uint8)
            ext = ".jpg" if i % 2 else ".png"
            Image.fromarray(img).save(os.path.join(root, split, "images", f"f{i}{ext}"))
            if colour_labels:
                rgb = np.zeros((h, w, 3), np.uint8)             # void stays black: no class's colour
                for k, (_, c) in enumerate(CLASSES):
                    rgb[lab == k] = c
                Image.fromarray(rgb).save(os.path.join(root, split, "labels", f"f{i}.png"))
            else:
                Image.fromarray(lab, mode="L").save(os.path.join(root, split, "labels", f"f{i}.png"))
    path = os.path.join(root, "dataset.yaml")
    with open(path, "w") as f:
        f.write(YAML)
    return path


class OwnDatasetTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.yaml = make_dataset(os.path.join(self.tmp, "data"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_spec_and_labels(self):
        spec = dataset.load_spec(self.yaml)
        self.assertEqual(spec.class_names, ["floor", "wall", "person"])
        self.assertEqual(spec.void, 255)
        x, y = dataset.load_split(spec, "train")
        self.assertEqual(tuple(x.shape), (6, 3, 48, 64))
        # colour labels map back to indices, black (no class) to void
        self.assertEqual(set(np.unique(y.numpy()).tolist()), {0, 1, 2, 255})
        _, yv = dataset.load_split(spec, "val")
        self.assertEqual(set(np.unique(yv.numpy()).tolist()), {0, 1, 2, 255})

    def test_bad_files_name_the_problem(self):
        bad = os.path.join(self.tmp, "bad.yaml")
        for text, words in (("classes: []\n", "classes"), ("classes: [a, b]\nvoid: 1\n", "void"),
                            ("classes: [{name: a, color: [1, 2]}]\n", "color")):
            with open(bad, "w") as f:
                f.write(text)
            with self.assertRaises(ValueError) as e:
                dataset.load_spec(bad)
            self.assertIn(words, str(e.exception))
            self.assertIn(bad, str(e.exception))
        spec = dataset.load_spec(self.yaml)
        Image.fromarray(np.full((48, 64), 7, np.uint8), mode="L").save(
            os.path.join(self.tmp, "data", "val", "labels", "f0.png"))
        with self.assertRaises(ValueError) as e:
            dataset.load_split(spec, "val")
        self.assertIn("value 7", str(e.exception))

    def test_train_export_and_the_engine_loads_it(self):
        out = os.path.join(self.tmp, "run")
        common = ["--dataset", self.yaml, "--batch", "2", "--crop", "64x48", "--threads", "1", "--device", "cpu"]
        train.main(common + ["--out", out, "--epochs", "1", "--width", "0.25"])
        model = os.path.join(self.tmp, "mine.onnx")
        qat.main(common + ["--checkpoint", os.path.join(out, "last.pt"), "--out", os.path.join(self.tmp, "q"),
                           "--export", model, "--epochs", "0", "--calibration-images", "4",
                           "--input-size", "64x48"])
        m = onnx.load(model)
        meta = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(json.loads(meta["class_names"]), ["floor", "wall", "person"])
        self.assertEqual(json.loads(meta["palette"])[2], [220, 20, 60])
        self.assertEqual(meta["void_index"], "255")
        lib = os.path.join(REPO, "lib", "index.js")
        if not os.path.exists(lib) or shutil.which("node") is None:
            self.skipTest(f"engine check skipped: {lib} not built (npm ci) or no node")
        js = ("const {Engine} = require(process.argv[1]);"
              "const e = Engine.fromFile(process.argv[2], {threads: 1});"
              "const f = {encoding: 'rgb8', width: 64, height: 48, step: 192, data: Buffer.alloc(64 * 48 * 3, 90)};"
              "const r = e.runSync(f, {label: true});"
              "console.log(JSON.stringify({classes: e.numClasses, n: r.label.length, max: Math.max(...r.label)}));")
        res = subprocess.run(["node", "-e", js, lib, model], capture_output=True, text=True, timeout=120)
        self.assertEqual(res.returncode, 0, res.stderr)
        got = json.loads(res.stdout.strip().splitlines()[-1])
        self.assertEqual(got["classes"], 3)
        self.assertEqual(got["n"], 64 * 48)
        self.assertLess(got["max"], 3)


if __name__ == "__main__":
    unittest.main()
