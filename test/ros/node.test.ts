// The real node on a ROS 2 graph: started as a process, fed camera images through rclnodejs,
// checked on ~/label, ~/overlay, ~/label_info, /diagnostics and the parameter services, then
// stopped with SIGINT. Runs where ROS 2 is sourced (ROS_DISTRO set); skipped otherwise.
import { strict as assert } from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

import { decodeImage, encodeImage } from '../../src/msg';
import type { DiagnosticArrayMessage, ImageMessage, LabelInfoMessage } from '../../src/pipeline/messages';
import { Durability, History, Reliability } from '../../src/ros/qos';
import { typeClass } from '../../src/ros/rclnodejs-api';
import type * as Rcl from '../../src/ros/rclnodejs-api';
import { MODEL, imageMessage } from '../helpers/pipeline-harness';
import { ServiceClient, until } from '../helpers/ros-graph';

const root = path.resolve(__dirname, '..', '..');
const NS = `/attendseg_test_${process.pid}`;
const NODE = `${NS}/attendseg`;

type TestNode = Rcl.Node & { createClient(typeClass: string, serviceName: string): ServiceClient };

describe('attendseg node on a ROS 2 graph', function () {
  this.timeout(120000);
  let rcl: Rcl.Rclnodejs;
  let node: TestNode;
  let child: ChildProcess | undefined;
  let childLog = '';
  let childExit: Promise<number | null>;
  const labels: ImageMessage[] = [];
  const overlays: Buffer[] = [];
  const labelInfos: LabelInfoMessage[] = [];
  const diagnostics: DiagnosticArrayMessage[] = [];

  before(async function () {
    if (!process.env.ROS_DISTRO) {
      console.log('      (skipped: ROS 2 is not sourced, ROS_DISTRO is unset)');
      this.skip();
    }
    rcl = require('rclnodejs') as Rcl.Rclnodejs;
    await rcl.init();
    node = new rcl.Node(`attendseg_test_${process.pid}`) as TestNode;
    const bestEffort = new rcl.QoS(History.KEEP_LAST, 10, Reliability.BEST_EFFORT, Durability.VOLATILE);
    const latched = new rcl.QoS(History.KEEP_LAST, 1, Reliability.RELIABLE, Durability.TRANSIENT_LOCAL);
    node.createSubscription(typeClass('sensor_msgs/msg/Image'), `${NODE}/label`, { qos: bestEffort }, (m: unknown) => labels.push(m as ImageMessage));
    node.createSubscription(typeClass('sensor_msgs/msg/Image'), `${NODE}/overlay`, { qos: bestEffort, isRaw: true }, (m: Buffer) => overlays.push(m));
    node.createSubscription(typeClass('diagnostic_msgs/msg/DiagnosticArray'), '/diagnostics', {}, (m: unknown) =>
      diagnostics.push(m as DiagnosticArrayMessage),
    );
    try {
      node.createSubscription({ package: 'vision_msgs', type: 'msg', name: 'LabelInfo' }, `${NODE}/label_info`, { qos: latched }, (m: unknown) =>
        labelInfos.push(m as LabelInfoMessage),
      );
    } catch {
      console.log('      (vision_msgs is not installed: ~/label_info is not checked)');
    }
    node.spin();

    child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(root, 'src', 'ros', 'main.ts'), '--ros-args', '-r', `__ns:=${NS}`,
        '-p', `model_path:=${MODEL}`, '-p', 'threads:=1', '-p', 'publish_colorized:=true'],
      { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (childLog += d));
    child.stderr!.on('data', (d) => (childLog += d));
    childExit = new Promise((resolve) => child!.on('exit', (code) => resolve(code)));
    await until('the node to subscribe image', 60000, () => (node.countSubscribers(`${NS}/image`) > 0 ? true : undefined)).catch((e) => {
      throw new Error(`${e.message}; node output:\n${childLog}`);
    });
  });

  after(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (rcl && !rcl.isShutdown()) rcl.shutdown();
  });

  it('publishes label and overlay with the header of the image they come from', async () => {
    const pub = node.createPublisher(typeClass('sensor_msgs/msg/Image'), `${NS}/image`, {
      qos: new rcl.QoS(History.KEEP_LAST, 5, Reliability.BEST_EFFORT, Durability.VOLATILE),
    });
    const sent = new Map<number, ImageMessage>();
    let seq = 0;
    const timer = setInterval(() => {
      const m = imageMessage(++seq, { width: 80, height: 60 });
      sent.set(m.header.stamp.sec, m);
      // alternate message objects and pre-serialized CDR on the publishing side too
      if (seq % 2) pub.publish(m);
      else pub.publish(Buffer.from(encodeImage(m)));
    }, 100);
    try {
      await until('a label and an overlay', 30000, () => (labels.length > 1 && overlays.length > 1 ? true : undefined));
    } finally {
      clearInterval(timer);
    }
    const label = labels[0];
    const source = sent.get(label.header.stamp.sec);
    assert.ok(source, `label stamp ${label.header.stamp.sec} is not one that was sent`);
    assert.deepEqual(label.header, source.header);
    assert.deepEqual([label.width, label.height, label.encoding, label.step], [80, 60, 'mono8', 80]);
    const overlay = decodeImage(overlays[0]);
    assert.deepEqual(overlay.header, sent.get(overlay.header.stamp.sec)!.header);
    assert.deepEqual([overlay.width, overlay.height, overlay.encoding], [80, 60, 'rgb8']);
  });

  it('publishes the class names on ~/label_info, transient local', async function () {
    if (!labelInfos.length && !node.countPublishers(`${NODE}/label_info`)) {
      console.log('      (skipped: no ~/label_info publisher, vision_msgs is not installed)');
      this.skip();
    }
    const info = await until('label info', 10000, () => labelInfos[0]);
    assert.deepEqual(info.class_map.slice(0, 2).map((c) => [c.class_id, c.class_name]), [[0, 'Sky'], [1, 'Building']]);
  });

  it('reports on /diagnostics at 1 Hz', async () => {
    const name = `${NODE.slice(1)}: segmentation`;
    const status = await until('a diagnostics status from the node', 5000, () =>
      diagnostics.flatMap((d) => d.status).find((s) => s.name === name && Number(s.values.find((v) => v.key === 'frames published')?.value) > 0),
    );
    const keys = status.values.map((v) => v.key);
    for (const k of ['input rate (Hz)', 'output rate (Hz)', 'latency p50 (ms)', 'latency p95 (ms)', 'frames dropped', 'frames rejected', 'isa', 'threads'])
      assert.ok(keys.includes(k), k);
    assert.equal(status.values.find((v) => v.key === 'threads')!.value, '1');
  });

  it('refuses an invalid run-time parameter with the reason and takes a valid one', async () => {
    // the services themselves: rclnodejs 2.2's ParameterClient refuses namespaced node names
    const setter = node.createClient('rcl_interfaces/srv/SetParameters', `${NODE}/set_parameters`);
    const getter = node.createClient('rcl_interfaces/srv/GetParameters', `${NODE}/get_parameters`);
    assert.ok(await setter.waitForService(10000), 'no set_parameters service');
    assert.ok(await getter.waitForService(10000), 'no get_parameters service');
    const set = async (name: string, value: Record<string, unknown>) => {
      const r = await setter.sendRequestAsync({ parameters: [{ name, value }] }, { timeout: 5000 });
      return (r as unknown as { results: { successful: boolean; reason: string }[] }).results[0];
    };
    const DOUBLE = 3;
    const INTEGER = 2;
    const bad = await set('overlay_alpha', { type: DOUBLE, double_value: 1.5 });
    assert.deepEqual([bad.successful, bad.reason], [false, 'overlay_alpha must be within 0..1, got 1.5']);
    const readOnly = await set('threads', { type: INTEGER, integer_value: 2n });
    assert.equal(readOnly.successful, false);
    const good = await set('overlay_alpha', { type: DOUBLE, double_value: 0.25 });
    assert.equal(good.successful, true, good.reason);
    const got = await getter.sendRequestAsync({ names: ['overlay_alpha'] }, { timeout: 5000 });
    assert.equal((got as unknown as { values: { double_value: number }[] }).values[0].double_value, 0.25);
  });

  it('exits on SIGINT', async () => {
    child!.kill('SIGINT');
    const code = await Promise.race([childExit, new Promise((r) => setTimeout(() => r('still running'), 4000))]);
    assert.equal(code, 0, `after SIGINT: ${code}; node output:\n${childLog}`);
  });
});
