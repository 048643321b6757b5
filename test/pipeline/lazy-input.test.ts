// The input is subscribed only while an output that is switched on has a subscriber, checked on
// the node's timer as image_pipeline does; camera_info is subscribed with it.
import { strict as assert } from 'assert';

import { rawImage, startNode } from '../helpers/pipeline-harness';

describe('lazy input (in-memory transport)', () => {
  it('subscribes nothing while no output has a subscriber', async () => {
    const { t, node } = startNode({}, { subscribers: { label: 0, overlay: 0, colorized: 0 } });
    assert.equal(t.input, null);
    assert.deepEqual(t.subscriptionLog, []);
    assert.throws(() => t.deliverImage(rawImage(1)), /nothing subscribes image/);
    t.runTimers();
    assert.equal(t.input, null);
    await node.close();
  });

  it('subscribes image and camera_info when a subscriber comes and unsubscribes when the last one goes', async () => {
    const { t, node } = startNode({}, { subscribers: { label: 0, overlay: 0, colorized: 0 } });
    t.subscribers.overlay = 1;
    t.runTimers();
    assert.deepEqual(t.input, { kind: 'image', serialized: true });
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info']);
    t.deliverImage(rawImage(1));
    await node.pipeline.idle();
    assert.equal(t.published.overlay.length, 1);
    t.runTimers(); // still wanted: nothing changes
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info']);
    t.subscribers.overlay = 0;
    t.runTimers();
    assert.equal(t.input, null);
    assert.deepEqual(t.subscriptionLog, ['+image', '+camera_info', '-image', '-camera_info']);
    assert.ok(t.logs.some((l) => l.level === 'info' && /no output has a subscriber: unsubscribed image and camera_info/.test(l.message)));
    await node.close();
  });

  it('counts only outputs that are switched on, and follows the switches at once', async () => {
    // colorized has a subscriber but is off by default
    const { t, node } = startNode({}, { subscribers: { label: 0, overlay: 0, colorized: 1 } });
    assert.equal(t.input, null);
    assert.equal(t.setParameters([{ name: 'publish_colorized', value: true }]).successful, true);
    assert.notEqual(t.input, null, 'switching an output on subscribes without waiting for the timer');
    assert.equal(t.setParameters([{ name: 'publish_colorized', value: false }]).successful, true);
    assert.equal(t.input, null);
    await node.close();
  });

  it('subscribes image/compressed the same way', async () => {
    const { t, node } = startNode({ input_transport: 'compressed' }, { subscribers: { label: 0, overlay: 0 } });
    assert.equal(t.input, null);
    t.subscribers.label = 2;
    t.runTimers();
    assert.deepEqual(t.input, { kind: 'compressed', serialized: true });
    assert.deepEqual(t.subscriptionLog, ['+image/compressed', '+camera_info']);
    await node.close();
  });
});
