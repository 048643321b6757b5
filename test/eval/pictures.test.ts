// The evaluation pictures draw what they say: heat-map cells shaded by row share, IoU bars as long
// as the IoU in the class colour, and sample rows of image, ground truth and prediction.
import { strict as assert } from 'assert';

import sharp from 'sharp';

import { defaultPalette } from '../../src/engine/onnx/metadata';
import { confusionPicture } from '../../src/eval/pictures/confusion-picture';
import { iouPicture } from '../../src/eval/pictures/iou-picture';
import { heat } from '../../src/eval/pictures/raster';
import { samplesPicture } from '../../src/eval/pictures/samples-picture';
import { scores } from '../../src/eval/metrics';

async function pixels(png: Buffer) {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { at: (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)], info };
}

describe('eval: pictures', () => {
  const palette = defaultPalette(3);

  it('confusion matrix: each cell shaded by its share of the ground-truth row', async () => {
    const p = await pixels(await confusionPicture([[10, 0, 0], [5, 5, 0], [0, 0, 0]], ['a', 'b', 'c'], palette));
    // cells are 40 px from (130, 120); sample a corner, away from the centred numbers
    const cell = (g: number, c: number) => p.at(130 + c * 40 + 3, 120 + g * 40 + 3);
    assert.deepEqual(cell(0, 0), [...heat(1)]);
    assert.deepEqual(cell(0, 1), [...heat(0)]);
    assert.deepEqual(cell(1, 0), [...heat(0.5)]);
    assert.deepEqual(cell(2, 2), [230, 230, 230], 'a class without ground truth is grey');
    assert.deepEqual(p.at(130 - 10, 120 + 40 + 20), [...palette.subarray(3, 6)], 'row colour swatch');
  });

  it('IoU chart: bars as long as the IoU, in the class colour', async () => {
    const s = scores([[3, 1, 0], [1, 3, 0], [0, 0, 0]], ['a', 'b', 'c']); // IoU 60, 60, n/a
    const p = await pixels(await iouPicture(s.perClass, s.miou, palette));
    const y0 = 34 + 13; // first row's middle
    assert.deepEqual(p.at(130 + 5, y0), [...palette.subarray(0, 3)]);
    assert.deepEqual(p.at(130 + 238, y0), [...palette.subarray(0, 3)]);
    assert.deepEqual(p.at(130 + 242, y0), [236, 236, 236], 'the bar stops at 60% of 400 px');
    assert.deepEqual(p.at(130 + 5, y0 + 2 * 26), [236, 236, 236], 'no bar for a class without IoU');
  });

  it('samples: one row per frame, three tiles with the image, then ground truth and prediction over it', async () => {
    const w = 8;
    const h = 4;
    const rgb = new Uint8Array(w * h * 3).fill(200);
    const labels = new Uint8Array(w * h).fill(1);
    const gt = new Uint8Array(w * h).fill(9); // 9: no class of 3, drawn as the image
    const png = await samplesPicture([{ name: 'f0', width: w, height: h, rgb, prediction: labels, groundTruth: gt }], palette, 3);
    const p = await pixels(png);
    assert.equal(p.info.width, 3 * 326 + 6);
    assert.equal(p.info.height, 24 + 18 + 160 + 6);
    const y = 24 + 18 + 80;
    assert.deepEqual(p.at(6 + 100, y), [200, 200, 200]);
    assert.deepEqual(p.at(6 + 326 + 100, y), [200, 200, 200]);
    const blend = [0, 1, 2].map((k) => Math.round(200 * 0.5 + palette[3 + k] * 0.5));
    assert.deepEqual(p.at(6 + 2 * 326 + 100, y), blend);
  });
});
