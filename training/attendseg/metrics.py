"""Segmentation scores from a confusion matrix (rows: ground truth, columns: prediction)."""
from __future__ import annotations

import torch


def confusion(pred: torch.Tensor, target: torch.Tensor, num_classes: int, ignore: int) -> torch.Tensor:
    keep = target != ignore
    t = target[keep].long()
    p = pred[keep].long()
    return torch.bincount(t * num_classes + p, minlength=num_classes * num_classes).view(num_classes, num_classes)


def scores(cm: torch.Tensor) -> dict:
    """mIoU, per-class IoU, pixel accuracy and class-average accuracy, all in percent. Classes absent
    from both ground truth and prediction are left out of the means (NaN in the per-class lists)."""
    cm = cm.double()
    tp = cm.diag()
    gt = cm.sum(1)
    pr = cm.sum(0)
    union = gt + pr - tp
    iou = torch.where(union > 0, tp / union.clamp(min=1), torch.full_like(tp, float("nan")))
    acc = torch.where(gt > 0, tp / gt.clamp(min=1), torch.full_like(tp, float("nan")))
    valid_iou = iou[~torch.isnan(iou)]
    valid_acc = acc[~torch.isnan(acc)]
    return {
        "miou": 100.0 * valid_iou.mean().item() if len(valid_iou) else float("nan"),
        "pixel_accuracy": 100.0 * (tp.sum() / cm.sum().clamp(min=1)).item(),
        "class_accuracy": 100.0 * valid_acc.mean().item() if len(valid_acc) else float("nan"),
        "per_class_iou": [100.0 * v for v in iou.tolist()],
    }
