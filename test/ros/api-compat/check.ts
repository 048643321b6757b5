// Compiled only by test/ros/api-compat.test.ts, where rclnodejs is installed: it fails to compile
// when rclnodejs's own typings no longer fit the subset that src/ros is written against.
import type * as Real from 'rclnodejs';

import type { CALLBACK_RETURN } from '../../../src/ros/lifecycle-callbacks';
import type { Rclnodejs } from '../../../src/ros/rclnodejs-api';

declare const rclnodejs: typeof Real;
export const api: Rclnodejs<Real.NodeOptions> = rclnodejs;

// The transition callbacks' return codes are rclnodejs's CallbackReturnCode values.
type Codes = typeof CALLBACK_RETURN;
export const codes: [Codes['SUCCESS'], Codes['FAILURE'], Codes['ERROR']] = [
  0 as unknown as Real.lifecycle.CallbackReturnCode.SUCCESS,
  0 as unknown as Real.lifecycle.CallbackReturnCode.FAILURE,
  0 as unknown as Real.lifecycle.CallbackReturnCode.ERROR,
];
