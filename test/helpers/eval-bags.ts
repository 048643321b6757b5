// Bags for evaluation tests: frames, the engine's own labels made into ground truth with known
// changes, and optional recorded predictions delayed in receive time.
import { createBag } from '../../src/bag';
import type { StorageId } from '../../src/bag';
import type { Engine } from '../../src/engine/engine';
import { encodeImage, IMAGE_TYPE, ImageMessage, nsToTime } from '../../src/msg';
import { smoothFrame } from './frames';

export const START = 1_700_000_000_000_000_000n;
export const PERIOD = 100_000_000n;

export interface EvalBagSpec {
  frames: number;
  width: number;
  height: number;
  /** Frame indices whose ground truth is left out, and whose image is left out. */
  noGroundTruth?: number[];
  noImage?: number[];
  /** Also write the engine's labels on this topic, received `delayNs` after the image. */
  predictionTopic?: string;
  delayNs?: bigint;
  gtSize?: (i: number) => [number, number];
}

/** Ground truth from a prediction: every 7th pixel moved to the next class, every 13th void. */
export function groundTruthFrom(pred: Uint8Array, classes: number, voidValue: number): Uint8Array {
  return pred.map((p, i) => (i % 13 === 0 ? voidValue : i % 7 === 0 ? (p + 1) % classes : p));
}

export function mono8(header: ImageMessage['header'], width: number, height: number, data: Uint8Array): ImageMessage {
  return { header, height, width, encoding: 'mono8', is_bigendian: 0, step: width, data };
}

/** Writes the bag; returns the (prediction, ground truth) pairs that should be scored. */
export async function writeEvalBag(dir: string, format: StorageId, engine: Engine, s: EvalBagSpec) {
  const bag = await createBag(dir, { format });
  await bag.addTopic({ name: '/camera/image_raw', type: IMAGE_TYPE });
  await bag.addTopic({ name: '/camera/label_gt', type: IMAGE_TYPE });
  if (s.predictionTopic) await bag.addTopic({ name: s.predictionTopic, type: IMAGE_TYPE });
  const scored: { pred: Uint8Array; gt: Uint8Array }[] = [];
  for (let i = 0; i < s.frames; i++) {
    const t = START + BigInt(i) * PERIOD;
    const header = { stamp: nsToTime(t), frame_id: 'camera' };
    const f = smoothFrame({ encoding: 'rgb8', width: s.width, height: s.height, pad: 2, seed: 100 + i });
    const pred = engine.runSync(f).label!;
    const [gw, gh] = s.gtSize?.(i) ?? [s.width, s.height];
    const gt = gw === s.width && gh === s.height ? groundTruthFrom(pred, 11, 11) : new Uint8Array(gw * gh);
    const hasImage = !s.noImage?.includes(i);
    const hasGt = !s.noGroundTruth?.includes(i);
    // Receive times differ between topics: matching must go by header stamp.
    if (hasGt) await bag.write('/camera/label_gt', t + 3_000_000n, encodeImage(mono8(header, gw, gh, gt)));
    if (hasImage) {
      await bag.write('/camera/image_raw', t, encodeImage({ header, height: s.height, width: s.width, encoding: 'rgb8', is_bigendian: 0, step: f.step, data: f.data }));
      if (s.predictionTopic) await bag.write(s.predictionTopic, t + (s.delayNs ?? 0n), encodeImage(mono8(header, s.width, s.height, pred)));
    }
    if (hasImage && hasGt) scored.push({ pred: Uint8Array.from(pred), gt });
  }
  await bag.close();
  return scored;
}

/** The confusion matrix counted the plain way. */
export function naiveConfusion(pairs: { pred: Uint8Array; gt: Uint8Array }[], classes: number, ignore: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array(classes).fill(0));
  for (const { pred, gt } of pairs) for (let i = 0; i < gt.length; i++) if (gt[i] !== ignore) m[gt[i]][pred[i]]++;
  return m;
}
