// The managed-node mode's ROS side without ROS: how the mode is chosen from the command line, and
// rclnodejs's LifecycleNode callbacks mapped onto SegmentationLifecycle (a stand-in records what
// the adapter registers; rcl's state machine itself needs ROS, see test/ros/node.test.ts).
import { strict as assert } from 'assert';

import { InMemoryTransport } from '../../src/pipeline/memory-transport';
import { SegmentationLifecycle } from '../../src/pipeline/segmentation-lifecycle';
import { bindLifecycle, CALLBACK_RETURN } from '../../src/ros/lifecycle-callbacks';
import { lifecycleMode } from '../../src/ros/main';
import type * as Rcl from '../../src/ros/rclnodejs-api';
import { MODEL } from '../helpers/pipeline-harness';

type Callbacks = Record<'configure' | 'activate' | 'deactivate' | 'cleanup' | 'shutdown' | 'error', Rcl.TransitionCallback>;

function registered(life: SegmentationLifecycle): Callbacks {
  const cbs: Partial<Callbacks> = {};
  const node = {
    registerOnConfigure: (cb: Rcl.TransitionCallback) => void (cbs.configure = cb),
    registerOnActivate: (cb: Rcl.TransitionCallback) => void (cbs.activate = cb),
    registerOnDeactivate: (cb: Rcl.TransitionCallback) => void (cbs.deactivate = cb),
    registerOnCleanup: (cb: Rcl.TransitionCallback) => void (cbs.cleanup = cb),
    registerOnShutdown: (cb: Rcl.TransitionCallback) => void (cbs.shutdown = cb),
    registerOnError: (cb: Rcl.TransitionCallback) => void (cbs.error = cb),
  } as unknown as Rcl.LifecycleNode;
  bindLifecycle(node, life);
  return cbs as Callbacks;
}

describe('lifecycle mode: ROS adapter without ROS', () => {
  it('is chosen by --lifecycle before --ros-args; anything else there is refused by name', () => {
    assert.equal(lifecycleMode(['node', 'main.js']), false);
    assert.equal(lifecycleMode(['node', 'main.js', '--ros-args', '-r', '__node:=cam']), false);
    assert.equal(lifecycleMode(['node', 'main.js', '--lifecycle']), true);
    assert.equal(lifecycleMode(['node', 'main.js', '--lifecycle', '--ros-args', '-p', 'threads:=2']), true);
    // after --ros-args it is a ROS argument, not ours
    assert.equal(lifecycleMode(['node', 'main.js', '--ros-args', '--lifecycle']), false);
    assert.throws(() => lifecycleMode(['node', 'main.js', '--lifecycle=true']), /unknown argument '--lifecycle=true'/);
  });

  it("maps every transition callback, returning rclnodejs's SUCCESS or FAILURE", async () => {
    const t = new InMemoryTransport({ overrides: { model_path: '/nonexistent/model.onnx', threads: 2 } });
    const life = new SegmentationLifecycle(t);
    const cb = registered(life);
    const prev = {};
    assert.equal(cb.activate(prev), CALLBACK_RETURN.FAILURE, 'activate from unconfigured');
    assert.equal(cb.configure(prev), CALLBACK_RETURN.FAILURE, 'bad model path');
    assert.equal(life.state, 'unconfigured');
    t.setParameters([{ name: 'model_path', value: MODEL }]);
    assert.equal(cb.configure(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(cb.activate(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(life.state, 'active');
    assert.equal(cb.deactivate(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(cb.cleanup(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(life.state, 'unconfigured');
    assert.equal(cb.configure(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(cb.error(prev), CALLBACK_RETURN.SUCCESS, 'error processing lands in unconfigured');
    assert.equal(life.state, 'unconfigured');
    assert.equal(cb.shutdown(prev), CALLBACK_RETURN.SUCCESS);
    assert.equal(life.state, 'finalized');
    await life.released();
  });
});
