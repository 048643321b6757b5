// The activation-memory budget (EngineOptions.maxActivationMb, the node's max_activation_mb, the
// CLI's --max-activation-mb): a network size whose plan would exceed it is an Error naming the
// size, the need and the largest tensor, before anything is allocated; the engine stays usable.
import * as assert from 'assert';
import * as path from 'path';

import { Engine } from '../../src/engine/engine';
import { attendseg } from '../helpers/cli';

const MODEL = path.join(__dirname, '..', '..', 'models', 'attendseg_camvid.onnx');
const frame = { encoding: 'rgb8', width: 64, height: 48, step: 192, data: new Uint8Array(64 * 48 * 3) };

// The error's numbers, checked against each other (they depend on the shipped model's topology):
// the largest tensor's bytes are its dimensions' product and fit in what the plan needs.
function checkBudgetError(e: unknown, size: string, limitMb: number): boolean {
  const m = new RegExp(
    `network input ${size} needs (at least )?(\\d+) MiB of activations, over the limit of ${limitMb} MiB \\(max_activation_mb\\); ` +
      `the largest tensor is '[^']+', (\\d+)x(\\d+)x(\\d+) = (\\d+) bytes`,
  ).exec(String(e));
  assert.ok(m, `unexpected error: ${e}`);
  const [need, h, w, c, bytes] = m.slice(2).map(Number);
  assert.equal(bytes, h * w * c);
  assert.ok(need > limitMb && need >= Math.floor(bytes / 2 ** 20), `needs ${need} MiB for a largest tensor of ${bytes} bytes`);
  return true;
}

describe('engine: activation memory budget', () => {
  it('refuses a network size that needs gigabytes under the default budget', () => {
    const e = Engine.fromFile(MODEL, { threads: 1 });
    assert.throws(() => e.runSync(frame, { networkWidth: 8192, networkHeight: 8192 }), (err) => checkBudgetError(err, '8192x8192', 1024));
    assert.equal(e.runSync(frame, { networkWidth: 64, networkHeight: 48 }).label!.length, 64 * 48);
  });

  it('follows maxActivationMb, and 0 lifts the limit', () => {
    const small = Engine.fromFile(MODEL, { threads: 1, maxActivationMb: 1 });
    assert.throws(() => small.runSync(frame), (err) => checkBudgetError(err, '480x360', 1));
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
