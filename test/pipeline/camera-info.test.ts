// ~/camera_info: the camera_info beside the image, matched by stamp and scaled to the label's
// resolution as image_proc's resize scales it (binning and ROI undone first).
import { strict as assert } from 'assert';

import { CameraInfoMatcher, FrameGeometry, scaleCameraInfo } from '../../src/pipeline/camera-info';
import type { CameraInfoMessage } from '../../src/pipeline/messages';
import { imageMessage, rawImage, readImage, startNode } from '../helpers/pipeline-harness';

function info(seq: number, over: Partial<CameraInfoMessage> = {}): CameraInfoMessage {
  return {
    header: { stamp: { sec: 1000 + seq, nanosec: seq * 1000 + 1 }, frame_id: `camera_${seq % 3}` },
    height: 48,
    width: 64,
    distortion_model: 'plumb_bob',
    d: Float64Array.from([0.1, -0.2, 0, 0, 0.05]),
    k: Float64Array.from([50, 0, 32, 0, 40, 24, 0, 0, 1]),
    r: Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]),
    p: Float64Array.from([50, 0, 32, -5, 0, 40, 24, 0, 0, 0, 1, 0]),
    binning_x: 0,
    binning_y: 0,
    roi: { x_offset: 0, y_offset: 0, height: 0, width: 0, do_rectify: false },
    ...over,
  };
}

const geometry = (seq: number, imageWidth: number, imageHeight: number, width: number, height: number): FrameGeometry => ({
  header: info(seq).header,
  imageWidth,
  imageHeight,
  width,
  height,
});

describe('camera_info', () => {
  it('scales K and P to the output size and keeps D, R and the distortion model', () => {
    const s = scaleCameraInfo(info(1), geometry(1, 64, 48, 32, 16));
    assert.deepEqual([s.width, s.height], [32, 16]);
    assert.deepEqual(s.k, [25, 0, 16, 0, 40 * (16 / 48), 8, 0, 0, 1]);
    assert.deepEqual(s.p, [25, 0, 16, -2.5, 0, 40 * (16 / 48), 8, 0, 0, 0, 1, 0]);
    assert.deepEqual(s.d, [0.1, -0.2, 0, 0, 0.05]);
    assert.deepEqual(s.r, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    assert.equal(s.distortion_model, 'plumb_bob');
    assert.deepEqual(s.header, info(1).header);
    // the same size: unchanged
    assert.deepEqual(scaleCameraInfo(info(1), geometry(1, 64, 48, 64, 48)).k, Array.from(info(1).k));
  });

  it('undoes binning and the region of interest, and describes a full, unbinned image', () => {
    // a 2x2-binned 64x48 window at (16, 8) of a larger sensor, with K in sensor pixels
    const binned = info(1, {
      width: 640,
      height: 480,
      k: [200, 0, 80, 0, 160, 56, 0, 0, 1],
      p: [200, 0, 80, 0, 0, 160, 56, 0, 0, 0, 1, 0],
      binning_x: 2,
      binning_y: 2,
      roi: { x_offset: 16, y_offset: 8, width: 128, height: 96, do_rectify: false },
    });
    const s = scaleCameraInfo(binned, geometry(1, 64, 48, 64, 48));
    assert.deepEqual(s.k, [100, 0, 32, 0, 80, 24, 0, 0, 1]);
    assert.deepEqual(Array.from(s.p).slice(0, 7), [100, 0, 32, 0, 0, 80, 24]);
    assert.deepEqual([s.binning_x, s.binning_y, s.roi.x_offset, s.roi.y_offset, s.roi.width, s.roi.height], [0, 0, 0, 0, 0, 0]);
  });

  it('refuses a malformed message, naming the field', () => {
    assert.throws(() => scaleCameraInfo(info(1, { k: [1, 2] }), geometry(1, 64, 48, 64, 48)), /camera_info k has 2 elements, expected 9/);
  });

  it('matches by stamp whichever comes first, once each, and forgets old ones', () => {
    const out: CameraInfoMessage[] = [];
    const m = new CameraInfoMatcher((i) => out.push(i), () => assert.fail(), 2);
    m.onCameraInfo(info(1));
    m.onFrame(geometry(1, 64, 48, 64, 48)); // info first
    m.onFrame(geometry(2, 64, 48, 64, 48));
    m.onCameraInfo(info(2)); // frame first
    m.onCameraInfo(info(3));
    m.onFrame(geometry(4, 64, 48, 64, 48)); // no partner
    for (const i of [5, 6, 7]) m.onCameraInfo(info(i));
    m.onFrame(geometry(3, 64, 48, 64, 48)); // its info was pushed out
    assert.deepEqual(out.map((i) => i.header.stamp.sec - 1000), [1, 2]);
  });

  it('is published by the node beside the label, with its header and size', async () => {
    const { t, node } = startNode({ label_resolution: 'network' });
    t.deliverCameraInfo(info(1, { width: 77, height: 51, k: [77, 0, 38.5, 0, 51, 25.5, 0, 0, 1] }));
    t.deliverImage(rawImage(1, { width: 77, height: 51 }));
    await node.pipeline.idle();
    const label = readImage(t.published.label[0]);
    assert.equal(t.cameraInfo.length, 1);
    const ci = t.cameraInfo[0];
    assert.deepEqual(ci.header, imageMessage(1).header);
    assert.deepEqual([ci.width, ci.height], [label.width, label.height]);
    assert.notDeepEqual([label.width, label.height], [77, 51], 'network resolution differs from the input');
    assert.equal(ci.k[0], (77 * label.width) / 77);
    // without a camera_info subscriber nothing is matched or published
    t.cameraInfoSubscribers = 0;
    t.deliverCameraInfo(info(2));
    t.deliverImage(rawImage(2));
    await node.pipeline.idle();
    assert.equal(t.cameraInfo.length, 1);
    await node.close();
  });
});
