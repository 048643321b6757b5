"""The model card's tables from a finished run (attendseg.card_tables), on files written here."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg import camvid, card_tables  # noqa: E402
from attendseg.model import AttendSeg, config_for, count_params  # noqa: E402


def _scores(miou: float) -> dict:
    return {"miou": miou, "pixel_accuracy": 90.0, "class_accuracy": 80.0,
            "per_class_iou": [miou] * camvid.NUM_CLASSES}


class CardTablesTest(unittest.TestCase):
    def test_counts_the_run_s_architecture_and_skips_epochs_without_val(self):
        with tempfile.TemporaryDirectory() as tmp:
            run, cal = os.path.join(tmp, "float"), os.path.join(tmp, "cal")
            os.makedirs(run)
            os.makedirs(cal)
            with open(os.path.join(run, "summary.json"), "w") as f:
                json.dump({"epochs": 3, "seconds": 60.0, "device": "cpu", "threads": 2,
                           "args": {"arch": "v2", "width": 1.0}}, f)
            # --eval-every 2: epochs without a val score leave the column empty
            with open(os.path.join(run, "log.csv"), "w") as f:
                f.write("epoch,lr_end,train_loss,val_miou,val_pixel_accuracy,val_class_accuracy,epoch_seconds\n"
                        "1,1e-3,2.0,,,,20\n2,1e-3,1.5,61.5,90,80,20\n3,1e-4,1.2,,,,20\n")
            with open(os.path.join(cal, "summary.json"), "w") as f:
                json.dump({"float_val": _scores(61.5), "fake_quant_val": _scores(61.4), "qat_epochs": 0,
                           "qat_seconds": 5.0, "device": "cpu", "threads": 2}, f)
            engine = os.path.join(tmp, "int8_val.json")
            names = camvid.CLASS_NAMES
            with open(engine, "w") as f:
                json.dump({"miou": 61.3, "pixel_accuracy": 90.0, "class_average_accuracy": 80.0,
                           "model": {"isa": "avx2"}, "per_class_iou": {n: 61.3 for n in names},
                           "per_class_accuracy": {n: 80.0 for n in names}}, f)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                card_tables.main(["--float-run", run, "--qat-run", cal, "--engine-eval", engine])
        text = out.getvalue()
        v2 = count_params(AttendSeg(config_for("v2", num_classes=camvid.NUM_CLASSES)))
        self.assertIn(f"| parameters | {v2:,} |", text)
        self.assertIn("best 61.5 (epoch 2)", text)
        self.assertIn("| **int8, our native engine** (avx2) | **61.30** |", text)


if __name__ == "__main__":
    unittest.main()
