// Image and label files (PNG, JPEG) in and out, with sharp.
import * as fs from 'fs';
import * as path from 'path';

import sharp from 'sharp';

import type { Frame } from '../engine/engine';
import { decodeImageFile, openImage } from '../msg/compressed';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

export interface LabelMap {
  width: number;
  height: number;
  /** One class index per pixel, rows without padding. */
  data: Uint8Array;
}

/** Image files of a folder, sorted by name (CamVid names sort into temporal order). */
export function listImages(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new Error(`folder ${dir} does not exist`);
  if (!fs.statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`);
  const files = fs
    .readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.includes(path.extname(f).toLowerCase()))
    .sort();
  if (files.length === 0) throw new Error(`folder ${dir} has no .png or .jpg images`);
  return files.map((f) => path.join(dir, f));
}

export function stem(file: string): string {
  return path.basename(file, path.extname(file));
}

/** A PNG or JPEG file as an rgb8 frame (gray files as mono8), through the one checked decoder. */
export async function readImageFile(file: string): Promise<Frame> {
  let bytes: Buffer;
  try {
    bytes = await fs.promises.readFile(file);
  } catch (e) {
    throw new Error(`cannot read image ${file}: ${(e as Error).message}`);
  }
  return decodeImageFile(bytes, file);
}

/** A label PNG: one 8-bit channel (PNG mode L) of class indices. */
export async function readLabelFile(file: string): Promise<LabelMap> {
  let out: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    const bytes = await fs.promises.readFile(file);
    const { image, meta } = await openImage(bytes, 'png');
    if (meta.channels !== 1 || meta.isPalette || meta.depth !== 'uchar') {
      const kind = meta.isPalette ? 'a palette PNG' : meta.depth !== 'uchar' ? `${meta.depth} samples` : `${meta.channels} channels`;
      throw new Error(`it has ${kind}: a label PNG holds one 8-bit class index per pixel (grayscale, PNG mode L)`);
    }
    // sharp widens gray to sRGB on output; the first channel is the stored value, unchanged.
    out = await image.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new Error(`cannot read label ${file}: ${(e as Error).message}`);
  }
  const { width, height, channels } = out.info;
  if (channels !== 1) throw new Error(`cannot read label ${file}: decoded to ${channels} channels`);
  return { width, height, data: out.data };
}

/** Writes tight rows of 1 (gray) or 3 (RGB) channels as PNG. */
export async function writePng(file: string, data: Uint8Array, width: number, height: number, channels: 1 | 3): Promise<void> {
  let img = sharp(Buffer.from(data.buffer, data.byteOffset, width * height * channels), { raw: { width, height, channels } });
  // Without this sharp stores one channel as RGB; label PNGs must stay one-channel (mode L).
  if (channels === 1) img = img.toColourspace('b-w');
  try {
    await img.png().toFile(file);
  } catch (e) {
    // libvips says only "system error: Is a directory", without the file
    const why = fs.existsSync(file) && fs.statSync(file).isDirectory() ? 'it is a folder' : (e as Error).message;
    throw new Error(`cannot write ${file}: ${why}`);
  }
}
