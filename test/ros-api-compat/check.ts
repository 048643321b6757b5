// Compiled only by test/ros-api-compat.test.ts, where rclnodejs is installed: it fails to compile
// when rclnodejs's own typings no longer fit the subset that src/ros is written against.
import type * as Real from 'rclnodejs';

import type { Rclnodejs } from '../../src/ros/rclnodejs_api';

declare const rclnodejs: typeof Real;
export const api: Rclnodejs<Real.NodeOptions> = rclnodejs;
