// ~/confidence through the in-memory transport: off by default and then not computed, published
// with the input header at the label's size and encoding, the engine's bytes, switched at run time
// and lazy like the other outputs.
import { strict as assert } from 'assert';

import { Engine, EngineOptions, SegmentOptions } from '../../src/engine/engine';
import type { ImageMessage } from '../../src/pipeline/messages';
import { writeImage } from '../helpers/cdr-oracle';
import { imageMessage, MODEL, readImage, startNode } from '../helpers/pipeline-harness';

/** Engine.fromFile recording the options of every frame. */
function spyingLoader(asked: SegmentOptions[]) {
  return (f: string, o: EngineOptions) => {
    const e = Engine.fromFile(f, o);
    const runCdr = e.runCdr.bind(e);
    const run = e.run.bind(e);
    e.runCdr = (frame, header, opts = {}) => (asked.push(opts), runCdr(frame, header, opts));
    e.run = (frame, opts = {}) => (asked.push(opts), run(frame, opts));
    return e;
  };
}

describe('~/confidence (in-memory transport)', () => {
  const reference = Engine.fromFile(MODEL, { threads: 1 });

  it('is off by default: not computed, not published', async () => {
    const asked: SegmentOptions[] = [];
    const { t, node } = startNode({}, {}, { loadEngine: spyingLoader(asked) });
    t.deliverImage(writeImage(imageMessage(1)));
    await node.pipeline.idle();
    assert.equal(t.publishCounts.label, 1);
    assert.equal(t.publishCounts.confidence, 0);
    assert.equal(asked[0].confidence, false);
    await node.close();
  });

  for (const serialized of [true, false])
    for (const labelResolution of ['input', 'network'] as const)
      it(`publishes the engine's map with the input header at the label's size (${labelResolution}, serialized_io ${serialized})`, async () => {
        const { t, node } = startNode({
          publish_confidence: true,
          label_resolution: labelResolution,
          serialized_io: serialized,
          network_width: 96,
          network_height: 64,
        });
        const input = imageMessage(3, { width: 77, height: 51, pad: 3 });
        t.deliverImage(serialized ? writeImage(input) : input);
        await node.pipeline.idle();
        const read = (m: unknown) => (serialized ? readImage(m) : (m as ImageMessage));
        const label = read(t.published.label[0]);
        const conf = read(t.published.confidence[0]);
        assert.deepEqual(conf.header, input.header);
        assert.deepEqual(label.header, input.header);
        assert.deepEqual([conf.width, conf.height, conf.encoding, conf.step], [label.width, label.height, 'mono8', label.width]);
        assert.deepEqual([conf.width, conf.height], labelResolution === 'input' ? [77, 51] : [96, 64]);
        const want = await reference.run(input, { networkWidth: 96, networkHeight: 64, labelResolution, confidence: true });
        assert.ok(Buffer.from(conf.data).equals(want.confidence!), 'the engine computes the same map');
        assert.ok(Buffer.from(label.data).equals(want.label!));
        assert.ok(new Set(conf.data).size > 1);
        await node.close();
      });

  it('switches at run time and is computed only while someone subscribes', async () => {
    const asked: SegmentOptions[] = [];
    const { t, node } = startNode({}, {}, { loadEngine: spyingLoader(asked) });
    const deliver = async (seq: number) => {
      t.deliverImage(writeImage(imageMessage(seq)));
      await node.pipeline.idle();
    };
    await deliver(1);
    assert.deepEqual(t.setParameters([{ name: 'publish_confidence', value: true }]), { successful: true, reason: '' });
    await deliver(2);
    assert.equal(t.publishCounts.confidence, 1);
    assert.equal(readImage(t.published.confidence[0]).header.stamp.sec, 1002);
    t.subscribers.confidence = 0;
    await deliver(3);
    assert.deepEqual(asked.map((o) => o.confidence), [false, true, false]);
    assert.equal(t.publishCounts.confidence, 1);
    await node.close();
  });
});
