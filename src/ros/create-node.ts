// The node as rclnodejs creates it, with two corrections to rclnodejs 2.2's defaults:
// - rosout: on Humble and older, rcl_node_init registers the node's /rosout publisher itself, and
//   rclnodejs registering it again makes rcl log "Publisher already registered for provided node
//   name" at every start (Iron moved the registration out of rcl_node_init, so there rclnodejs's
//   own call is the only one).
// - parameter events: rclnodejs publishes them on the relative topic `parameter_events`, which
//   lands in the node's namespace; every ROS tool listens on /parameter_events.
import type { Rclnodejs } from './load-rclnodejs';
import type * as Rcl from './rclnodejs-api';

const RCL_REGISTERS_ROSOUT = new Set(['foxy', 'galactic', 'humble']);

export interface NodeConstruction {
  /** rclnodejs's NodeOptions.enableRosout: whether rclnodejs registers the rosout publisher. */
  enableRosout: boolean;
  /** Node-local --ros-args, applied before the process's own. */
  args: string[];
}

export function nodeConstruction(distro: string | undefined): NodeConstruction {
  return {
    enableRosout: !RCL_REGISTERS_ROSOUT.has((distro ?? '').toLowerCase()),
    args: ['--ros-args', '-r', 'parameter_events:=/parameter_events'],
  };
}

export function createNode(rcl: Rclnodejs, name: string, distro = process.env.ROS_DISTRO): Rcl.Node {
  const c = nodeConstruction(distro);
  const options = new rcl.NodeOptions();
  options.enableRosout = c.enableRosout;
  return new rcl.Node(name, '', undefined, options, c.args);
}

/**
 * The managed node. rclnodejs's LifecycleNode takes no node-local arguments, so the
 * parameter_events correction is not applied to it (its events go to <namespace>/parameter_events).
 */
export function createLifecycleNode(rcl: Rclnodejs, name: string, distro = process.env.ROS_DISTRO): Rcl.LifecycleNode {
  const options = new rcl.NodeOptions();
  options.enableRosout = nodeConstruction(distro).enableRosout;
  return new rcl.lifecycle.LifecycleNode(name, '', undefined, options, true);
}
