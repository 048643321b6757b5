// (b) Scores two label topics already in a bag, e.g. a live node's ~/label recorded next to the
// replayed ground truth: frames matched by header stamp, latency from the two receive times.
import { openBag } from '../bag/open-bag';
import type { ImageMessage } from '../msg/image';
import { formatStamp, timeToNs } from '../msg/time';
import { LABEL_TYPES, requireTopic } from './bag-topics';
import { EVAL_DEFAULTS } from './evaluate-engine';
import type { ClassSettings } from './evaluate-engine';
import { decodeLabel, labelMapOf } from './label-map';
import { buildReport, EvalReport } from './report';
import { Scorer } from './scorer';
import { StampMatcher } from './stamp-matcher';

export interface TopicsEvalOptions extends ClassSettings {
  predictionTopic: string;
  gtTopic: string;
  maxDelaySeconds?: number;
}

type Received = { message: ImageMessage; at: bigint };

export async function evaluateRecordedTopics(bagPath: string, o: TopicsEvalOptions): Promise<EvalReport> {
  const bag = await openBag(bagPath);
  try {
    const pred = requireTopic(bag, o.predictionTopic, LABEL_TYPES, 'prediction');
    const gt = requireTopic(bag, o.gtTopic, LABEL_TYPES, 'ground-truth');
    if (pred.name === gt.name) throw new Error(`the prediction and ground-truth topics are both ${gt.name}`);
    const total = Math.min(pred.messageCount, gt.messageCount);
    const scorer = new Scorer(o.classNames.length, o.ignoreIndex, o.samples ?? EVAL_DEFAULTS.samples);
    const matcher = new StampMatcher<Received, Received>(BigInt(Math.round((o.maxDelaySeconds ?? EVAL_DEFAULTS.maxDelaySeconds) * 1e9)));
    let first: bigint | undefined;
    let last: bigint | undefined;
    const delaysMs: number[] = [];
    const t0 = process.hrtime.bigint();
    const rejected: string[] = [];
    for await (const m of bag.messages({ topics: [pred.name, gt.name] })) {
      const label = decodeLabel(m.data, `message on ${m.topic} received at ${formatStamp(m.logTime)}`, rejected);
      if (!label) continue;
      const stamp = timeToNs(label.header.stamp);
      const received = { message: label, at: m.logTime };
      const pair = m.topic === pred.name ? matcher.left(stamp, m.logTime, received) : matcher.right(stamp, m.logTime, received);
      if (!pair) continue;
      const name = `frame stamped ${formatStamp(pair.stamp)}`;
      scorer.score(name, labelMapOf(pair.left.message, `${name} on ${pred.name}`), labelMapOf(pair.right.message, `${name} on ${gt.name}`));
      // Both were recorded by the same recorder: the difference is the node's delay for this frame.
      delaysMs.push(Number(pair.left.at - pair.right.at) / 1e6);
      if (first === undefined || pair.left.at < first) first = pair.left.at;
      if (last === undefined || pair.left.at > last) last = pair.left.at;
      o.onProgress?.(scorer.scored, total);
    }
    matcher.finish();
    // A node publishes a label after it received the image, so recorded live every prediction
    // arrives after its ground truth. Otherwise the labels were written with their inputs' receive
    // times (by segment) and the differences are no delay, nor their spacing a rate: none is reported.
    const recordedLive = delaysMs.length > 0 && delaysMs.every((d) => d > 0);
    if (recordedLive) for (const d of delaysMs) scorer.latency.add(d);
    const span = first !== undefined && last !== undefined ? Number(last - first) / 1e9 : 0;
    return buildReport({
      mode: 'recorded-topics',
      source: { bag: bagPath, prediction_topic: pred.name, ground_truth_topic: gt.name },
      model: null,
      classNames: o.classNames,
      palette: o.palette,
      ignoreIndex: o.ignoreIndex,
      scorer,
      missingPrediction: matcher.rightOnly,
      missingGroundTruth: matcher.leftOnly,
      duplicates: matcher.duplicates,
      latencyMeaning: 'receive time of the prediction minus receive time of its ground truth, both as recorded in the bag',
      throughputFps: recordedLive && scorer.scored > 1 && span > 0 ? (scorer.scored - 1) / span : null,
      wallSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
      skipped: bag.problems,
      rejected,
    });
  } finally {
    await bag.close();
  }
}
