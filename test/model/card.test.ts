// The model card (models/README.md) states the engine's CamVid val scores of the shipped model and
// of its recipe run; the `attendseg eval` JSON files committed beside it are where they come from.
// When the model is replaced, the card must be rewritten with it: these checks fail on any score
// of the card's engine rows and per-class tables that the JSON files do not say.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { defaultModelPath, packageRoot } from '../../src/engine/default-model';
import { Engine } from '../../src/engine/engine';

const MODELS = path.join(packageRoot(), 'models');

interface Eval {
  miou: number;
  pixel_accuracy: number;
  class_average_accuracy: number;
  per_class_iou: Record<string, number>;
  per_class_accuracy: Record<string, number>;
}

function readEval(name: string): Eval {
  return JSON.parse(fs.readFileSync(path.join(MODELS, name), 'utf8')) as Eval;
}

// The text of the card from the heading starting with `heading` to the next heading of any level.
function section(card: string, heading: string): string {
  const start = card.indexOf(`\n${heading}`);
  assert.ok(start >= 0, `models/README.md has no section "${heading}"`);
  const next = card.slice(start + 1).search(/\n#{1,6} /);
  return next < 0 ? card.slice(start) : card.slice(start, start + 1 + next);
}

// Table rows of `text` whose first cell is `first`, as their cells (bold marks removed).
function rows(text: string, first: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.replace(/\*\*/g, '').trim()),
    )
    .filter((cells) => cells[0] === first);
}

// The card's numbers carry two decimals, the JSON's three.
function assertClose(card: string, json: number, what: string): void {
  const v = Number(card);
  assert.ok(Number.isFinite(v), `${what}: "${card}" in the card is not a number`);
  assert.ok(Math.abs(v - json) <= 0.0051, `${what}: the card says ${card}, the eval file ${json}`);
}

function checkSection(card: string, heading: string, file: string): void {
  const text = section(card, heading);
  const e = readEval(file);
  const engine = rows(text, 'int8, our native engine (avx512vnni)');
  assert.strictEqual(engine.length, 1, `${heading}: one engine row expected`);
  assertClose(engine[0][1], e.miou, `${heading}, mIoU`);
  assertClose(engine[0][2], e.pixel_accuracy, `${heading}, pixel accuracy`);
  assertClose(engine[0][3], e.class_average_accuracy, `${heading}, class-average accuracy`);
  // Per-class table: class | float IoU | int8 engine IoU | int8 engine accuracy | ...
  const header = text.split('\n').find((l) => l.startsWith('| class |'));
  assert.ok(header, `${heading}: no per-class table`);
  const cols = header.split('|').slice(1, -1).map((c) => c.trim());
  const iouCol = cols.indexOf('int8 engine IoU');
  const accCol = cols.indexOf('int8 engine accuracy');
  assert.ok(iouCol > 0 && accCol > 0, `${heading}: per-class table lacks the engine columns`);
  for (const [cls, iou] of Object.entries(e.per_class_iou)) {
    const r = rows(text, cls);
    assert.strictEqual(r.length, 1, `${heading}: one row for class ${cls} expected`);
    assertClose(r[0][iouCol], iou, `${heading}, ${cls} IoU`);
    assertClose(r[0][accCol], e.per_class_accuracy[cls], `${heading}, ${cls} accuracy`);
  }
}

describe('model card (models/README.md)', () => {
  const card = fs.readFileSync(path.join(MODELS, 'README.md'), 'utf8');

  it('states the recipe run scores of recipe_val_int8_eval.json', () => {
    checkSection(card, '### The recipe run', 'recipe_val_int8_eval.json');
  });

  it("states the shipped model's scores of camvid_val_int8_eval.json", () => {
    checkSection(card, '### The shipped model', 'camvid_val_int8_eval.json');
  });

  it('names the MAC counts the engine reports for the shipped model', () => {
    const arch = section(card, '## Architecture');
    const m = /\| conv MACs at 480x360 \| ([\d.]+) G/.exec(arch);
    assert.ok(m, 'the card has no "conv MACs at 480x360" row');
    const gmacs = Engine.fromFile(defaultModelPath(), { threads: 1 }).macs(360, 480) / 1e9;
    assert.strictEqual(gmacs.toFixed(2), m[1], `the card says ${m[1]} GMAC, the engine counts ${gmacs.toFixed(3)}`);
  });
});
