// Confusion-matrix heat map: each row (ground-truth class) normalised to its pixels, so the
// diagonal is per-class accuracy; class colours beside the names.
import { heat, paletteColor, Raster } from './raster';

export async function confusionPicture(matrix: number[][], classNames: string[], palette: Uint8Array): Promise<Buffer> {
  const k = matrix.length;
  const cell = k <= 16 ? 40 : Math.max(8, Math.floor(640 / k));
  const left = 130;
  const top = 120;
  const r = new Raster(left + k * cell + 20, top + k * cell + 40);
  const showValues = cell >= 28;
  matrix.forEach((row, g) => {
    const sum = row.reduce((a, b) => a + b, 0);
    row.forEach((v, p) => {
      const share = sum > 0 ? v / sum : 0;
      r.rect(left + p * cell, top + g * cell, cell - 1, cell - 1, sum > 0 ? heat(share) : [230, 230, 230]);
      if (showValues && sum > 0 && share >= 0.005) {
        r.text({ x: left + p * cell + cell / 2, y: top + g * cell + cell / 2 + 4, text: (100 * share).toFixed(0), size: 11, anchor: 'middle', color: share > 0.5 ? '#fff' : '#123' });
      }
    });
    r.rect(left - 14, top + g * cell + 2, 10, cell - 5, paletteColor(palette, g));
    r.rect(left + g * cell + 2, top - 14, cell - 5, 10, paletteColor(palette, g));
    r.text({ x: left - 18, y: top + g * cell + cell / 2 + 4, text: classNames[g], size: 12, anchor: 'end' });
    r.text({ x: left + g * cell + cell / 2 + 4, y: top - 18, text: classNames[g], size: 12, rotate: -60 });
  });
  r.text({ x: 8, y: 18, text: 'rows: ground truth, columns: prediction (% of row)', size: 12 });
  return r.png();
}
