// The activation-memory budget (EngineOptions.maxActivationMb, the node's max_activation_mb, the
// CLI's --max-activation-mb): a network size whose plan would exceed it is an Error naming the
// size, the need and the largest tensor, before anything is allocated; the engine stays usable.
import * as assert from 'assert';
import * as path from 'path';

import { Engine } from '../../src/engine/engine';
import { attendseg } from '../helpers/cli';

const MODEL = path.join(__dirname, '..', '..', 'models', 'attendseg_camvid.onnx');
const frame = { encoding: 'rgb8', width: 64, height: 48, step: 192, data: new Uint8Array(64 * 48 * 3) };

describe('engine: activation memory budget', () => {
  it('refuses a network size that needs gigabytes under the default budget', () => {
    const e = Engine.fromFile(MODEL, { threads: 1 });
    assert.throws(
      () => e.runSync(frame, { networkWidth: 8192, networkHeight: 8192 }),
      /network input 8192x8192 needs \d+ MiB of activations, over the limit of 1024 MiB \(max_activation_mb\); the largest tensor is '[^']+', 8192x8192x11 = 738197504 bytes/,
    );
    assert.equal(e.runSync(frame, { networkWidth: 64, networkHeight: 48 }).label!.length, 64 * 48);
  });

  it('follows maxActivationMb, and 0 lifts the limit', () => {
    const small = Engine.fromFile(MODEL, { threads: 1, maxActivationMb: 1 });
    assert.throws(() => small.runSync(frame), /network input 480x360 needs at least 2 MiB of activations, over the limit of 1 MiB/);
    assert.equal(small.runSync(frame, { networkWidth: 64, networkHeight: 48 }).label!.length, 64 * 48);
    const none = Engine.fromFile(MODEL, { threads: 1, maxActivationMb: 0 });
    assert.equal(none.runSync(frame, { networkWidth: 96, networkHeight: 72 }).label!.length, 64 * 48);
  });

  it('is a CLI flag, checked as one', () => {
    const r = attendseg(['info', MODEL, '--max-activation-mb', '-1']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--max-activation-mb/);
  });
});
