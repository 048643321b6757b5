// The node's own cost over the engine on 640x480 rgb8 camera frames: a serialized Image goes into
// the segmentation node through the in-memory transport (as rclnodejs's raw subscription hands
// it over) and comes out as serialized label and overlay Images, against the engine alone on the
// same frame, timed in rotation in one process. Target: overhead <= 10% of the engine's time.
import { Engine } from '../src/engine/engine';
import { encodeImage } from '../src/msg';
import { InMemoryTransport } from '../src/pipeline/memory-transport';
import { SegmentationNode } from '../src/pipeline/segmentation-node';
import { median, round } from './stats';
import { BenchCaseInput, cameraFrame } from './camera-frame';

export const NODE_OVERHEAD_TARGET = 0.1;

export interface NodeOverheadResult {
  case: string;
  threads: number;
  width: number;
  height: number;
  isa: string;
  network_width: number;
  network_height: number;
  /** Engine.run on the frame, label and overlay out. */
  engine_ms: number;
  /** Serialized Image delivered to the node until label and overlay are published. */
  node_ms: number;
  /** Median of node_ms minus engine_ms, iteration by iteration (noisy where other work shares the CPU). */
  wall_diff_ms: number;
  /**
   * Median over iterations of the time each spent outside the engine's own timed stages (so the
   * network's run-to-run noise cancels): node (wall - engine stages) - Engine.run (wall - engine stages).
   */
  overhead_ms: number;
  overhead_share: number;
  within_target: boolean;
}

export type NodeOverheadInput = BenchCaseInput;

export async function runNodeOverhead(c: NodeOverheadInput): Promise<NodeOverheadResult> {
  const transport = new InMemoryTransport({
    overrides: { model_path: c.modelPath, threads: c.threads },
    keepPublished: false,
  });
  const node = SegmentationNode.start(transport);
  const engine: Engine = node.engine;
  const frame = { encoding: 'rgb8', width: c.width, height: c.height, step: c.width * 3, data: cameraFrame(c.width, c.height) };
  const header = { stamp: { sec: 1700000000, nanosec: 123456789 }, frame_id: 'camera_color_optical_frame' };
  const cdr = Buffer.from(encodeImage({ header, ...frame, is_bigendian: 0 }));
  const segment = { label: true, overlay: true, colorized: false };

  const engineMs: number[] = [];
  const nodeMs: number[] = [];
  const diffs: number[] = [];
  const overheads: number[] = [];
  const stages = (r: { timing: { preprocessMs: number; networkMs: number; postprocessMs: number } }) =>
    r.timing.preprocessMs + r.timing.networkMs + r.timing.postprocessMs;
  const timeEngine = async () => {
    const t = process.hrtime.bigint();
    const r = await engine.run(frame, segment);
    return { wall: Number(process.hrtime.bigint() - t) / 1e6, stages: stages(r) };
  };
  const timeNode = async () => {
    const before = { ...transport.publishCounts };
    const t = process.hrtime.bigint();
    transport.deliverImage(cdr);
    await node.pipeline.idle();
    const wall = Number(process.hrtime.bigint() - t) / 1e6;
    if (transport.publishCounts.overlay !== before.overlay + 1 || transport.publishCounts.label !== before.label + 1)
      throw new Error(`node-overhead: the node did not publish (${node.pipeline.stats.lastRejection ?? 'no reason'})`);
    return { wall, stages: node.pipeline.stats.lastEngineMs };
  };
  for (let i = 0; i < c.warmup + c.iterations; i++) {
    // alternate which goes first: the second of a pair runs on a warmer cache and thread pool
    let eng, nod;
    if (i % 2) {
      eng = await timeEngine();
      nod = await timeNode();
    } else {
      nod = await timeNode();
      eng = await timeEngine();
    }
    const e = eng.wall;
    const n = nod.wall;
    if (i >= c.warmup) {
      engineMs.push(e);
      nodeMs.push(n);
      diffs.push(n - e);
      overheads.push(n - nod.stages - (e - eng.stages));
    }
  }
  await node.close();

  const engineMedian = median(engineMs);
  const overhead = median(overheads);
  return {
    case: c.name,
    threads: c.threads,
    width: c.width,
    height: c.height,
    isa: engine.isa,
    network_width: node.pipeline.current.networkWidth,
    network_height: node.pipeline.current.networkHeight,
    engine_ms: round(engineMedian, 3),
    node_ms: round(median(nodeMs), 3),
    wall_diff_ms: round(median(diffs), 3),
    overhead_ms: round(overhead, 3),
    overhead_share: round(overhead / engineMedian, 4),
    within_target: overhead / engineMedian <= NODE_OVERHEAD_TARGET,
  };
}
