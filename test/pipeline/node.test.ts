// The segmentation node through the in-memory transport: outputs and headers, the latest-frame
// slot, lazy outputs, run-time parameters, label info, diagnostics and shutdown.
import { strict as assert } from 'assert';

import { Engine, EngineOptions, SegmentOptions } from '../../src/engine/engine';
import type { ImageMessage } from '../../src/pipeline/messages';
import { writeImage } from '../helpers/cdr-oracle';
import { imageMessage, MODEL, rawImage, readImage, startNode } from '../helpers/pipeline-harness';

const stamps = (outs: unknown[]) => outs.map((b) => readImage(b).header.stamp.sec - 1000);

describe('segmentation node (in-memory transport)', () => {
  const reference = Engine.fromFile(MODEL, { threads: 1 });

  it('publishes label, overlay and colorized with the input header, as the engine computes them', async () => {
    const { t, node } = startNode({ publish_colorized: true });
    const input = imageMessage(1, { width: 77, height: 51, pad: 3 });
    t.deliverImage(writeImage(input));
    await node.pipeline.idle();
    const expected = await reference.run(input, { colorized: true, overlay: true, label: true });
    const label = readImage(t.published.label[0]);
    const overlay = readImage(t.published.overlay[0]);
    const colorized = readImage(t.published.colorized[0]);
    for (const m of [label, overlay, colorized]) assert.deepEqual(m.header, input.header);
    assert.deepEqual([label.width, label.height, label.encoding, label.step], [77, 51, 'mono8', 77]);
    assert.deepEqual([overlay.width, overlay.height, overlay.encoding, overlay.step], [77, 51, 'rgb8', 231]);
    assert.deepEqual([colorized.encoding, colorized.step], ['rgb8', 231]);
    assert.ok(Buffer.from(label.data).equals(expected.label!));
    assert.ok(Buffer.from(overlay.data).equals(expected.overlay!));
    assert.ok(Buffer.from(colorized.data).equals(expected.colorized!));
    assert.equal(t.publishCounts.label, 1);
    await node.close();
  });

  it('keeps one frame in flight and the newest waiting; older ones are dropped and counted', async () => {
    const { t, node } = startNode();
    for (let i = 1; i <= 6; ++i) t.deliverImage(rawImage(i));
    await node.pipeline.idle();
    assert.deepEqual(stamps(t.published.label), [1, 6]);
    assert.deepEqual(stamps(t.published.overlay), [1, 6]);
    const s = node.pipeline.stats;
    assert.deepEqual([s.received, s.published, s.dropped, s.rejected], [6, 2, 4, 0]);
    await node.close();
  });

  it('processes frames in arrival order when the engine keeps up', async () => {
    const { t, node } = startNode();
    for (let i = 1; i <= 4; ++i) {
      t.deliverImage(rawImage(i));
      await node.pipeline.idle();
    }
    assert.deepEqual(stamps(t.published.label), [1, 2, 3, 4]);
    assert.equal(node.pipeline.stats.dropped, 0);
    await node.close();
  });

  it('computes only the outputs that are switched on and have subscribers', async () => {
    const asked: SegmentOptions[] = [];
    const loadEngine = (f: string, o: EngineOptions) => {
      const e = Engine.fromFile(f, o);
      const runCdr = e.runCdr.bind(e);
      e.runCdr = (frame, header, o = {}) => (asked.push(o), runCdr(frame, header, o));
      return e;
    };
    const { t, node } = startNode({ publish_colorized: true }, { subscribers: { overlay: 0 } }, { loadEngine });
    t.deliverImage(rawImage(1));
    await node.pipeline.idle();
    assert.deepEqual([asked[0].label, asked[0].overlay, asked[0].colorized], [true, false, true]);
    assert.deepEqual([t.published.label.length, t.published.overlay.length, t.published.colorized.length], [1, 0, 1]);
    // nobody listening at all: the frame is not even parsed
    t.subscribers.label = t.subscribers.colorized = 0;
    t.deliverImage(Buffer.from('not a message'));
    await node.pipeline.idle();
    assert.equal(asked.length, 1);
    assert.deepEqual([node.pipeline.stats.skipped, node.pipeline.stats.rejected], [1, 0]);
    await node.close();
  });

  it('applies overlay_alpha and the output switches at run time', async () => {
    const { t, node } = startNode({ publish_colorized: true });
    const input = imageMessage(2);
    const overlayAt = async (alpha: number) => {
      assert.deepEqual(t.setParameters([{ name: 'overlay_alpha', value: alpha }]), { successful: true, reason: '' });
      t.deliverImage(writeImage(input));
      await node.pipeline.idle();
      return Buffer.from(readImage(t.published.overlay.at(-1)).data);
    };
    assert.ok((await overlayAt(0)).equals(Buffer.from(input.data)), 'alpha 0: the camera image');
    assert.ok((await overlayAt(1)).equals(Buffer.from(readImage(t.published.colorized.at(-1)).data)), 'alpha 1: the colours');
    assert.equal(t.getParameter('overlay_alpha'), 1);

    assert.equal(t.setParameters([{ name: 'publish_label', value: false }, { name: 'publish_colorized', value: false }]).successful, true);
    const before = [t.published.label.length, t.published.colorized.length];
    t.deliverImage(writeImage(input));
    await node.pipeline.idle();
    assert.deepEqual([t.published.label.length, t.published.colorized.length], before);
    assert.equal(t.published.overlay.length, 3);
    await node.close();
  });

  it('refuses invalid run-time changes with the reason and keeps the old values', async () => {
    const { t, node } = startNode();
    const refused: [Parameters<typeof t.setParameters>[0], RegExp][] = [
      [[{ name: 'overlay_alpha', value: 1.5 }], /^overlay_alpha must be within 0\.\.1, got 1\.5$/],
      [[{ name: 'overlay_alpha', type: 'integer', value: 1 }], /overlay_alpha must be of type double, got integer 1 \(write 1\.0\)/],
      [[{ name: 'publish_overlay', type: 'string', value: 'yes' }], /publish_overlay must be of type bool, got string 'yes'/],
      [[{ name: 'threads', value: 1 }], /threads is read-only while the node runs; set it at start/],
      [[{ name: 'model_path', value: '/tmp/x.onnx' }], /model_path is read-only/],
      [[{ name: 'overlay_alpha', value: 0.2 }, { name: 'qos', value: 'reliable' }], /qos is read-only/],
      [[{ name: 'overlay_alpha_typo', value: 0.2 }], /has not been declared/],
    ];
    for (const [changes, why] of refused) {
      const r = t.setParameters(changes);
      assert.equal(r.successful, false);
      assert.match(r.reason, why);
    }
    assert.equal(t.getParameter('overlay_alpha'), 0.5, 'a refused set changes nothing, even its valid part');
    assert.equal(node.pipeline.current.overlayAlpha, 0.5);
    await node.close();
  });

  it('publishes label info once, or warns once where vision_msgs is missing', async () => {
    const a = startNode();
    assert.equal(a.t.labelInfo.length, 1);
    const info = a.t.labelInfo[0];
    assert.equal(info.class_map.length, 11);
    assert.deepEqual(info.class_map.slice(0, 3), [
      { class_id: 0, class_name: 'Sky' },
      { class_id: 1, class_name: 'Building' },
      { class_id: 2, class_name: 'Pole' },
    ]);
    await a.node.close();
    const b = startNode({}, { visionMsgs: false });
    assert.equal(b.t.labelInfo.length, 0);
    assert.equal(b.t.logs.filter((l) => l.level === 'warn' && /vision_msgs/.test(l.message)).length, 1);
    await b.node.close();
  });

  it('reports rates, latency, counts, ISA and threads on /diagnostics', async () => {
    const { t, node } = startNode();
    t.runTimers();
    let status = t.diagnostics[0].status[0];
    const value = (k: string) => status.values.find((v) => v.key === k)?.value;
    assert.equal(status.name, 'attendseg: segmentation');
    assert.deepEqual([status.level, status.message], [0, 'no input']);
    for (let i = 1; i <= 3; ++i) t.deliverImage(rawImage(i));
    await node.pipeline.idle();
    t.deliverImage(writeImage({ ...imageMessage(4), encoding: 'bayer_rggb8' }));
    await node.pipeline.idle();
    t.runTimers();
    status = t.diagnostics[1].status[0];
    assert.equal(status.level, 1);
    assert.match(status.message, /^1 frame\(s\) rejected: unsupported encoding 'bayer_rggb8'/);
    assert.deepEqual(
      ['frames received', 'frames published', 'frames dropped', 'frames rejected'].map(value),
      ['4', '2', '1', '1'],
    );
    assert.ok(Number(value('input rate (Hz)')) > 0);
    assert.ok(Number(value('latency p95 (ms)')) >= Number(value('latency p50 (ms)')));
    assert.equal(value('isa'), node.engine.isa);
    assert.equal(value('threads'), '2');
    assert.equal(value('network size'), '64x48');
    await node.close();
  });

  it('publishes message objects on the plain path, byte-identical to the fast path once serialized', async () => {
    const fast = startNode({ publish_colorized: true, label_resolution: 'network', network_width: 96, network_height: 64 });
    const plain = startNode({
      publish_colorized: true,
      label_resolution: 'network',
      network_width: 96,
      network_height: 64,
      serialized_io: false,
    });
    assert.deepEqual(plain.t.input, { kind: 'image', serialized: false });
    for (const shape of [{ width: 64, height: 48 }, { width: 33, height: 19, pad: 5, encoding: 'bgr8' }]) {
      const m = imageMessage(9, shape);
      fast.t.deliverImage(writeImage(m));
      plain.t.deliverImage(readImage(writeImage(m))); // as rclnodejs would hand it over
      await Promise.all([fast.node.pipeline.idle(), plain.node.pipeline.idle()]);
      for (const out of ['label', 'overlay', 'colorized'] as const) {
        const p = plain.t.published[out].at(-1) as ImageMessage;
        assert.ok(!Buffer.isBuffer(p));
        assert.ok(writeImage(p).equals(fast.t.published[out].at(-1) as Buffer), `${out} ${shape.width}x${shape.height}`);
      }
    }
    await fast.node.close();
    await plain.node.close();
  });

  it('lets the running frame finish on close and unsubscribes', async () => {
    const { t, node } = startNode();
    t.deliverImage(rawImage(1));
    t.deliverImage(rawImage(2));
    await node.close();
    assert.deepEqual(stamps(t.published.label), [1]);
    assert.equal(t.input, null);
    assert.throws(() => t.deliverImage(rawImage(3)), /nothing subscribes image/);
    node.pipeline.submit({ kind: 'image', message: rawImage(4) }); // one already on its way
    await node.pipeline.idle();
    assert.equal(t.published.label.length, 1);
    assert.equal(t.closed, true);
  });
});
