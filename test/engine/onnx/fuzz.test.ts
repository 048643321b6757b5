// Bounded fuzzing of the ONNX importer with fixed seeds: random bytes, byte-level mutations of
// the fixture models and structure-aware mutations of their decoded graphs. Every input must be
// imported or rejected with a ModelImportError naming the problem (never an internal error
// wrapped as "import failed"), quickly; and whatever the importer accepts, the native validator
// accepts too (one model contract).
import { strict as assert } from 'node:assert';
import * as fs from 'fs';
import * as path from 'path';

import fc from 'fast-check';
import type { onnx } from 'onnx-proto';

import { loadAddon } from '../../../src/engine/native';
import { importOnnx, ModelImportError } from '../../../src/engine/onnx';
import { decodeModel, encodeModel } from '../../helpers/onnx-builder';
import { convReluModel, unetModel } from '../../helpers/onnx-models';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const SEEDS: Uint8Array[] = [
  convReluModel().build(),
  unetModel().build(),
  ...['ops_conv_qdq.onnx', 'ops_pool_attention_qdq.onnx', 'attendseg_tiny_qdq.onnx'].map((f) => fs.readFileSync(path.join(FIXTURES, f))),
];
// Each property stops after this long (or its run count); the suite stays well under a minute.
const BUDGET_MS = 15_000;
const SLOW_MS = 3_000;

/** Imports; any outcome but success or a clear ModelImportError fails the property. */
function check(bytes: Uint8Array): void {
  const t0 = Date.now();
  let spec;
  try {
    spec = importOnnx(bytes).spec;
  } catch (e) {
    assert.ok(e instanceof ModelImportError, `not a ModelImportError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.ok(e.message.length > 0);
    assert.doesNotMatch(e.message, /import failed/, 'an internal error escaped the importer checks');
    return;
  } finally {
    assert.ok(Date.now() - t0 < SLOW_MS, `import took ${Date.now() - t0} ms`);
  }
  try {
    new (loadAddon().NativeEngine)(spec, { threads: 1 });
  } catch (e) {
    // Packing may still refuse numbers it cannot represent (a bias past int32 after folding the
    // zero point), but never a model that breaks the contract: check_model's errors start
    // with "model " or "tensor '".
    assert.ok(e instanceof Error && e.message.length > 0);
    assert.doesNotMatch(e.message, /^(model |tensor ')/, 'the importer accepted a model that the native validator rejects');
  }
}

const INTERESTING = [0, 1, -1, 2, 3, 7, 8, 9, 64, 65, 255, 256, 4096, 4097, 8193, 2 ** 31 - 1, -(2 ** 31), 2 ** 53];

type Mutation =
  | { kind: 'attr'; node: number; attr: number; value: number }
  | { kind: 'dim'; init: number; dim: number; value: number }
  | { kind: 'input'; node: number; slot: number; from: number }
  | { kind: 'opType'; node: number; from: number }
  | { kind: 'drop'; node: number }
  | { kind: 'float'; init: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('attr' as const), node: fc.nat(), attr: fc.nat(), value: fc.constantFrom(...INTERESTING) }),
  fc.record({ kind: fc.constant('dim' as const), init: fc.nat(), dim: fc.nat(), value: fc.constantFrom(...INTERESTING) }),
  fc.record({ kind: fc.constant('input' as const), node: fc.nat(), slot: fc.nat(), from: fc.nat() }),
  fc.record({ kind: fc.constant('opType' as const), node: fc.nat(), from: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), node: fc.nat() }),
  fc.record({ kind: fc.constant('float' as const), init: fc.nat(), value: fc.constantFrom(0, -1, 1e-30, 1e30, NaN, Infinity, -Infinity) }),
);

function mutate(model: onnx.ModelProto, m: Mutation): void {
  const nodes = model.graph!.node!;
  const inits = model.graph!.initializer!;
  const node = nodes.length ? nodes[('node' in m ? m.node : 0) % nodes.length] : undefined;
  switch (m.kind) {
    case 'attr': {
      const a = node?.attribute?.[m.attr % Math.max(1, node.attribute.length)];
      if (!a) return;
      if (a.ints?.length) a.ints[m.attr % a.ints.length] = m.value;
      else if (a.floats?.length) a.floats[m.attr % a.floats.length] = m.value;
      else a.i = m.value;
      return;
    }
    case 'dim': {
      const t = inits[m.init % Math.max(1, inits.length)];
      if (t?.dims?.length) t.dims[m.dim % t.dims.length] = m.value;
      return;
    }
    case 'input': {
      if (!node?.input?.length) return;
      const names = nodes.flatMap((n) => n.output ?? []).concat(inits.map((t) => t.name ?? ''));
      node.input[m.slot % node.input.length] = names[m.from % names.length];
      return;
    }
    case 'opType':
      if (node) node.opType = nodes[m.from % nodes.length].opType;
      return;
    case 'drop':
      if (nodes.length) nodes.splice(m.node % nodes.length, 1);
      return;
    case 'float': {
      const t = inits[m.init % Math.max(1, inits.length)];
      if (t?.rawData && t.dataType === 1 && t.rawData.length >= 4) {
        const raw = Uint8Array.from(t.rawData);
        new DataView(raw.buffer).setFloat32(0, m.value, true);
        t.rawData = raw;
      }
      return;
    }
  }
}

describe('importOnnx: bounded fuzzing', () => {
  it('random bytes', function () {
    this.timeout(BUDGET_MS * 3);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), (b) => check(b)),
      { seed: 15, numRuns: 3000, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  it('byte mutations of the fixture models', function () {
    this.timeout(BUDGET_MS * 3);
    const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), op: fc.constantFrom('flip', 'set', 'cut', 'insert', 'delete'), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(edit, { minLength: 1, maxLength: 8 }), (s, edits) => {
        let b = Uint8Array.from(SEEDS[s]);
        for (const e of edits) {
          const i = Math.floor(e.at * b.length);
          if (e.op === 'flip') b[i] ^= 1 << (e.value & 7);
          else if (e.op === 'set') b[i] = e.value;
          else if (e.op === 'cut') b = b.subarray(0, i);
          else if (e.op === 'insert') b = Uint8Array.from([...b.subarray(0, i), e.value, ...b.subarray(i)]);
          else b = Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + 1)]);
          if (b.length === 0) break;
        }
        check(b);
      }),
      { seed: 15, numRuns: 2000, interruptAfterTimeLimit: BUDGET_MS },
    );
  });

  it('structure-aware mutations of the fixture graphs', function () {
    this.timeout(BUDGET_MS * 3);
    fc.assert(
      fc.property(fc.nat(SEEDS.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, ms) => {
        const model = decodeModel(SEEDS[s]);
        for (const m of ms) mutate(model, m);
        check(encodeModel(model));
      }),
      { seed: 15, numRuns: 2000, interruptAfterTimeLimit: BUDGET_MS },
    );
  });
});
