// Palette files for the `palette` parameter: YAML or JSON, a list of [r, g, b] (0..255), class k
// taking entry k; optionally under a top-level `palette:` key.
import * as fs from 'fs';

import { parse } from 'yaml';

export function parsePalette(text: string, source: string, numClasses: number): Uint8Array {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw new Error(`palette ${source}: not valid YAML or JSON: ${(e as Error).message}`);
  }
  const list = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>).palette : doc;
  if (!Array.isArray(list)) throw new Error(`palette ${source}: expected a list of [r, g, b] colours`);
  if (list.length < numClasses || list.length > 256)
    throw new Error(`palette ${source}: ${list.length} colours, the model has ${numClasses} classes (needs ${numClasses}..256)`);
  const out = new Uint8Array(list.length * 3);
  list.forEach((c, i) => {
    if (!Array.isArray(c) || c.length !== 3 || !c.every((x) => Number.isInteger(x) && x >= 0 && x <= 255))
      throw new Error(`palette ${source}: entry ${i} must be [r, g, b] with integers 0..255, got ${JSON.stringify(c)}`);
    out.set(c as number[], i * 3);
  });
  return out;
}

export function loadPalette(file: string, numClasses: number): Uint8Array {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`palette ${file}: cannot read: ${(e as Error).message}`);
  }
  return parsePalette(text, file, numClasses);
}
