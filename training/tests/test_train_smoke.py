"""Two-iteration training, resume and QAT-export smoke runs on a few CamVid images.

Skipped with a message when ../shared/data/camvid is absent."""
import csv
import os
import sys
import tempfile
import unittest

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg import camvid, qat, train  # noqa: E402

DATA = camvid.default_root()
HAVE_DATA = os.path.isdir(os.path.join(DATA, "train")) and os.path.isdir(os.path.join(DATA, "valannot"))


@unittest.skipUnless(HAVE_DATA, f"CamVid not found at {DATA}: training smoke tests skipped")
class TrainSmokeTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.tmp.name, "float")
        self.common = ["--data", DATA, "--limit", "4", "--batch", "2", "--crop", "96x64",
                       "--max-steps", "2", "--threads", "1", "--device", "cpu"]

    def tearDown(self):
        self.tmp.cleanup()

    def test_two_iterations_write_checkpoint_csv_and_resume(self):
        train.main(self.common + ["--out", self.out, "--epochs", "1", "--width", "0.25"])
        last = os.path.join(self.out, "last.pt")
        self.assertTrue(os.path.exists(last))
        ck = torch.load(last, map_location="cpu")
        self.assertEqual(ck["epoch"], 1)
        with open(os.path.join(self.out, "log.csv")) as f:
            self.assertEqual(len(list(csv.DictReader(f))), 1)
        # rerunning with more epochs continues from the checkpoint instead of starting over
        train.main(self.common + ["--out", self.out, "--epochs", "2", "--width", "0.25"])
        self.assertEqual(torch.load(last, map_location="cpu")["epoch"], 2)
        with open(os.path.join(self.out, "log.csv")) as f:
            self.assertEqual([r["epoch"] for r in csv.DictReader(f)], ["1", "2"])

    def test_refuses_a_batch_larger_than_the_training_set(self):
        # Before: 4 images in batches of 8 made epochs of zero steps, logged as loss 0.0000.
        args = ["--data", DATA, "--limit", "4", "--batch", "8", "--crop", "96x64", "--threads", "1",
                "--device", "cpu", "--epochs", "1", "--width", "0.25", "--out", self.out]
        with self.assertRaises(SystemExit) as e:
            train.main(args)
        self.assertIn("--batch 8", str(e.exception))
        self.assertIn("4 training images", str(e.exception))

    def test_resume_point_continues_a_run_whose_folder_is_gone(self):
        rp = os.path.join(self.tmp.name, "campaign", "v2.resume.pt")
        args = self.common + ["--arch", "v2", "--width", "0.25", "--splits", "train,val", "--crop",
                              "64x48,96x64@0.5", "--eval-every", "3", "--resume-point", rp]
        train.main(args + ["--out", self.out, "--epochs", "1"])
        ck = torch.load(os.path.join(self.out, "last.pt"), map_location="cpu")
        self.assertEqual(ck["config"]["c15"], 96)
        self.assertEqual(ck["args"]["splits"], "train,val")
        self.assertEqual(os.path.getsize(rp) < os.path.getsize(os.path.join(self.out, "last.pt")), True)
        # another machine: only the resume point is left
        other = os.path.join(self.tmp.name, "other")
        train.main(args + ["--out", other, "--epochs", "3"])
        ck2 = torch.load(os.path.join(other, "last.pt"), map_location="cpu")
        self.assertEqual(ck2["epoch"], 3)
        with open(os.path.join(other, "log.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["epoch"] for r in rows], ["1", "2", "3"])
        self.assertEqual(rows[1]["val_miou"], "")       # epoch 2 not scored with --eval-every 3
        self.assertNotEqual(rows[2]["val_miou"], "")    # epoch 3 is
        # a different recipe must not silently continue the campaign
        with self.assertRaises(SystemExit):
            train.main(self.common + ["--arch", "v1", "--width", "0.25", "--resume-point", rp,
                                      "--out", os.path.join(self.tmp.name, "third"), "--epochs", "3"])

    def test_qat_fine_tune_exports_qdq_with_camvid_metadata(self):
        train.main(self.common + ["--out", self.out, "--epochs", "1", "--width", "0.25"])
        q_out = os.path.join(self.tmp.name, "qat")
        path = os.path.join(q_out, "m.onnx")
        fpath = os.path.join(q_out, "f.onnx")
        qat.main(self.common + ["--checkpoint", os.path.join(self.out, "last.pt"), "--out", q_out,
                                "--export", path, "--float-export", fpath, "--epochs", "1",
                                "--observer-epochs", "1", "--calibration-images", "2"])
        m = onnx.load(path)
        onnx.checker.check_model(m)
        ops = {n.op_type for n in m.graph.node}
        self.assertIn("QuantizeLinear", ops)
        self.assertNotIn("QuantizeLinear", {n.op_type for n in onnx.load(fpath).graph.node})
        meta = {p.key: p.value for p in m.metadata_props}
        self.assertEqual(meta["void_index"], "11")
        self.assertIn("Bicyclist", meta["class_names"])
        self.assertTrue(os.path.exists(os.path.join(q_out, "last.pt")))


if __name__ == "__main__":
    unittest.main()
