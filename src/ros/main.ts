// attendseg_node: the segmentation node on a ROS 2 graph (`ros2 run attendseg_ros attendseg_node`).
// Node name `attendseg`; name, namespace, topics and parameters come from --ros-args.
// `--lifecycle` (before --ros-args) makes it a managed node that waits for `configure`.
import { SegmentationLifecycle } from '../pipeline/segmentation-lifecycle';
import { SegmentationNode } from '../pipeline/segmentation-node';
import { createLifecycleNode, createNode } from './create-node';
import { bindLifecycle } from './lifecycle-callbacks';
import { loadRclnodejs } from './load-rclnodejs';
import { QosWatch } from './qos-watch';
import { RclTransport } from './rcl-transport';
import type * as Rcl from './rclnodejs-api';

const NODE_NAME = 'attendseg';
const SHUTDOWN_GRACE_MS = 3000;

/**
 * Plain or managed node, from the process's own arguments (those before --ros-args). Not a ROS
 * parameter: the kind of node has to be known before the node and its parameters exist, and
 * launch_ros must know it too (its LifecycleNode action), so one launch argument sets both.
 */
export function lifecycleMode(argv: readonly string[]): boolean {
  const ownArgs = argv.slice(2, argv.includes('--ros-args') ? argv.indexOf('--ros-args') : undefined);
  for (const a of ownArgs) if (a !== '--lifecycle') throw new Error(`unknown argument '${a}': the only one is --lifecycle (ROS arguments follow --ros-args)`);
  return ownArgs.includes('--lifecycle');
}

export async function main(): Promise<void> {
  const lifecycle = lifecycleMode(process.argv);
  const rcl = loadRclnodejs();
  await rcl.init(); // reads --ros-args from process.argv
  // rclnodejs's own SIGINT handler shuts ROS down but leaves the process running (ros2 launch would
  // then wait 5 s and SIGTERM it): this node handles SIGINT and SIGTERM itself and exits.
  rcl.removeSignalHandlers();
  const node = lifecycle ? createLifecycleNode(rcl, NODE_NAME) : createNode(rcl, NODE_NAME);
  const transport = new RclTransport(rcl, node);
  let close: () => Promise<void>;
  try {
    if (lifecycle) {
      const life = new SegmentationLifecycle(transport);
      bindLifecycle(node as Rcl.LifecycleNode, life);
      transport.log.info('managed node: unconfigured, waiting for configure (ros2 lifecycle set or a lifecycle manager)');
      close = async () => {
        if (life.state !== 'finalized') life.shutdown();
        await life.released();
        transport.close();
      };
    } else {
      const segmentation = SegmentationNode.start(transport);
      close = () => segmentation.close();
    }
  } catch (e) {
    node.getLogger().fatal(`cannot start: ${(e as Error).message}`);
    rcl.shutdown();
    process.exit(1);
  }
  const watch = new QosWatch(node, transport.endpoints, transport.log);
  transport.every(2000, () => watch.check());
  node.spin();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    transport.log.info(`${signal}: finishing the frame in flight and shutting down`);
    // a frame that never finishes must not keep the process alive
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    void close()
      .catch((e) => transport.log.error(`shutdown: ${(e as Error).message}`))
      .finally(() => {
        if (!rcl.isShutdown()) rcl.shutdown();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`attendseg_node: ${(e as Error).message}`);
    process.exit(1);
  });
}
