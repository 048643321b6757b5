// Runs a stream of frames through the engine with one run in flight: while the engine works on
// frame i (on its worker thread), the next frame is read and decoded and the result of frame
// i - 1 is handled, so the engine never waits on JavaScript.
import { performance } from 'perf_hooks';

import type { Engine, Frame, SegmentOptions, SegmentationResult } from '../engine/engine';

export interface LoopFrame<T> {
  frame: Frame;
  /** Per-frame additions to the run options (e.g. an overlay only for sample frames). */
  options?: SegmentOptions;
  context: T;
}

export interface FrameOutcome<T> {
  result: SegmentationResult;
  context: T;
  /** From submitting the frame to its result being available, in milliseconds. */
  latencyMs: number;
}

export interface LoopSummary {
  frames: number;
  wallMs: number;
}

/** `name` says which frame an engine error is about (the engine's message alone does not). */
export async function runFrames<T>(
  engine: Engine,
  frames: AsyncIterable<LoopFrame<T>>,
  options: SegmentOptions,
  name: (context: T) => string,
  onResult: (outcome: FrameOutcome<T>) => Promise<void> | void,
): Promise<LoopSummary> {
  const start = performance.now();
  let count = 0;
  let inFlight: { done: Promise<{ result: SegmentationResult; latencyMs: number }>; context: T } | undefined;
  const named = (context: T) => (e: unknown) => {
    throw new Error(`${name(context)}: ${(e as Error).message}`);
  };
  const submit = (f: LoopFrame<T>) => {
    const t0 = performance.now();
    let run: Promise<SegmentationResult>;
    try {
      run = engine.run(f.frame, { ...options, ...f.options });
    } catch (e) {
      run = Promise.reject(e);
    }
    const done = run.then((result) => ({ result, latencyMs: performance.now() - t0 }), named(f.context));
    // Handled when awaited below; this keeps an early failure from surfacing as unhandled.
    done.catch(() => undefined);
    return { done, context: f.context };
  };
  for await (const f of frames) {
    const previous = inFlight;
    const finished = previous ? await previous.done : undefined;
    inFlight = submit(f);
    if (previous && finished) {
      await onResult({ ...finished, context: previous.context });
      count++;
    }
  }
  if (inFlight) {
    await onResult({ ...(await inFlight.done), context: inFlight.context });
    count++;
  }
  return { frames: count, wallMs: performance.now() - start };
}
