"""The compact CamVid copy for a lent GPU machine (attendseg.pack_camvid): exact labels, JPEG
images of the same size, readable by `--data`, small enough to travel.

Skipped with a message when ../shared/data/camvid is absent."""
import filecmp
import os
import sys
import tempfile
import unittest

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg import camvid, dataset, pack_camvid, train  # noqa: E402

DATA = camvid.default_root()
HAVE_DATA = os.path.isdir(os.path.join(DATA, "val")) and os.path.isdir(os.path.join(DATA, "valannot"))


@unittest.skipUnless(HAVE_DATA, f"CamVid not found at {DATA}: pack tests skipped")
class PackCamvidTest(unittest.TestCase):
    def test_val_packed_exact_labels_jpeg_images_and_trainable(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "pack")
            r = pack_camvid.pack(DATA, out, splits=("val",))
            src = dataset.split_files(camvid.spec(DATA), "val")
            packed = dataset.split_files(camvid.spec(out), "val")
            self.assertEqual(r["val"], len(src))
            self.assertEqual(len(packed), len(src))
            for (si, sl), (pi, pl) in zip(src, packed):
                self.assertTrue(pi.endswith(".jpg"))
                self.assertTrue(filecmp.cmp(sl, pl, shallow=False), f"{pl} differs from {sl}")
                with Image.open(si) as a, Image.open(pi) as b:
                    self.assertEqual(a.size, b.size)
                    self.assertEqual(b.format, "JPEG")
            # 101 frames in well under a quarter of the 64 MiB that travels to a lent machine
            self.assertLess(r["bytes"], 8 * 2**20)
            run = os.path.join(tmp, "run")
            train.main(["--data", out, "--splits", "val", "--limit", "4", "--batch", "2", "--crop", "96x64",
                        "--max-steps", "2", "--threads", "1", "--device", "cpu", "--epochs", "1", "--width", "0.25",
                        "--out", run])
            self.assertTrue(os.path.exists(os.path.join(run, "last.pt")))


if __name__ == "__main__":
    unittest.main()
