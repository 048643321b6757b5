// The managed-node mode over the in-memory transport: transitions gate the model, the outputs,
// the input subscriptions and publishing, as rclcpp's lifecycle nodes do.
import { strict as assert } from 'assert';
import * as path from 'path';

import { InMemoryTransport, InMemoryTransportOptions } from '../../src/pipeline/memory-transport';
import { SegmentationLifecycle } from '../../src/pipeline/segmentation-lifecycle';
import type { ParamValue } from '../../src/pipeline/params';
import { MODEL, rawImage } from '../helpers/pipeline-harness';

function managed(overrides: Record<string, ParamValue> = {}, options: InMemoryTransportOptions = {}) {
  const t = new InMemoryTransport({ ...options, overrides: { model_path: MODEL, threads: 2, ...overrides } });
  return { t, life: new SegmentationLifecycle(t) };
}

describe('lifecycle mode (in-memory transport)', () => {
  it('starts unconfigured: parameters declared, no model, no outputs, no timers, no input', () => {
    const { t, life } = managed();
    assert.equal(life.state, 'unconfigured');
    assert.equal(life.segmentation, null);
    assert.equal(t.getParameter('model_path'), MODEL);
    assert.deepEqual(t.qos.outputs, {});
    assert.equal(t.timerCount, 0);
    assert.equal(t.input, null);
    assert.deepEqual(t.labelInfo, []);
  });

  it('configure loads the model and advertises the outputs, but publishes and subscribes nothing until activate', async () => {
    const { t, life } = managed();
    assert.deepEqual(life.configure(), { ok: true });
    assert.equal(life.state, 'inactive');
    assert.ok(life.segmentation!.engine.numClasses > 0);
    assert.deepEqual(Object.keys(t.qos.outputs).sort(), ['colorized', 'confidence', 'label', 'overlay']);
    t.runTimers();
    assert.equal(t.input, null, 'inactive: every output has a subscriber, yet the input stays closed');
    assert.deepEqual(t.subscriptionLog, []);
    assert.deepEqual(t.labelInfo, []);
    assert.deepEqual(t.diagnostics, []);

    assert.deepEqual(life.activate(), { ok: true });
    assert.equal(life.state, 'active');
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info']);
    assert.equal(t.labelInfo.length, 1, '~/label_info goes out on activate');
    t.deliverImage(rawImage(1));
    await life.segmentation!.pipeline.idle();
    assert.equal(t.published.label.length, 1);
    t.runTimers();
    assert.equal(t.diagnostics.length, 1);
    life.shutdown();
    await life.released();
  });

  it('deactivate closes the input and publishes nothing, not even the frame that was running', async () => {
    const { t, life } = managed();
    life.configure();
    life.activate();
    t.deliverImage(rawImage(1)); // starts running
    assert.deepEqual(life.deactivate(), { ok: true });
    await life.segmentation!.pipeline.idle();
    assert.equal(life.state, 'inactive');
    assert.equal(t.input, null);
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info', '-image', '-camera_info']);
    assert.equal(t.publishCounts.label + t.publishCounts.overlay, 0, 'the frame finished while inactive and was dropped');
    t.runTimers();
    assert.equal(t.input, null, 'the lazy-input timer does not reopen the input while inactive');
    assert.deepEqual(t.diagnostics, []);

    life.activate(); // and back
    t.deliverImage(rawImage(2));
    await life.segmentation!.pipeline.idle();
    assert.equal(t.published.label.length, 1);
    life.shutdown();
    await life.released();
  });

  it('a frame arriving while inactive is not processed', async () => {
    const { t, life } = managed();
    life.configure();
    assert.throws(() => t.deliverImage(rawImage(1)), /nothing subscribes image/);
    assert.equal(life.segmentation!.pipeline.stats.snapshot().received, 0);
    life.shutdown();
    await life.released();
  });

  it('cleanup releases the model, the publishers and the timers; configure then starts again', async () => {
    const { t, life } = managed();
    life.configure();
    life.activate();
    life.deactivate();
    assert.deepEqual(life.cleanup(), { ok: true });
    await life.released();
    assert.equal(life.state, 'unconfigured');
    assert.equal(life.segmentation, null);
    assert.deepEqual(t.releasedPublishers.sort(), ['camera_info', 'colorized', 'confidence', 'diagnostics', 'label', 'label_info', 'overlay']);
    assert.equal(t.timerCount, 0);
    assert.equal(t.closed, false, 'cleanup keeps the node itself (its lifecycle services) alive');

    // static parameters may change while unconfigured, and the next configure uses them
    assert.equal(t.setParameters([{ name: 'label_resolution', value: 'network' }]).successful, true);
    assert.deepEqual(life.configure(), { ok: true });
    assert.equal(life.segmentation!.settings.labelResolution, 'network');
    life.shutdown();
    await life.released();
  });

  it('a failed configure (bad model path) logs the reason, stays unconfigured and can be retried after fixing the parameter', async () => {
    const missing = path.join(__dirname, '..', 'fixtures', 'no-such-model.onnx');
    const { t, life } = managed({ model_path: missing });
    const r = life.configure();
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /configure failed: .*no-such-model\.onnx/);
    assert.equal(life.state, 'unconfigured');
    assert.ok(t.logs.some((l) => l.level === 'error' && /no-such-model\.onnx/.test(l.message)));
    assert.deepEqual(t.qos.outputs, {}, 'nothing advertised by the failed attempt');
    assert.equal(t.timerCount, 0);

    assert.equal(t.setParameters([{ name: 'model_path', value: MODEL }]).successful, true);
    assert.deepEqual(life.configure(), { ok: true });
    assert.equal(life.state, 'inactive');
    life.shutdown();
    await life.released();
  });

  it('static parameters are read-only once configured; dynamic ones apply to the configured node', async () => {
    const { t, life } = managed();
    life.configure();
    const r = t.setParameters([{ name: 'model_path', value: MODEL }]);
    assert.equal(r.successful, false);
    assert.match(r.reason, /model_path is read-only/);
    assert.equal(t.setParameters([{ name: 'overlay_alpha', value: 0.25 }]).successful, true);
    assert.equal(life.segmentation!.pipeline.current.overlayAlpha, 0.25);
    life.cleanup();
    await life.released();
    life.configure();
    assert.equal(life.segmentation!.pipeline.current.overlayAlpha, 0.25, 'a dynamic change survives cleanup');
    life.shutdown();
    await life.released();
  });

  it('refuses transitions the state does not allow, naming both', async () => {
    const { t, life } = managed();
    assert.deepEqual(life.activate(), { ok: false, reason: 'cannot activate from the unconfigured state' });
    assert.deepEqual(life.cleanup(), { ok: false, reason: 'cannot cleanup from the unconfigured state' });
    life.configure();
    life.activate();
    assert.deepEqual(life.cleanup(), { ok: false, reason: 'cannot cleanup from the active state' });
    assert.deepEqual(life.configure(), { ok: false, reason: 'cannot configure from the active state' });
    assert.equal(life.state, 'active');
    assert.ok(t.logs.some((l) => l.level === 'warn' && /cannot cleanup from the active state/.test(l.message)));
    assert.deepEqual(life.shutdown(), { ok: true });
    await life.released();
    assert.equal(life.state, 'finalized');
    assert.equal(t.input, null);
    assert.deepEqual(life.configure(), { ok: false, reason: 'cannot configure from the finalized state' });
  });
});

describe('lifecycle mode: error processing', () => {
  it('recover releases the configured node and returns to unconfigured, from which configure works again', async () => {
    const { t, life } = managed();
    life.configure();
    life.activate();
    assert.deepEqual(life.recover(), { ok: true });
    await life.released();
    assert.equal(life.state, 'unconfigured');
    assert.equal(t.input, null);
    assert.equal(t.timerCount, 0);
    assert.deepEqual(life.configure(), { ok: true });
    life.shutdown();
    await life.released();
    assert.deepEqual(life.recover(), { ok: false, reason: 'cannot recover from the finalized state' });
  });
});

describe('lifecycle mode: shutdown while active', () => {
  it('lets the running frame finish and publish, and never reopens the input meanwhile', async () => {
    const { t, life } = managed();
    life.configure();
    life.activate();
    t.deliverImage(rawImage(1));
    assert.deepEqual(life.shutdown(), { ok: true });
    t.runTimers(); // the lazy-input timer fires while the frame is still running
    assert.equal(t.input, null);
    await life.released();
    assert.equal(t.published.label.length, 1);
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info', '-image', '-camera_info']);
    assert.equal(t.timerCount, 0);
  });
});
