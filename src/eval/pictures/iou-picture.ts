// Per-class IoU as horizontal bars in each class's colour, with the mean as a line.
import { paletteColor, Raster } from './raster';
import type { ClassScore } from '../metrics';

export async function iouPicture(perClass: ClassScore[], miou: number | null, palette: Uint8Array): Promise<Buffer> {
  const row = 26;
  const left = 130;
  const barWidth = 400;
  const top = 34;
  const r = new Raster(left + barWidth + 70, top + perClass.length * row + 20);
  perClass.forEach((c, i) => {
    const y = top + i * row;
    r.rect(left, y + 4, barWidth, row - 8, [236, 236, 236]);
    if (c.iou !== null) r.rect(left, y + 4, (barWidth * c.iou) / 100, row - 8, paletteColor(palette, c.index));
    r.text({ x: left - 8, y: y + row / 2 + 4, text: c.name, size: 12, anchor: 'end' });
    r.text({ x: left + barWidth + 6, y: y + row / 2 + 4, text: c.iou === null ? 'n/a' : c.iou.toFixed(1), size: 12 });
  });
  if (miou !== null) {
    const x = left + Math.round((barWidth * miou) / 100);
    for (let y = top; y < top + perClass.length * row; y += 6) r.rect(x, y, 2, 3, [200, 30, 30]);
    r.text({ x, y: top - 6, text: `mIoU ${miou.toFixed(1)}`, size: 12, anchor: 'middle', color: '#c81e1e' });
  }
  r.text({ x: 8, y: 16, text: 'IoU per class (%)', size: 13, bold: true });
  return r.png();
}
