// The node's diagnostic_msgs/DiagnosticStatus, one per camera and period, from that camera's counters.
import { DiagnosticLevel, DiagnosticStatusMessage } from './messages';
import type { StatsSnapshot } from './stats';

export interface EngineInfo {
  isa: string;
  threads: number;
  model: string;
  networkWidth: number;
  networkHeight: number;
}

const fixed = (x: number | null, digits: number) => (x === null ? 'n/a' : x.toFixed(digits));

/** `camera`: as the `cameras` parameter names it, '' for the node without that parameter. */
export function diagnosticStatus(
  nodeName: string,
  camera: string,
  inputTopic: string,
  s: StatsSnapshot,
  e: EngineInfo,
): DiagnosticStatusMessage {
  let level: number = DiagnosticLevel.OK;
  let message = 'segmenting';
  if (s.rejectedInPeriod > 0) {
    level = DiagnosticLevel.WARN;
    message = `${s.rejectedInPeriod} frame(s) rejected: ${s.lastRejection}`;
  } else if (s.inputHz === 0) {
    message = 'no input';
  } else if (s.outputHz === 0) {
    message = 'no subscribers';
  }
  const values: [string, string][] = [
    ['input topic', inputTopic],
    ['input rate (Hz)', fixed(s.inputHz, 2)],
    ['output rate (Hz)', fixed(s.outputHz, 2)],
    ['latency p50 (ms)', fixed(s.latencyP50Ms, 2)],
    ['latency p95 (ms)', fixed(s.latencyP95Ms, 2)],
    ['engine time p50 (ms)', fixed(s.engineP50Ms, 2)],
    ['frames received', String(s.received)],
    ['frames published', String(s.published)],
    ['frames dropped', String(s.dropped)],
    ['frames rejected', String(s.rejected)],
    ['frames skipped (no subscribers)', String(s.skipped)],
    ['last rejection', s.lastRejection ?? ''],
    ['isa', e.isa],
    ['threads', String(e.threads)],
    ['model', e.model],
    ['network size', `${e.networkWidth}x${e.networkHeight}`],
  ];
  return {
    level,
    name: `${nodeName.replace(/^\//, '')}: segmentation${camera ? ` ${camera}` : ''}`,
    message,
    hardware_id: '',
    values: values.map(([key, value]) => ({ key, value })),
  };
}
