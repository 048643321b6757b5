// Several cameras in one node (the `cameras` parameter), through the in-memory transport: each
// camera's own topics and headers on one engine, its own newest-frame slot, round-robin between
// cameras, lazy input, diagnostics and bad input per camera, parameter checks, lifecycle mode.
import { strict as assert } from 'assert';

import { Engine } from '../../src/engine/engine';
import { cameraNameProblem, cameraTopics, MAX_CAMERAS } from '../../src/pipeline/camera-topics';
import { InMemoryTransport, InMemoryTransportOptions } from '../../src/pipeline/memory-transport';
import type { CameraInfoMessage } from '../../src/pipeline/messages';
import type { ParamValue } from '../../src/pipeline/params';
import { SegmentationLifecycle } from '../../src/pipeline/segmentation-lifecycle';
import { writeImage } from '../helpers/cdr-oracle';
import { imageMessage, MODEL, rawImage, readImage, startNode } from '../helpers/pipeline-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stamps = (outs: unknown[]) => outs.map((b) => readImage(b).header.stamp.sec - 1000);

function cameraInfo(seq: number): CameraInfoMessage {
  return {
    header: { stamp: { sec: 1000 + seq, nanosec: seq * 1000 + 1 }, frame_id: 'cam' },
    height: 48,
    width: 64,
    distortion_model: 'plumb_bob',
    d: [0, 0, 0, 0, 0],
    k: [50, 0, 32, 0, 50, 24, 0, 0, 1],
    r: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    p: [50, 0, 32, 0, 0, 50, 24, 0, 0, 0, 1, 0],
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
  };
}

describe('several cameras (in-memory transport)', () => {
  const reference = Engine.fromFile(MODEL, { threads: 1 });

  it('gives each of two or three cameras its own outputs, with its own headers, from one engine', async () => {
    for (const cameras of [['front', 'down'], ['front', 'down', '/rear']]) {
      let loads = 0;
      const { t, node } = startNode({ cameras }, {}, { loadEngine: (f, o) => (loads++, Engine.fromFile(f, o)) });
      assert.equal(loads, 1, 'one model load for every camera');
      assert.deepEqual(node.cameras.map((c) => c.inputTopic), cameras.map((c) => `${c}/image_raw`));
      const outputs = cameras.flatMap((c) => ['label', 'overlay', 'colorized', 'confidence'].map((o) => `${c}/attendseg/${o}`));
      assert.deepEqual(Object.keys(t.qos.outputs).sort(), outputs.sort());
      assert.equal(t.input, null, 'nothing subscribes the single-camera topic `image`');
      // each camera gets frames of its own size and stamp
      const inputs = cameras.map((_, i) => imageMessage(10 * (i + 1), { width: 40 + 8 * i, height: 30 + 4 * i }));
      cameras.forEach((c, i) => t.deliverImage(writeImage(inputs[i]), `${c}/image_raw`));
      cameras.forEach((c, i) => t.deliverCameraInfo(cameraInfo(10 * (i + 1)), `${c}/camera_info`));
      await node.idle();
      for (const [i, c] of cameras.entries()) {
        const label = readImage(t.published[`${c}/attendseg/label`][0]);
        assert.deepEqual(label.header, inputs[i].header, c);
        assert.deepEqual([label.width, label.height], [inputs[i].width, inputs[i].height], c);
        const expected = await reference.run(inputs[i], { label: true });
        assert.ok(Buffer.from(label.data).equals(expected.label!), `${c}: the engine's labels`);
        assert.deepEqual(stamps(t.published[`${c}/attendseg/overlay`]), [10 * (i + 1)], c);
        assert.equal(t.cameraInfos[`${c}/attendseg/camera_info`].length, 1, `${c}: its camera_info`);
        assert.deepEqual(t.cameraInfos[`${c}/attendseg/camera_info`][0].header, inputs[i].header);
        assert.equal(t.labelInfos[`${c}/attendseg/label_info`].length, 1, `${c}: its label info`);
        assert.equal(node.cameras[i].pipeline.stats.published, 1);
      }
      assert.equal(t.published.label, undefined, 'no single-camera ~/label');
      await node.close();
    }
  });

  it("keeps each camera's newest frame waiting: a camera's frame replaces only its own", async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'] });
    t.deliverImage(rawImage(1), 'front/image_raw'); // runs
    for (let i = 2; i <= 5; i++) t.deliverImage(rawImage(i), 'front/image_raw');
    t.deliverImage(rawImage(11), 'down/image_raw');
    t.deliverImage(rawImage(12), 'down/image_raw');
    await node.idle();
    assert.deepEqual(stamps(t.published['front/attendseg/label']), [1, 5]);
    assert.deepEqual(stamps(t.published['down/attendseg/label']), [12]);
    const [front, down] = node.cameras.map((c) => c.pipeline.stats);
    assert.deepEqual([front.received, front.published, front.dropped], [5, 2, 3]);
    assert.deepEqual([down.received, down.published, down.dropped], [2, 1, 1]);
    // round-robin: the engine went to down after front's frame, before front's newer one
    assert.deepEqual(
      t.publishOrder.filter((p) => p.includes('/label ')),
      ['front/attendseg/label 1001', 'down/attendseg/label 1012', 'front/attendseg/label 1005'],
    );
    await node.close();
  });

  it('is fair: a camera flooding frames never starves one that sends a frame now and then', async () => {
    const { t, node } = startNode({ cameras: ['fast', 'slow', 'third'], publish_overlay: false });
    const arrivedAt = new Map<number, number>(); // slow frame -> labels published before it arrived
    let seq = 0;
    for (let round = 0; round < 60; round++) {
      // the fast camera floods: several frames per engine frame
      for (let k = 0; k < 3; k++) t.deliverImage(rawImage(++seq), 'fast/image_raw');
      if (round % 6 === 3) {
        const s = 500 + round;
        arrivedAt.set(s, t.publishOrder.length);
        t.deliverImage(rawImage(s), 'slow/image_raw');
      }
      if (round % 20 === 7) t.deliverImage(rawImage(900 + round), 'third/image_raw');
      await sleep(1);
    }
    await node.idle();
    const slow = node.cameras[1].pipeline.stats;
    assert.equal(slow.received, arrivedAt.size);
    assert.equal(slow.dropped, 0, "every slow frame ran: none was replaced by the fast camera's frames");
    assert.deepEqual(stamps(t.published['slow/attendseg/label']), [...arrivedAt.keys()]);
    assert.ok(node.cameras[0].pipeline.stats.dropped > 0, 'the fast camera did flood the engine');
    // bounded wait: after a slow frame arrives, before it come at most the frame running then and
    // one frame of each other camera whose turn is first; never two of the fast camera's
    for (const [s, before] of arrivedAt) {
      const at = t.publishOrder.indexOf(`slow/attendseg/label ${1000 + s}`);
      assert.ok(at >= before, `slow ${s} published`);
      const between = t.publishOrder.slice(before, at);
      assert.ok(between.length <= 3, `slow ${s} waited for ${between.join(', ')}`);
      assert.ok(between.filter((p) => p.startsWith('fast/')).length <= 1, `slow ${s} waited for ${between.join(', ')}`);
    }
    await node.close();
  });

  it("subscribes a camera's input only while one of its own outputs has a subscriber", async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'] }, { defaultSubscribers: 0, subscribers: { 'front/attendseg/label': 1 } });
    assert.deepEqual(t.subscriptionLog, ['+front/image_raw', '+front/camera_info']);
    assert.deepEqual(Object.keys(t.inputs), ['front/image_raw']);
    assert.throws(() => t.deliverImage(rawImage(1), 'down/image_raw'), /nothing subscribes down\/image_raw/);

    t.subscribers['down/attendseg/overlay'] = 1;
    t.runTimers();
    assert.deepEqual(t.subscriptionLog.slice(2), ['+down/image_raw', '+down/camera_info']);
    t.subscribers['front/attendseg/label'] = 0;
    t.runTimers();
    assert.deepEqual(t.subscriptionLog.slice(4), ['-front/image_raw', '-front/camera_info']);
    assert.deepEqual(Object.keys(t.inputs), ['down/image_raw']);
    t.deliverImage(rawImage(2), 'down/image_raw');
    await node.idle();
    assert.deepEqual(stamps(t.published['down/attendseg/overlay']), [2]);
    assert.deepEqual(t.published['down/attendseg/label'], [], 'an output without subscribers costs nothing');
    await node.close();
  });

  it('subscribes <camera>/image_raw/compressed with input_transport compressed', async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'], input_transport: 'compressed' });
    assert.deepEqual(node.cameras.map((c) => c.inputTopic), ['front/image_raw/compressed', 'down/image_raw/compressed']);
    assert.deepEqual(t.subscriptionLog, ['+front/image_raw/compressed', '+front/camera_info', '+down/image_raw/compressed', '+down/camera_info']);
    await node.close();
  });

  it('applies the dynamic output switches and overlay_alpha to every camera', async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'] });
    assert.equal(t.setParameters([{ name: 'publish_overlay', value: false }, { name: 'publish_confidence', value: true }]).successful, true);
    t.deliverImage(rawImage(1), 'front/image_raw');
    t.deliverImage(rawImage(2), 'down/image_raw');
    await node.idle();
    for (const c of ['front', 'down']) {
      assert.equal(t.published[`${c}/attendseg/overlay`].length, 0, c);
      assert.equal(t.published[`${c}/attendseg/confidence`].length, 1, c);
    }
    assert.equal(t.setParameters([{ name: 'overlay_alpha', value: 0.25 }]).successful, true);
    assert.deepEqual(node.cameras.map((c) => c.pipeline.current.overlayAlpha), [0.25, 0.25]);
    // all outputs off: no camera wants frames, so every input closes at once
    assert.equal(t.setParameters(['label', 'confidence'].map((o) => ({ name: `publish_${o}`, value: false }))).successful, true);
    assert.deepEqual(t.inputs, {});
    await node.close();
  });

  it("reports each camera's rates, drops and rejections in its own DiagnosticStatus", async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'] });
    for (let i = 1; i <= 3; i++) t.deliverImage(rawImage(i), 'front/image_raw');
    await node.idle();
    t.deliverImage(writeImage({ ...imageMessage(4), encoding: 'bayer_rggb8' }), 'down/image_raw');
    await node.idle();
    t.runTimers();
    const [front, down] = t.diagnostics[0].status;
    const value = (s: typeof front, k: string) => s.values.find((v) => v.key === k)?.value;
    assert.equal(front.name, 'attendseg: segmentation front');
    assert.equal(down.name, 'attendseg: segmentation down');
    assert.equal(value(front, 'input topic'), 'front/image_raw');
    assert.equal(value(down, 'input topic'), 'down/image_raw');
    assert.deepEqual([front.level, front.message], [0, 'segmenting']);
    assert.deepEqual(['frames received', 'frames published', 'frames dropped', 'frames rejected'].map((k) => value(front, k)), ['3', '2', '1', '0']);
    assert.equal(down.level, 1);
    assert.match(down.message, /^1 frame\(s\) rejected: unsupported encoding 'bayer_rggb8'/);
    assert.deepEqual(['frames received', 'frames published', 'frames rejected'].map((k) => value(down, k)), ['1', '0', '1']);
    assert.ok(Number(value(front, 'input rate (Hz)')) > 0);
    assert.equal(value(down, 'latency p50 (ms)'), 'n/a');
    await node.close();
  });

  it('leaves the other cameras untouched when one sends bad frames', async () => {
    const { t, node } = startNode({ cameras: ['front', 'down'] });
    const bad: Buffer[] = [Buffer.from('not a message'), writeImage({ ...imageMessage(7), step: 3 }), Buffer.alloc(0)];
    const good = [1, 2, 3].map((i) => imageMessage(i, { width: 50, height: 20 }));
    for (let i = 0; i < 3; i++) {
      t.deliverImage(bad[i], 'down/image_raw');
      t.deliverImage(writeImage(good[i]), 'front/image_raw');
      await node.idle();
    }
    assert.deepEqual(stamps(t.published['front/attendseg/label']), [1, 2, 3]);
    for (const [i, out] of t.published['front/attendseg/label'].entries()) {
      const expected = await reference.run(good[i], { label: true });
      assert.ok(Buffer.from(readImage(out).data).equals(expected.label!));
    }
    const [front, down] = node.cameras.map((c) => c.pipeline.stats);
    assert.deepEqual([front.rejected, front.published], [0, 3]);
    assert.deepEqual([down.rejected, down.published], [3, 0]);
    assert.equal(t.published['down/attendseg/label'].length, 0);
    // the warning names the camera
    assert.ok(t.logs.some((l) => l.level === 'warn' && /^camera down: frame rejected: /.test(l.message)));
    assert.ok(!t.logs.some((l) => l.level === 'warn' && /^camera front: /.test(l.message)));
    await node.close();
  });

  it('refuses bad camera lists at start, naming the entry', () => {
    const cases: [ParamValue, RegExp][] = [
      [['front', 'front'], /^cameras: camera 'front' is listed twice$/],
      [['front', 'fr ont'], /^cameras: camera 'fr ont' has a name with a character other than letters, digits and _ \('fr ont'\)$/],
      [['front/'], /^cameras: camera 'front\/' ends with \/$/],
      [['robot//front'], /^cameras: camera 'robot\/\/front' has an empty name between two \/$/],
      [['2nd'], /^cameras: camera '2nd' has a name starting with a digit \('2nd'\)$/],
      [['~/front'], /^cameras: camera '~\/front' has a name with a character other than/],
      [[''], /^cameras: camera '' is empty$/],
      [['/'], /^cameras: camera '\/' is the root namespace/],
      [Array.from({ length: MAX_CAMERAS + 1 }, (_, i) => `cam${i}`), new RegExp(`^cameras: ${MAX_CAMERAS + 1} cameras; at most ${MAX_CAMERAS}$`)],
      ['front', /^cameras must be of type string_array, got string 'front'$/],
      // the same camera once resolved in the node's namespace (the root here)
      [['front', '/front'], /^cameras: 'front' and '\/front' are the same camera, \/front$/],
    ];
    for (const [cameras, reason] of cases) assert.throws(() => startNode({ cameras }), { message: reason }, JSON.stringify(cameras));
    assert.throws(
      () => startNode({ cameras: ['front', '/robot/front'] }, { nodeName: '/robot/attendseg' }),
      /'front' and '\/robot\/front' are the same camera, \/robot\/front/,
    );
    assert.equal(cameraNameProblem('/robot/front_2'), null);
  });

  it('takes cameras only at start', async () => {
    const { t, node } = startNode({ cameras: ['front'] });
    const r = t.setParameters([{ name: 'cameras', value: ['front', 'down'] }]);
    assert.equal(r.successful, false);
    assert.match(r.reason, /^cameras is read-only while the node runs/);
    assert.deepEqual(t.getParameter('cameras'), ['front']);
    await node.close();
  });

  it("names outputs <camera>/<node name>/<output>; relative cameras resolve in the node's namespace", () => {
    const topics = cameraTopics(['front', '/top'], '/robot/seg');
    assert.deepEqual(
      topics.map((c) => [c.camera, c.image, c.output('label'), c.output('camera_info')]),
      [
        ['front', 'front/image_raw', 'front/seg/label', 'front/seg/camera_info'],
        ['/top', '/top/image_raw', '/top/seg/label', '/top/seg/camera_info'],
      ],
    );
    const [single] = cameraTopics([], '/robot/seg');
    assert.deepEqual([single.camera, single.image, single.output('label')], ['', 'image', '~/label']);
  });
});

describe('several cameras in lifecycle mode (in-memory transport)', () => {
  function managed(overrides: Record<string, ParamValue>, options: InMemoryTransportOptions = {}) {
    const t = new InMemoryTransport({ ...options, overrides: { model_path: MODEL, threads: 2, ...overrides } });
    return { t, life: new SegmentationLifecycle(t) };
  }

  it('configure loads one engine for all cameras, activate opens their inputs lazily, deactivate closes all, cleanup releases all', async () => {
    const { t, life } = managed({ cameras: ['front', 'down'] }, { subscribers: { 'down/attendseg/label': 0, 'down/attendseg/overlay': 0 } });
    assert.deepEqual(life.configure(), { ok: true });
    assert.equal(life.segmentation!.cameras.length, 2);
    t.runTimers();
    assert.deepEqual(t.subscriptionLog, [], 'inactive: no input');
    assert.deepEqual(t.labelInfos, { 'front/attendseg/label_info': [], 'down/attendseg/label_info': [] });

    assert.deepEqual(life.activate(), { ok: true });
    // down's enabled outputs (label, overlay) have no subscriber: only front opens
    assert.deepEqual(t.subscriptionLog, ['+front/image_raw', '+front/camera_info']);
    assert.equal(t.labelInfos['front/attendseg/label_info'].length, 1);
    assert.equal(t.labelInfos['down/attendseg/label_info'].length, 1);
    t.subscribers['down/attendseg/label'] = 1;
    t.runTimers();
    assert.deepEqual(t.subscriptionLog.slice(2), ['+down/image_raw', '+down/camera_info']);
    t.deliverImage(rawImage(1), 'front/image_raw');
    t.deliverImage(rawImage(2), 'down/image_raw');
    await life.segmentation!.idle();
    assert.deepEqual([t.published['front/attendseg/label'].length, t.published['down/attendseg/label'].length], [1, 1]);
    t.runTimers();
    assert.deepEqual(t.diagnostics[0].status.map((s) => s.name), ['attendseg: segmentation front', 'attendseg: segmentation down']);

    t.deliverImage(rawImage(3), 'down/image_raw'); // running while deactivated: published nowhere
    assert.deepEqual(life.deactivate(), { ok: true });
    assert.deepEqual(t.inputs, {});
    assert.deepEqual(t.subscriptionLog.slice(4).sort(), ['-down/camera_info', '-down/image_raw', '-front/camera_info', '-front/image_raw']);
    await life.segmentation!.idle();
    assert.equal(t.published['down/attendseg/label'].length, 1);

    assert.deepEqual(life.cleanup(), { ok: true });
    await life.released();
    const released = ['label', 'overlay', 'colorized', 'confidence', 'camera_info', 'label_info'].flatMap((o) => [`front/attendseg/${o}`, `down/attendseg/${o}`]);
    assert.deepEqual(t.releasedPublishers.sort(), [...released, 'diagnostics'].sort());
    assert.equal(t.timerCount, 0);
    // unconfigured, the camera list may change; the next configure uses it
    assert.equal(t.setParameters([{ name: 'cameras', value: ['left'] }]).successful, true);
    assert.deepEqual(life.configure(), { ok: true });
    assert.deepEqual(life.segmentation!.cameras.map((c) => c.inputTopic), ['left/image_raw']);
    life.shutdown();
    await life.released();
  });
});
