// The managed-node mode on a ROS 2 graph: rclnodejs's LifecycleNode runs rcl's state machine and
// its services (`ros2 lifecycle set`, nav2_lifecycle_manager); its transition callbacks drive
// SegmentationLifecycle, which owns what each state means.
import type { SegmentationLifecycle, TransitionResult } from '../pipeline/segmentation-lifecycle';
import type * as Rcl from './rclnodejs-api';

/** lifecycle_msgs/msg/Transition's TRANSITION_CALLBACK_* values (rclnodejs's CallbackReturnCode). */
export const CALLBACK_RETURN = { SUCCESS: 97, FAILURE: 98, ERROR: 99 } as const;

/** SUCCESS moves on; FAILURE makes rcl return to the state the transition started from. */
export function callbackReturn(r: TransitionResult): number {
  return r.ok ? CALLBACK_RETURN.SUCCESS : CALLBACK_RETURN.FAILURE;
}

export function bindLifecycle(node: Rcl.LifecycleNode, life: SegmentationLifecycle): void {
  node.registerOnConfigure(() => callbackReturn(life.configure()));
  node.registerOnActivate(() => callbackReturn(life.activate()));
  node.registerOnDeactivate(() => callbackReturn(life.deactivate()));
  node.registerOnCleanup(() => callbackReturn(life.cleanup()));
  node.registerOnShutdown(() => callbackReturn(life.shutdown()));
  // rcl's ErrorProcessing state (a callback threw): release everything; SUCCESS lands in unconfigured
  node.registerOnError(() => callbackReturn(life.recover()));
}
