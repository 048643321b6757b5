// Segmentation scores from a confusion matrix (rows ground truth, columns prediction), in percent.

export interface ClassScore {
  index: number;
  name: string;
  /** TP / (TP + FP + FN); null when the class is neither in the ground truth nor predicted. */
  iou: number | null;
  /** TP / ground-truth pixels (recall); null when the class is not in the ground truth. */
  accuracy: number | null;
  groundTruthPixels: number;
  predictedPixels: number;
}

export interface Scores {
  /** Mean IoU over the classes whose IoU is defined. */
  miou: number | null;
  pixelAccuracy: number | null;
  /** Mean per-class accuracy over the classes present in the ground truth. */
  classAverageAccuracy: number | null;
  scoredPixels: number;
  perClass: ClassScore[];
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** `ignoreIndex`, when it is one of the classes, is left out of the per-class scores. */
export function scores(matrix: number[][], classNames: string[], ignoreIndex: number | null = null): Scores {
  const k = matrix.length;
  if (classNames.length !== k) throw new Error(`${classNames.length} class names for ${k} classes`);
  const gt = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const pred = Array.from({ length: k }, (_, c) => matrix.reduce((a, row) => a + row[c], 0));
  const total = gt.reduce((a, b) => a + b, 0);
  let correct = 0;
  const perClass = matrix.map((row, c): ClassScore => {
    const tp = row[c];
    correct += tp;
    const union = gt[c] + pred[c] - tp;
    const scored = c !== ignoreIndex;
    return {
      index: c,
      name: classNames[c],
      iou: scored && union > 0 ? (100 * tp) / union : null,
      accuracy: scored && gt[c] > 0 ? (100 * tp) / gt[c] : null,
      groundTruthPixels: gt[c],
      predictedPixels: pred[c],
    };
  });
  return {
    miou: mean(perClass.flatMap((c) => (c.iou === null ? [] : [c.iou]))),
    pixelAccuracy: total > 0 ? (100 * correct) / total : null,
    classAverageAccuracy: mean(perClass.flatMap((c) => (c.accuracy === null ? [] : [c.accuracy]))),
    scoredPixels: total,
    perClass,
  };
}
