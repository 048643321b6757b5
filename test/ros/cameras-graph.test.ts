// Two cameras in one node on a ROS 2 graph (the `cameras` parameter): started as a process, each
// camera's input opened only once one of its outputs has a subscriber, each camera's frames
// segmented to its own topics with its own headers, one diagnostics status per camera. Runs where
// ROS 2 is sourced (ROS_DISTRO set); skipped otherwise.
import { strict as assert } from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

import type { DiagnosticArrayMessage, ImageMessage } from '../../src/pipeline/messages';
import { Durability, History, Reliability } from '../../src/ros/qos';
import { typeClass } from '../../src/ros/rclnodejs-api';
import type * as Rcl from '../../src/ros/rclnodejs-api';
import { MODEL, imageMessage } from '../helpers/pipeline-harness';
import { until } from '../helpers/ros-graph';

const root = path.resolve(__dirname, '..', '..');
const NS = `/attendseg_cams_${process.pid}`;
// one camera relative to the node's namespace, one absolute
const FRONT = `${NS}/front`;
const DOWN = `${NS}_down`;
const CAMERAS = ['front', DOWN];

describe('two cameras in one node on a ROS 2 graph', function () {
  this.timeout(120000);
  let rcl: Rcl.Rclnodejs;
  let node: Rcl.Node;
  let child: ChildProcess | undefined;
  let childLog = '';
  let childExit: Promise<number | null>;
  const labels: Record<string, ImageMessage[]> = { [FRONT]: [], [DOWN]: [] };
  const diagnostics: DiagnosticArrayMessage[] = [];
  let bestEffort: Rcl.QoS;

  before(async function () {
    if (!process.env.ROS_DISTRO) {
      console.log('      (skipped: ROS 2 is not sourced, ROS_DISTRO is unset)');
      this.skip();
    }
    rcl = require('rclnodejs') as Rcl.Rclnodejs;
    await rcl.init();
    node = new rcl.Node(`attendseg_cams_test_${process.pid}`);
    bestEffort = new rcl.QoS(History.KEEP_LAST, 10, Reliability.BEST_EFFORT, Durability.VOLATILE);
    node.createSubscription(typeClass('diagnostic_msgs/msg/DiagnosticArray'), '/diagnostics', {}, (m: unknown) =>
      diagnostics.push(m as DiagnosticArrayMessage),
    );
    // only front's label is wanted at first
    node.createSubscription(typeClass('sensor_msgs/msg/Image'), `${FRONT}/attendseg/label`, { qos: bestEffort }, (m: unknown) =>
      labels[FRONT].push(m as ImageMessage),
    );
    node.spin();

    child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(root, 'src', 'ros', 'main.ts'), '--ros-args', '-r', `__ns:=${NS}`,
        '-p', `model_path:=${MODEL}`, '-p', 'threads:=1', '-p', `cameras:=${JSON.stringify(CAMERAS).replace(/"/g, "'")}`],
      { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (childLog += d));
    child.stderr!.on('data', (d) => (childLog += d));
    childExit = new Promise((resolve) => child!.on('exit', (code) => resolve(code)));
    await until('the node to subscribe front/image_raw', 60000, () => (node.countSubscribers(`${FRONT}/image_raw`) > 0 ? true : undefined)).catch((e) => {
      throw new Error(`${e.message}; node output:\n${childLog}`);
    });
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (rcl && !rcl.isShutdown()) rcl.shutdown();
  });

  it("opens a camera's input only while one of its own outputs has a subscriber", async () => {
    assert.equal(node.countSubscribers(`${FRONT}/camera_info`), 1);
    assert.equal(node.countSubscribers(`${DOWN}/image_raw`), 0, 'nobody wants down: its input stays closed');
    node.createSubscription(typeClass('sensor_msgs/msg/Image'), `${DOWN}/attendseg/label`, { qos: bestEffort }, (m: unknown) =>
      labels[DOWN].push(m as ImageMessage),
    );
    await until('the node to subscribe the down camera', 10000, () => (node.countSubscribers(`${DOWN}/image_raw`) > 0 ? true : undefined));
  });

  it("segments each camera's frames to its own topics with its own headers", async () => {
    const qos = new rcl.QoS(History.KEEP_LAST, 5, Reliability.BEST_EFFORT, Durability.VOLATILE);
    const pubs = [FRONT, DOWN].map((cam) => node.createPublisher(typeClass('sensor_msgs/msg/Image'), `${cam}/image_raw`, { qos }));
    const sent: Record<string, Map<number, ImageMessage>> = { [FRONT]: new Map(), [DOWN]: new Map() };
    let seq = 0;
    const timer = setInterval(() => {
      seq++;
      // front at 3x the rate of down, and at another size
      const front = imageMessage(seq, { width: 80, height: 60 });
      sent[FRONT].set(front.header.stamp.sec, front);
      pubs[0].publish(front);
      if (seq % 3 === 0) {
        const down = imageMessage(10000 + seq, { width: 48, height: 32 });
        sent[DOWN].set(down.header.stamp.sec, down);
        pubs[1].publish(down);
      }
    }, 60);
    try {
      await until('labels from both cameras', 30000, () => (labels[FRONT].length > 2 && labels[DOWN].length > 2 ? true : undefined));
    } finally {
      clearInterval(timer);
    }
    for (const [cam, size] of [[FRONT, [80, 60]], [DOWN, [48, 32]]] as const)
      for (const label of labels[cam]) {
        const source = sent[cam].get(label.header.stamp.sec);
        assert.ok(source, `${cam}: label stamp ${label.header.stamp.sec} is not one sent on this camera`);
        assert.deepEqual(label.header, source.header);
        assert.deepEqual([label.width, label.height], size);
      }
  });

  it('reports one diagnostics status per camera', async () => {
    const name = (cam: string) => `${NS.slice(1)}/attendseg: segmentation ${cam}`;
    for (const cam of CAMERAS) {
      const status = await until(`a diagnostics status for ${cam}`, 5000, () =>
        diagnostics.flatMap((d) => d.status).find((s) => s.name === name(cam) && Number(s.values.find((v) => v.key === 'frames published')?.value) > 0),
      );
      const topic = status.values.find((v) => v.key === 'input topic')!.value;
      assert.equal(topic, cam === 'front' ? `${FRONT}/image_raw` : `${DOWN}/image_raw`);
    }
  });

  it('exits on SIGINT', async () => {
    child!.kill('SIGINT');
    const code = await Promise.race([childExit, new Promise((r) => setTimeout(() => r('still running'), 4000))]);
    assert.equal(code, 0, `after SIGINT: ${code}; node output:\n${childLog}`);
  });
});
