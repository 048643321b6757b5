// metadata_props: class names, palette, input size, void index and normalization, with defaults.
import type { onnx } from 'onnx-proto';
import { isValidScale, modelLimits, scaleRule } from '../spec';
import type { ModelMetadata, Normalization } from '../spec';
import { ModelImportError } from './errors';

/** CamVid's 11-class palette, then a deterministic generator for further classes. */
const CAMVID: [number, number, number][] = [
  [128, 128, 128], [128, 0, 0], [192, 192, 128], [128, 64, 128], [60, 40, 222], [128, 128, 0],
  [192, 128, 128], [64, 64, 128], [64, 0, 128], [64, 64, 0], [0, 128, 192],
];

export function defaultPalette(n: number): Uint8Array {
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    let rgb: [number, number, number];
    if (i < CAMVID.length) rgb = CAMVID[i];
    else {
      // Golden-ratio hue walk with alternating value: distinct and reproducible.
      const h = ((i - CAMVID.length) * 0.618033988749895 + 0.13) % 1;
      const s = 0.75;
      const v = (i & 1) === 0 ? 0.95 : 0.7;
      const k = (m: number): number => {
        const kk = (m + h * 6) % 6;
        return Math.round(255 * (v - v * s * Math.max(0, Math.min(kk, 4 - kk, 1))));
      };
      rgb = [k(5), k(3), k(1)];
    }
    out.set(rgb, i * 3);
  }
  return out;
}

function bad(key: string, why: string): ModelImportError {
  return new ModelImportError(`metadata '${key}': ${why}`);
}

function json(key: string, value: string): unknown {
  if (value.length > 1_000_000) throw bad(key, 'value is too long');
  try {
    return JSON.parse(value);
  } catch {
    throw bad(key, 'not valid JSON');
  }
}

function triple(key: string, value: string, positive: boolean): [number, number, number] {
  const v = json(key, value);
  // Finite as float32: the engine stores them so.
  if (!Array.isArray(v) || v.length !== 3 || !v.every((x) => typeof x === 'number' && Number.isFinite(Math.fround(x)))) {
    throw bad(key, 'expected a JSON array of 3 finite numbers');
  }
  if (positive && !v.every(isValidScale)) throw bad(key, `values must be ${scaleRule()}`);
  return [v[0], v[1], v[2]];
}

/** A network input side: 1..the engine's largest image side. */
function imageSide(key: string, value: string): number {
  const s = value.trim();
  if (!/^\d+$/.test(s)) throw bad(key, `expected a positive integer, got '${value.slice(0, 40)}'`);
  const n = Number(s);
  const max = modelLimits().maxImageSide;
  if (n < 1 || n > max) throw bad(key, `${n} is outside 1..${max}`);
  return n;
}

export function rawMetadata(model: onnx.IModelProto): Record<string, string> {
  const raw: Record<string, string> = Object.create(null);
  for (const p of model.metadataProps ?? []) if (p.key) raw[p.key] = p.value ?? '';
  return { ...raw };
}

export function parseNorm(raw: Record<string, string>): Normalization {
  return {
    mean: raw.mean !== undefined ? triple('mean', raw.mean, false) : [0, 0, 0],
    std: raw.std !== undefined ? triple('std', raw.std, true) : [1, 1, 1],
  };
}

/** Full metadata once the number of output classes (channels) is known. */
export function parseMetadata(raw: Record<string, string>, numClasses: number): ModelMetadata {
  let classNames: string[];
  if (raw.class_names !== undefined) {
    const v = json('class_names', raw.class_names);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw bad('class_names', 'expected a JSON array of strings');
    if (v.length !== numClasses) throw bad('class_names', `has ${v.length} names but the model outputs ${numClasses} classes`);
    classNames = v as string[];
  } else {
    classNames = Array.from({ length: numClasses }, (_, i) => `class_${i}`);
  }
  let palette: Uint8Array;
  if (raw.palette !== undefined) {
    const v = json('palette', raw.palette);
    if (!Array.isArray(v) || !v.every((c) => Array.isArray(c) && c.length === 3 && c.every((x) => Number.isInteger(x) && x >= 0 && x <= 255))) {
      throw bad('palette', 'expected a JSON array of [r, g, b] integers 0..255');
    }
    if (v.length < numClasses) throw bad('palette', `has ${v.length} colors for ${numClasses} classes`);
    palette = Uint8Array.from((v as number[][]).slice(0, numClasses).flat());
  } else {
    palette = defaultPalette(numClasses);
  }
  let voidIndex: number | null = null;
  if (raw.void_index !== undefined && raw.void_index.trim() !== '' && raw.void_index.trim() !== 'null') {
    const s = raw.void_index.trim();
    if (!/^-?\d+$/.test(s)) throw bad('void_index', `expected an integer, got '${s.slice(0, 40)}'`);
    const n = Number(s);
    if (n >= 0) voidIndex = n; // a negative index means "no void class"
  }
  return {
    classNames,
    palette,
    inputWidth: raw.input_width !== undefined ? imageSide('input_width', raw.input_width) : 480,
    inputHeight: raw.input_height !== undefined ? imageSide('input_height', raw.input_height) : 360,
    voidIndex,
    norm: parseNorm(raw),
    raw,
  };
}
