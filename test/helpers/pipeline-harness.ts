// Starting the segmentation node over the in-memory transport, and camera messages for it.
import * as path from 'path';

import { InMemoryTransport, InMemoryTransportOptions } from '../../src/pipeline/memory-transport';
import { SegmentationNode, SegmentationNodeOptions } from '../../src/pipeline/segmentation-node';
import type { ParamValue } from '../../src/pipeline/params';
import type { ImageMessage } from '../../src/pipeline/messages';
import { imageCodec, writeImage } from './cdr-oracle';
import { smoothFrame } from './frames';

export const MODEL = path.join(__dirname, '..', 'fixtures', 'attendseg_nearest_qdq.onnx');

export function startNode(
  overrides: Record<string, ParamValue> = {},
  options: InMemoryTransportOptions = {},
  nodeOptions: SegmentationNodeOptions = {},
): { t: InMemoryTransport; node: SegmentationNode } {
  const t = new InMemoryTransport({ ...options, overrides: { model_path: MODEL, threads: 2, ...overrides } });
  return { t, node: SegmentationNode.start(t, nodeOptions) };
}

export function imageMessage(seq: number, shape: { encoding?: string; width?: number; height?: number; pad?: number } = {}): ImageMessage {
  const f = smoothFrame({
    encoding: shape.encoding ?? 'rgb8',
    width: shape.width ?? 64,
    height: shape.height ?? 48,
    pad: shape.pad ?? 0,
    seed: seq,
  });
  return {
    header: { stamp: { sec: 1000 + seq, nanosec: seq * 1000 + 1 }, frame_id: `camera_${seq % 3}` },
    height: f.height,
    width: f.width,
    encoding: f.encoding,
    is_bigendian: 0,
    step: f.step,
    data: f.data,
  };
}

/** The message as rmw would deliver it to a raw subscription. */
export function rawImage(seq: number, shape?: Parameters<typeof imageMessage>[1]): Buffer {
  return writeImage(imageMessage(seq, shape));
}

export function readImage(b: unknown): ImageMessage {
  if (!Buffer.isBuffer(b)) throw new Error('expected a serialized message');
  return imageCodec.reader.readMessage<ImageMessage>(b);
}
