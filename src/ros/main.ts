// attendseg_node: the segmentation node on a ROS 2 graph (`ros2 run attendseg_ros attendseg_node`).
// Node name `attendseg`; name, namespace, topics and parameters come from --ros-args.
import { SegmentationNode } from '../pipeline/segmentation_node';
import { createNode } from './create_node';
import { loadRclnodejs } from './load_rclnodejs';
import { QosWatch } from './qos_watch';
import { RclTransport } from './rcl_transport';

const NODE_NAME = 'attendseg';
const SHUTDOWN_GRACE_MS = 3000;

export async function main(): Promise<void> {
  const rcl = loadRclnodejs();
  await rcl.init(); // reads --ros-args from process.argv
  // rclnodejs's own SIGINT handler shuts ROS down but leaves the process running (ros2 launch would
  // then wait 5 s and SIGTERM it): this node handles SIGINT and SIGTERM itself and exits.
  rcl.removeSignalHandlers();
  const node = createNode(rcl, NODE_NAME);
  const transport = new RclTransport(rcl, node);
  let segmentation: SegmentationNode;
  try {
    segmentation = SegmentationNode.start(transport);
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
    void segmentation
      .close()
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
