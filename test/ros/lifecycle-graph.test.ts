// The managed node on a ROS 2 graph: `attendseg_node --lifecycle` driven through the standard
// lifecycle services (what `ros2 lifecycle set` and nav2_lifecycle_manager call): nothing is
// subscribed or published until activate, a failed configure is retried after fixing model_path,
// deactivate stops the output. Runs where ROS 2 is sourced (ROS_DISTRO set); skipped otherwise.
import { strict as assert } from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

import type { ImageMessage } from '../../src/pipeline/messages';
import { Durability, History, Reliability } from '../../src/ros/qos';
import { typeClass } from '../../src/ros/rclnodejs-api';
import type * as Rcl from '../../src/ros/rclnodejs-api';
import { MODEL, imageMessage } from '../helpers/pipeline-harness';
import { ServiceClient, until } from '../helpers/ros-graph';

const root = path.resolve(__dirname, '..', '..');
const NS = `/attendseg_life_${process.pid}`;
const NODE = `${NS}/attendseg`;
// lifecycle_msgs/msg/Transition ids
const TRANSITION = { configure: 1, cleanup: 2, activate: 3, deactivate: 4 } as const;

type TestNode = Rcl.Node & { createClient(typeClass: string, serviceName: string): ServiceClient };

describe('attendseg node --lifecycle on a ROS 2 graph', function () {
  this.timeout(120000);
  let rcl: Rcl.Rclnodejs;
  let node: TestNode;
  let child: ChildProcess | undefined;
  let childLog = '';
  const labels: ImageMessage[] = [];
  let changeState: ServiceClient;
  let getState: ServiceClient;
  let camera: ReturnType<typeof setInterval> | undefined;

  const change = async (name: keyof typeof TRANSITION) => {
    const r = await changeState.sendRequestAsync({ transition: { id: TRANSITION[name], label: '' } }, { timeout: 30000 });
    return (r as { success: boolean }).success;
  };
  const state = async () => {
    const r = await getState.sendRequestAsync({}, { timeout: 5000 });
    return (r as { current_state: { label: string } }).current_state.label;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  before(async function () {
    if (!process.env.ROS_DISTRO) {
      console.log('      (skipped: ROS 2 is not sourced, ROS_DISTRO is unset)');
      this.skip();
    }
    rcl = require('rclnodejs') as Rcl.Rclnodejs;
    await rcl.init();
    node = new rcl.Node(`attendseg_life_test_${process.pid}`) as TestNode;
    const bestEffort = new rcl.QoS(History.KEEP_LAST, 10, Reliability.BEST_EFFORT, Durability.VOLATILE);
    node.createSubscription(typeClass('sensor_msgs/msg/Image'), `${NODE}/label`, { qos: bestEffort }, (m: unknown) => labels.push(m as ImageMessage));
    const pub = node.createPublisher(typeClass('sensor_msgs/msg/Image'), `${NS}/image`, { qos: bestEffort });
    let seq = 0;
    camera = setInterval(() => pub.publish(imageMessage(++seq, { width: 80, height: 60 })), 100);
    node.spin();

    child = spawn(
      process.execPath,
      ['--require', 'tsx/cjs', path.join(root, 'src', 'ros', 'main.ts'), '--lifecycle', '--ros-args', '-r', `__ns:=${NS}`,
        '-p', 'model_path:=/nonexistent/model.onnx', '-p', 'threads:=1'],
      { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d) => (childLog += d));
    child.stderr!.on('data', (d) => (childLog += d));
    changeState = node.createClient('lifecycle_msgs/srv/ChangeState', `${NODE}/change_state`);
    getState = node.createClient('lifecycle_msgs/srv/GetState', `${NODE}/get_state`);
    assert.ok(await changeState.waitForService(60000), `no change_state service; node output:\n${childLog}`);
    assert.ok(await getState.waitForService(10000), 'no get_state service');
  });

  after(async () => {
    if (camera) clearInterval(camera);
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (rcl && !rcl.isShutdown()) rcl.shutdown();
  });

  it('starts unconfigured, subscribing and publishing nothing', async () => {
    assert.equal(await state(), 'unconfigured');
    await sleep(1500);
    assert.equal(node.countSubscribers(`${NS}/image`), 0);
    assert.equal(node.countPublishers(`${NODE}/label`), 0);
  });

  it('fails configure with a bad model_path, then configures once it is fixed', async () => {
    assert.equal(await change('configure'), false);
    assert.equal(await state(), 'unconfigured');
    assert.match(childLog, /configure failed: .*\/nonexistent\/model\.onnx/);
    const setter = node.createClient('rcl_interfaces/srv/SetParameters', `${NODE}/set_parameters`);
    assert.ok(await setter.waitForService(10000));
    const STRING = 4;
    const r = await setter.sendRequestAsync({ parameters: [{ name: 'model_path', value: { type: STRING, string_value: MODEL } }] }, { timeout: 5000 });
    assert.equal((r as { results: { successful: boolean }[] }).results[0].successful, true);
    assert.equal(await change('configure'), true, childLog);
    assert.equal(await state(), 'inactive');
    assert.ok(node.countPublishers(`${NODE}/label`) > 0, 'outputs are advertised once configured');
    await sleep(1500);
    assert.equal(node.countSubscribers(`${NS}/image`), 0, 'inactive: the camera is not subscribed');
    assert.equal(labels.length, 0);
  });

  it('publishes while active and stops on deactivate', async () => {
    assert.equal(await change('activate'), true);
    await until('a label', 30000, () => (labels.length > 0 ? true : undefined));
    assert.equal(await change('deactivate'), true);
    await until('the camera unsubscribed', 5000, () => (node.countSubscribers(`${NS}/image`) === 0 ? true : undefined));
    await sleep(500);
    const n = labels.length;
    await sleep(1500);
    assert.equal(labels.length, n, 'no label after deactivate');
  });

  it('cleans up back to unconfigured, releasing the outputs', async () => {
    assert.equal(await change('cleanup'), true);
    assert.equal(await state(), 'unconfigured');
    await until('the outputs released', 5000, () => (node.countPublishers(`${NODE}/label`) === 0 ? true : undefined));
  });
});
