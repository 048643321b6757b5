// Endpoints on the graph that never match because of QoS get a warning naming the fix: the usual
// case is a best-effort camera or output and a reliable subscriber or rviz display.
import type { Logger } from '../pipeline/transport';
import type * as Rcl from './rclnodejs-api';
import type { WatchedEndpoint } from './rcl-transport';

function bestEffort(e: WatchedEndpoint): boolean {
  return e.qos.preset === 'sensor_data' || e.qos.preset === 'best_effort';
}

/** The warning for `total` endpoints on the other side of `e`, `matched` of them compatible. */
export function mismatchWarning(e: WatchedEndpoint, total: number, matched: number): string | null {
  const unmatched = total - matched;
  if (unmatched <= 0) return null;
  if (e.kind === 'input')
    return (
      `${unmatched} of ${total} publisher(s) on ${e.topic} do not match this node's qos '${e.qos.preset}' and send nothing ` +
      (bestEffort(e) ? '(unexpected: best effort matches any publisher)' : "here: set qos to 'sensor_data' or 'best_effort' for a best-effort camera")
    );
  return (
    `${unmatched} of ${total} subscriber(s) on ${e.topic} do not match its qos '${e.qos.preset}' and receive nothing` +
    (bestEffort(e) ? ": subscribe best effort (in rviz: the display's Topic > Reliability Policy: Best Effort)" : '')
  );
}

/** Checks each endpoint and warns once per change in what it sees. */
export class QosWatch {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly node: Rcl.Node,
    private readonly endpoints: readonly WatchedEndpoint[],
    private readonly log: Logger,
  ) {}

  check(): void {
    for (const e of this.endpoints) {
      const total = e.kind === 'input' ? this.node.countPublishers(e.topic) : this.node.countSubscribers(e.topic);
      const warning = mismatchWarning(e, total, e.matched());
      const key = `${e.kind}:${e.topic}`;
      if ((this.seen.get(key) ?? null) === (warning ?? null)) continue;
      if (warning) this.seen.set(key, warning);
      else this.seen.delete(key);
      if (warning) this.log.warn(warning);
    }
  }
}
