"""Metrics against hand-computed cases, and the augmentation's contract."""
import math
import os
import random
import sys
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from attendseg import camvid, dataset  # noqa: E402
from attendseg.metrics import confusion, scores  # noqa: E402


class MetricsTest(unittest.TestCase):
    def test_hand_computed(self):
        # ground truth / prediction over 3 classes, one ignored pixel (label 9)
        gt = torch.tensor([0, 0, 1, 1, 2, 2, 9])
        pr = torch.tensor([0, 1, 1, 1, 2, 0, 2])
        cm = confusion(pr, gt, 3, ignore=9)
        self.assertEqual(cm.tolist(), [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
        s = scores(cm)
        # IoU: class0 1/(2+2-1)=1/3, class1 2/(2+3-2)=2/3, class2 1/(2+1-1)=1/2
        self.assertAlmostEqual(s["miou"], 100 * (1 / 3 + 2 / 3 + 1 / 2) / 3, places=6)
        self.assertAlmostEqual(s["pixel_accuracy"], 100 * 4 / 6, places=6)
        self.assertAlmostEqual(s["class_accuracy"], 100 * (1 / 2 + 1 + 1 / 2) / 3, places=6)

    def test_absent_class_left_out(self):
        cm = confusion(torch.tensor([0, 0]), torch.tensor([0, 0]), 2, ignore=255)
        s = scores(cm)
        self.assertEqual(s["miou"], 100.0)
        self.assertTrue(math.isnan(s["per_class_iou"][1]))


class AugmentTest(unittest.TestCase):
    def test_shapes_padding_and_labels(self):
        rng = random.Random(0)
        imgs = torch.randint(0, 256, (3, 3, 36, 48), dtype=torch.uint8)
        labs = torch.randint(0, 11, (3, 36, 48), dtype=torch.uint8)
        for _ in range(10):
            x, y = camvid.augment_batch(imgs, labs, (40, 56), rng)
            self.assertEqual(tuple(x.shape), (3, 3, 40, 56))
            self.assertEqual(tuple(y.shape), (3, 40, 56))
            self.assertEqual(y.dtype, torch.long)
            # nearest resizing and void padding never invent label values
            self.assertTrue(bool(((y >= 0) & (y <= camvid.VOID)).all()))

    def test_class_weights_favour_rare_classes(self):
        labs = torch.zeros(1, 10, 100, dtype=torch.uint8)
        labs[0, 0, :5] = 2          # class 2 is rare
        labs[0, 1:, :] = 3
        w = dataset.class_weights(labs, camvid.NUM_CLASSES, camvid.VOID)
        self.assertGreater(w[2].item(), 2 * w[3].item())
