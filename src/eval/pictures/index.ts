// The evaluation's pictures: confusion matrix, per-class IoU, sample frames.
import * as fs from 'fs';
import * as path from 'path';

import { ensureDir } from '../../bag/ensure-dir';
import type { EvalReport } from '../report';
import { confusionPicture } from './confusion-picture';
import { iouPicture } from './iou-picture';
import { samplesPicture } from './samples-picture';

export const PICTURE_FILES = { confusion: 'confusion_matrix.png', iou: 'per_class_iou.png', samples: 'samples.png' };

/** Writes the pictures; returns the files written (no samples picture without sample frames). */
export async function writePictures(dir: string, r: EvalReport): Promise<{ confusion: string; iou: string; samples?: string }> {
  ensureDir(dir, 'pictures folder');
  const k = r.classNames.length;
  await fs.promises.writeFile(path.join(dir, PICTURE_FILES.confusion), await confusionPicture(r.confusion, r.classNames, r.palette));
  await fs.promises.writeFile(path.join(dir, PICTURE_FILES.iou), await iouPicture(r.scores.perClass, r.scores.miou, r.palette));
  if (r.samples.length === 0) return { confusion: PICTURE_FILES.confusion, iou: PICTURE_FILES.iou };
  await fs.promises.writeFile(path.join(dir, PICTURE_FILES.samples), await samplesPicture(r.samples, r.palette, k));
  return PICTURE_FILES;
}
