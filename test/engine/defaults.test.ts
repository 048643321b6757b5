// The engine's defaults are the node's parameter defaults (src/pipeline/params.ts): Engine reads
// them from that table, and the addon's own defaults, used by C++ callers, agree with it.
import { strict as assert } from 'assert';
import * as fs from 'fs';

import { defaultModelPath } from '../../src/engine/default-model';

import { Engine } from '../../src/engine/engine';
import { loadAddon } from '../../src/engine/native';
import { importOnnx } from '../../src/engine/onnx';
import { paramDefault } from '../../src/pipeline/params';
import { smoothFrame } from '../helpers/frames';

describe('engine defaults: the node parameter table', () => {
  const bytes = fs.readFileSync(defaultModelPath());
  const frame = smoothFrame({ encoding: 'rgb8', width: 40, height: 30, seed: 3 });
  const engine = Engine.fromBytes(bytes, { threads: 1 });

  it('overlay_alpha and label_resolution: a run without them is a run with the table values', () => {
    const table = engine.runSync(frame, {
      overlayAlpha: paramDefault<number>('overlay_alpha'),
      labelResolution: paramDefault<'input' | 'network'>('label_resolution'),
      networkWidth: 64,
      networkHeight: 48,
    });
    const unset = engine.runSync(frame, { networkWidth: 64, networkHeight: 48 });
    assert.deepEqual(unset.overlay, table.overlay);
    assert.deepEqual([unset.labelWidth, unset.labelHeight], [table.labelWidth, table.labelHeight]);
  });

  it('threads: an engine without them has as many as one given the table value', () => {
    const table = Engine.fromBytes(bytes, { threads: paramDefault<number>('threads') });
    assert.equal(Engine.fromBytes(bytes).threads, table.threads);
  });

  it("max_activation_mb: Engine's limit and the addon's own default are the table value", () => {
    const mb = paramDefault<number>('max_activation_mb');
    const huge = { networkWidth: 8192, networkHeight: 8192, label: true, overlay: false };
    const limit = new RegExp(`over the limit of ${mb} MiB`);
    assert.throws(() => Engine.fromBytes(bytes, { threads: 1 }).runSync(frame, huge), limit);
    const native = new (loadAddon().NativeEngine)(importOnnx(bytes).spec, { threads: 1 });
    assert.throws(() => native.runSync(frame, huge), limit);
  });

  it("the addon's overlay alpha and label resolution without options are the table values", () => {
    const { spec } = importOnnx(bytes);
    const native = new (loadAddon().NativeEngine)(spec, { threads: 1 });
    const base = { networkWidth: 64, networkHeight: 48, label: true, overlay: true, palette: engine.metadata.palette };
    const table = native.runSync(frame, {
      ...base,
      overlayAlpha: paramDefault<number>('overlay_alpha'),
      labelResolution: paramDefault<'input' | 'network'>('label_resolution'),
    });
    const unset = native.runSync(frame, base);
    assert.deepEqual(unset.overlay, table.overlay);
    assert.deepEqual([unset.labelWidth, unset.labelHeight], [table.labelWidth, table.labelHeight]);
  });
});
