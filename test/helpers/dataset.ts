// Small image folders with label PNGs, in the CamVid layout (<name>/ and <name>annot/).
import * as fs from 'fs';
import * as path from 'path';

import sharp from 'sharp';

import { smoothFrame } from './frames';
import { rng } from './frames';

export async function writeRgbPng(file: string, data: Uint8Array, width: number, height: number): Promise<void> {
  await sharp(Buffer.from(data), { raw: { width, height, channels: 3 } }).png().toFile(file);
}

export async function writeGrayPng(file: string, data: Uint8Array, width: number, height: number): Promise<void> {
  await sharp(Buffer.from(data), { raw: { width, height, channels: 1 } }).toColourspace('b-w').png().toFile(file);
}

export function labels(width: number, height: number, seed: number, classes = 11, voidValue = 11): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(width * height);
  // Blocks of one class, plus a few void pixels.
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[y * width + x] = r() < 0.05 ? voidValue : (((x >> 3) + (y >> 3) * 3 + seed) % classes);
  return out;
}

/** Writes `n` images (smooth rgb8) and their labels; returns the image folder. */
export async function writeDataset(root: string, n: number, width: number, height: number, name = 'val'): Promise<string> {
  const images = path.join(root, name);
  const annot = path.join(root, `${name}annot`);
  fs.mkdirSync(images, { recursive: true });
  fs.mkdirSync(annot, { recursive: true });
  for (let i = 0; i < n; i++) {
    const file = `seq_${String(i * 2).padStart(5, '0')}.png`;
    const f = smoothFrame({ encoding: 'rgb8', width, height, seed: 40 + i });
    await writeRgbPng(path.join(images, file), f.data, width, height);
    await writeGrayPng(path.join(annot, file), labels(width, height, i), width, height);
  }
  return images;
}
