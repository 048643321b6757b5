// rclnodejs is loaded only here and only on demand: everything else in the package works without
// a ROS installation. Without ROS sourced, requiring it would try to compile it from source, so
// the environment is checked first.
import { environment } from '../env';
import type { Rclnodejs } from './rclnodejs-api';

export type { Rclnodejs };

export function loadRclnodejs(): Rclnodejs {
  const env = environment();
  if (!env.rosDistro || !env.amentPrefixPath)
    throw new Error('ROS 2 is not sourced (ROS_DISTRO or AMENT_PREFIX_PATH is unset): run "source /opt/ros/<distro>/setup.bash" first');
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('rclnodejs') as Rclnodejs;
  } catch (e) {
    throw new Error(
      `rclnodejs cannot be loaded: ${(e as Error).message.split('\n')[0]}; install the package's dependencies with ROS ` +
        'sourced ("source /opt/ros/$ROS_DISTRO/setup.bash && npm ci")',
    );
  }
}
