// One benchmark case: our engine, ONNX Runtime on the QDQ file and on its float twin, timed in
// rotating blocks in the same process so that machine noise hits all three alike.
import * as ort from 'onnxruntime-node';

import { Engine } from '../src/engine/engine';
import { loadAddon } from '../src/engine/native';
import { labelOnly, randomRgb, rgbFrame } from './camera-frame';
import { fullGc } from './full-gc';
import { median, round } from './stats';

export interface CaseResult {
  case: string;
  threads: number;
  width: number;
  height: number;
  isa: string;
  ours_ms: number;
  ours_network_ms: number;
  ort_ms: number;
  ort_fp32_ms: number;
  speedup: number;
  gmacs: number;
  ours_gmacs_per_s: number;
  peak_gmacs_per_s: number;
  peak_share: number;
}

export interface CaseInput {
  name: string;
  qdq: Uint8Array;
  fp32: Uint8Array;
  width: number;
  height: number;
  threads: number;
  iterations: number;
  warmup: number;
}

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

const peakCache = new Map<string, number>();
export function int8Peak(isa: string, threads: number): number {
  const key = `${isa}/${threads}`;
  if (!peakCache.has(key)) {
    const addon = loadAddon();
    // Best of three short runs: the ceiling, not an average under noise.
    const runs = [0, 1, 2].map(() => addon.int8PeakGmacs(isa, threads, 250));
    peakCache.set(key, Math.max(...runs));
  }
  return peakCache.get(key)!;
}

export async function runCase(c: CaseInput): Promise<CaseResult> {
  const engine = Engine.fromBytes(c.qdq, { threads: c.threads });
  const ortInt8 = await ort.InferenceSession.create(c.qdq, sessionOptions(c.threads));
  const ortFp32 = await ort.InferenceSession.create(c.fp32, sessionOptions(c.threads));

  const rgb = randomRgb(c.width, c.height, 7);
  const frame = rgbFrame(c.width, c.height, rgb);
  const segment = labelOnly(c.width, c.height);
  // ONNX Runtime gets the network input already normalised: it does none of our preprocessing.
  const { mean, std } = engine.metadata.norm;
  const plane = c.width * c.height;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++)
    for (let ch = 0; ch < 3; ch++) input[ch * plane + i] = (rgb[i * 3 + ch] / 255 - mean[ch]) / std[ch];
  const feeds = (s: ort.InferenceSession) => ({
    [s.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, c.height, c.width]),
  });
  const int8Feeds = feeds(ortInt8);
  const fp32Feeds = feeds(ortFp32);

  // Block rotation: a few runs of one contender, then of the next. ONNX Runtime's workers keep
  // spinning for a while after each run (its default, and part of its speed), which would steal a
  // core from whatever runs next; so each block starts with a full garbage collection (the blocks
  // before left garbage whose concurrent marking would otherwise run beside it) and an untimed
  // run after a short pause, and machine noise still spreads over all three through the rounds.
  const ours: number[] = [];
  const oursNet: number[] = [];
  const ortQ: number[] = [];
  const ortF: number[] = [];
  // Each run returns the network's own time where it knows it (ours).
  const contenders: [() => Promise<number | undefined>, number[]][] = [
    [async () => engine.runSync(frame, segment).timing.networkMs, ours],
    [async () => void (await ortInt8.run(int8Feeds)), ortQ],
    [async () => void (await ortFp32.run(fp32Feeds)), ortF],
  ];
  for (const [run] of contenders) for (let i = 0; i < c.warmup; i++) await run();
  const block = Math.max(1, Math.min(5, c.iterations));
  for (let done = 0; done < c.iterations; done += block) {
    const n = Math.min(block, c.iterations - done);
    for (const [run, times] of contenders) {
      fullGc();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await run();
      for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint();
        const network = await run();
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (network !== undefined) oursNet.push(network);
      }
    }
  }
  await ortInt8.release();
  await ortFp32.release();

  const gmacs = engine.macs(c.height, c.width) / 1e9;
  const oursMs = median(ours);
  const oursNetMs = median(oursNet);
  const ortMs = median(ortQ);
  const ortFp32Ms = median(ortF);
  const achieved = gmacs / (oursNetMs / 1000);
  const peak = int8Peak(engine.isa, c.threads);
  return {
    case: c.name,
    threads: c.threads,
    width: c.width,
    height: c.height,
    isa: engine.isa,
    ours_ms: round(oursMs, 3),
    ours_network_ms: round(oursNetMs, 3),
    ort_ms: round(ortMs, 3),
    ort_fp32_ms: round(ortFp32Ms, 3),
    speedup: round(Math.min(ortMs, ortFp32Ms) / oursMs, 3),
    gmacs: round(gmacs, 3),
    ours_gmacs_per_s: round(achieved, 2),
    peak_gmacs_per_s: round(peak, 2),
    peak_share: round(achieved / peak, 3),
  };
}
