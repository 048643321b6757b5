// The topics the node ends up on under ROS, without ROS: RclTransport over a stand-in rclnodejs
// node that resolves names as rcl does (`~` to the node's name, relative names in its namespace).
// One camera keeps the node's own names; with cameras, each has its own, in its namespace.
import { strict as assert } from 'assert';

import { PARAMS, ParamValue } from '../../src/pipeline/params';
import { SegmentationNode } from '../../src/pipeline/segmentation-node';
import type { Rclnodejs } from '../../src/ros/load-rclnodejs';
import { RclTransport } from '../../src/ros/rcl-transport';
import type * as Rcl from '../../src/ros/rclnodejs-api';
import { MODEL } from '../helpers/pipeline-harness';

function standIn(fqn: string) {
  const ns = fqn.slice(0, fqn.lastIndexOf('/')) || '/';
  const resolve = (name: string) =>
    name.startsWith('/') ? name : name.startsWith('~') ? `${fqn}${name.slice(1)}` : `${ns === '/' ? '' : ns}/${name}`;
  const published: string[] = [];
  const subscribed: string[] = [];
  const quiet = () => {};
  const node = {
    getFullyQualifiedName: () => fqn,
    getLogger: () => ({ debug: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet }),
    resolveTopicName: resolve,
    createPublisher: (_type: unknown, topic: string) => {
      published.push(resolve(topic));
      return { topic: resolve(topic), subscriptionCount: 1, publish: quiet };
    },
    createSubscription: (_type: unknown, topic: string) => {
      subscribed.push(resolve(topic));
      return { topic: resolve(topic), publisherCount: 0 };
    },
    createTimer: () => ({ cancel: quiet }),
    destroyTimer: quiet,
    destroyPublisher: quiet,
    destroySubscription: quiet,
    destroy: quiet,
    now: () => ({ toMsg: () => ({ sec: 0, nanosec: 0 }) }),
  } as unknown as Rcl.Node;
  const rcl = { QoS: class {}, require: quiet } as unknown as Rclnodejs;
  return { transport: new RclTransport(rcl, node), published, subscribed };
}

async function topicsOf(fqn: string, overrides: Record<string, ParamValue>) {
  const { transport, published, subscribed } = standIn(fqn);
  const values = Object.fromEntries(PARAMS.map((p) => [p.name, p.default]));
  const node = SegmentationNode.configure(transport, { ...values, model_path: MODEL, threads: 1, ...overrides });
  node.activate();
  await node.release();
  return { published: published.sort(), subscribed };
}

const outputs = (prefix: string) => ['camera_info', 'colorized', 'confidence', 'label', 'label_info', 'overlay'].map((o) => `${prefix}/${o}`);

describe('topics on a ROS graph (RclTransport, stand-in node)', () => {
  it("one camera: the node's own outputs (~/label, ~/camera_info, ...), input image and the camera_info beside it", async () => {
    const t = await topicsOf('/robot/attendseg', {});
    assert.deepEqual(t.published, ['/diagnostics', ...outputs('/robot/attendseg')]);
    assert.deepEqual(t.subscribed, ['/robot/image', '/robot/camera_info']);
  });

  it('cameras: each camera its outputs under <camera>/<node name>, relative cameras in the namespace, absolute ones as they are', async () => {
    const t = await topicsOf('/robot/attendseg', { cameras: ['front', '/top'], input_transport: 'compressed' });
    assert.deepEqual(t.published, ['/diagnostics', ...outputs('/robot/front/attendseg'), ...outputs('/top/attendseg')]);
    assert.deepEqual(t.subscribed, ['/robot/front/image_raw/compressed', '/robot/front/camera_info', '/top/image_raw/compressed', '/top/camera_info']);
  });

  it('in the root namespace', async () => {
    const t = await topicsOf('/seg', { cameras: ['front'] });
    assert.deepEqual(t.published, ['/diagnostics', ...outputs('/front/seg')]);
    assert.deepEqual(t.subscribed, ['/front/image_raw', '/front/camera_info']);
  });
});
