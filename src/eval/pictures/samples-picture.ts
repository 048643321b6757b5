// Sample frames in a grid: the input image (when there is one), the ground truth and the
// prediction blended onto it (or drawn alone), one frame per row.
import sharp from 'sharp';

import type { Sample } from '../scorer';
import { Raster } from './raster';

const TILE_WIDTH = 320;

/** Class colours over the image at `alpha`; ignored pixels keep the image (or turn black). */
function paint(labels: Uint8Array, palette: Uint8Array, numClasses: number, rgb: Uint8Array | undefined, alpha: number): Uint8Array {
  const out = new Uint8Array(labels.length * 3);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    for (let k = 0; k < 3; k++) {
      const base = rgb ? rgb[i * 3 + k] : 0;
      out[i * 3 + k] = c < numClasses ? Math.round(base * (1 - alpha) + palette[c * 3 + k] * alpha) : base;
    }
  }
  return out;
}

async function shrink(rgb: Uint8Array, w: number, h: number, tw: number, th: number): Promise<Uint8Array> {
  return sharp(Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength), { raw: { width: w, height: h, channels: 3 } })
    .resize(tw, th, { kernel: 'nearest' })
    .raw()
    .toBuffer();
}

export async function samplesPicture(samples: Sample[], palette: Uint8Array, numClasses: number): Promise<Buffer> {
  const withImage = samples.some((s) => s.rgb);
  const titles = withImage ? ['image', 'ground truth', 'prediction'] : ['ground truth', 'prediction'];
  const header = 24;
  const caption = 18;
  const gap = 6;
  const tiles = await Promise.all(
    samples.map(async (s) => {
      const th = Math.max(1, Math.round((TILE_WIDTH * s.height) / s.width));
      const alpha = s.rgb ? 0.5 : 1;
      const layers = [
        ...(withImage ? [s.rgb ?? new Uint8Array(s.width * s.height * 3)] : []),
        paint(s.groundTruth, palette, numClasses, s.rgb, alpha),
        paint(s.prediction, palette, numClasses, s.rgb, alpha),
      ];
      return { name: s.name, th, images: await Promise.all(layers.map((l) => shrink(l, s.width, s.height, TILE_WIDTH, th))) };
    }),
  );
  const height = header + tiles.reduce((a, t) => a + caption + t.th + gap, 0);
  const r = new Raster(titles.length * (TILE_WIDTH + gap) + gap, Math.max(height, header + 1));
  titles.forEach((t, i) => r.text({ x: gap + i * (TILE_WIDTH + gap) + TILE_WIDTH / 2, y: 17, text: t, size: 13, anchor: 'middle', bold: true }));
  let y = header;
  for (const t of tiles) {
    r.text({ x: gap, y: y + 13, text: t.name, size: 11 });
    y += caption;
    t.images.forEach((img, i) => r.blit(img, TILE_WIDTH, t.th, gap + i * (TILE_WIDTH + gap), y));
    y += t.th + gap;
  }
  return r.png();
}
