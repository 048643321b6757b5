// offered_qos_profiles as rosbag2 stores them: a YAML list of rmw QoS profiles. Metadata versions
// up to 8 write the policies as rmw enum integers (the only form Humble reads); version 9 (Jazzy)
// as names. We write the integer form and read both.
import YAML from 'yaml';

export interface Duration {
  sec: number;
  nsec: number;
}

export interface QosProfile {
  history: string;
  depth: number;
  reliability: string;
  durability: string;
  deadline: Duration;
  lifespan: Duration;
  liveliness: string;
  liveliness_lease_duration: Duration;
  avoid_ros_namespace_conventions: boolean;
}

// rmw/types.h enum values, in order.
const HISTORY = ['system_default', 'keep_last', 'keep_all', 'unknown'];
const RELIABILITY = ['system_default', 'reliable', 'best_effort', 'unknown', 'best_available'];
const DURABILITY = ['system_default', 'transient_local', 'volatile', 'unknown', 'best_available'];
const LIVELINESS = ['system_default', 'automatic', 'manual_by_node', 'manual_by_topic', 'unknown', 'best_available'];

/** RMW_DURATION_INFINITE as rosbag2 writes it. */
const INFINITE: Duration = { sec: 9223372036, nsec: 854775807 };

/** What a default rclcpp publisher offers: reliable, volatile, keep last 10. */
export const DEFAULT_QOS: QosProfile = {
  history: 'keep_last',
  depth: 10,
  reliability: 'reliable',
  durability: 'volatile',
  deadline: INFINITE,
  lifespan: INFINITE,
  liveliness: 'automatic',
  liveliness_lease_duration: INFINITE,
  avoid_ros_namespace_conventions: false,
};

function policyName(table: string[], what: string, raw: unknown): string {
  const v = typeof raw === 'bigint' ? Number(raw) : raw;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < table.length) return table[v];
  if (typeof v === 'string' && table.includes(v)) return v;
  throw new Error(`offered_qos_profiles: ${what} '${String(v)}' is not one of ${table.join(', ')} or 0..${table.length - 1}`);
}

function duration(what: string, v: unknown): Duration {
  const d = v as Record<string, unknown> | null;
  const int = (x: unknown) => typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x));
  if (!d || typeof d !== 'object' || !int(d.sec) || !int(d.nsec)) throw new Error(`offered_qos_profiles: ${what} is not {sec, nsec}`);
  return { sec: Number(d.sec), nsec: Number(d.nsec) };
}

/** Parses either form: the YAML text (versions 4..8) or an already parsed list (version 9). */
export function parseQosProfiles(value: unknown): QosProfile[] {
  if (value === '' || value === null || value === undefined) return [];
  const list = typeof value === 'string' ? YAML.parse(value) : value;
  if (list === null) return [];
  if (!Array.isArray(list)) throw new Error('offered_qos_profiles is not a list');
  return list.map((p: Record<string, unknown>) => ({
    history: policyName(HISTORY, 'history', p.history),
    depth: Number(p.depth ?? 0),
    reliability: policyName(RELIABILITY, 'reliability', p.reliability),
    durability: policyName(DURABILITY, 'durability', p.durability),
    deadline: duration('deadline', p.deadline),
    lifespan: duration('lifespan', p.lifespan),
    liveliness: policyName(LIVELINESS, 'liveliness', p.liveliness),
    liveliness_lease_duration: duration('liveliness_lease_duration', p.liveliness_lease_duration),
    avoid_ros_namespace_conventions: Boolean(p.avoid_ros_namespace_conventions),
  }));
}

/** The integer-enum YAML text that metadata version 8 and every storage plugin since Foxy read. */
export function serializeQosProfiles(profiles: QosProfile[]): string {
  if (profiles.length === 0) return '';
  const rows = profiles.map((p) => ({
    history: HISTORY.indexOf(p.history),
    depth: p.depth,
    reliability: RELIABILITY.indexOf(p.reliability),
    durability: DURABILITY.indexOf(p.durability),
    deadline: p.deadline,
    lifespan: p.lifespan,
    liveliness: LIVELINESS.indexOf(p.liveliness),
    liveliness_lease_duration: p.liveliness_lease_duration,
    avoid_ros_namespace_conventions: p.avoid_ros_namespace_conventions,
  }));
  return YAML.stringify(rows, { aliasDuplicateObjects: false }).trimEnd();
}
