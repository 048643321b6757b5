// QoS presets of the `qos` parameter as rmw policy values (the numbers rclnodejs's QoS takes).
import type { QosSettings } from '../pipeline/transport';

export const History = { KEEP_LAST: 1 } as const;
export const Reliability = { RELIABLE: 1, BEST_EFFORT: 2 } as const;
export const Durability = { TRANSIENT_LOCAL: 1, VOLATILE: 2 } as const;

export interface QosPolicies {
  history: number;
  depth: number;
  reliability: number;
  durability: number;
}

/**
 * sensor_data and best_effort: best effort, as camera drivers publish (a reliable subscriber or
 * display gets nothing from them); default and reliable: ROS's default, reliable. All volatile,
 * keep last `depth`.
 */
export function qosPolicies(q: QosSettings): QosPolicies {
  const bestEffort = q.preset === 'sensor_data' || q.preset === 'best_effort';
  return {
    history: History.KEEP_LAST,
    depth: q.depth,
    reliability: bestEffort ? Reliability.BEST_EFFORT : Reliability.RELIABLE,
    durability: Durability.VOLATILE,
  };
}

/** ~/label_info: late subscribers still get the one message. */
export const LABEL_INFO_QOS: QosPolicies = {
  history: History.KEEP_LAST,
  depth: 1,
  reliability: Reliability.RELIABLE,
  durability: Durability.TRANSIENT_LOCAL,
};

export const DIAGNOSTICS_QOS: QosPolicies = {
  history: History.KEEP_LAST,
  depth: 10,
  reliability: Reliability.RELIABLE,
  durability: Durability.VOLATILE,
};
