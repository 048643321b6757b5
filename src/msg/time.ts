// builtin_interfaces/Time and the nanosecond integers rosbag2 stores as timestamps.

export interface Time {
  sec: number;
  nanosec: number;
}

export interface Header {
  stamp: Time;
  frame_id: string;
}

const NS = 1_000_000_000n;

export function timeToNs(t: Time): bigint {
  return BigInt(t.sec) * NS + BigInt(t.nanosec);
}

export function nsToTime(ns: bigint): Time {
  if (ns < 0n) throw new Error(`time ${ns} ns is negative`);
  const sec = ns / NS;
  if (sec > 0x7fffffffn) throw new Error(`time ${ns} ns does not fit builtin_interfaces/Time (int32 seconds)`);
  return { sec: Number(sec), nanosec: Number(ns % NS) };
}

/** Seconds (may be fractional) to nanoseconds, rounded to the nearest nanosecond. */
export function secondsToNs(seconds: number): bigint {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`time ${seconds} s is not a finite, non-negative number`);
  const whole = Math.floor(seconds);
  return BigInt(whole) * NS + BigInt(Math.round((seconds - whole) * 1e9));
}

/** A stamp as text, for error messages and reports: "1700000000.066666667". */
export function formatStamp(ns: bigint): string {
  return `${ns / NS}.${(ns % NS).toString().padStart(9, '0')}`;
}
