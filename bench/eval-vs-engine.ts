// `attendseg eval` against the engine alone on the same frames: CamVid val (480x360) as an rgb8
// MCAP bag, scored end to end (bag reading, CDR decoding, stamp matching, engine, confusion
// matrix), and the same frames run through the engine from memory. Rounds alternate so that
// machine noise hits both alike; the result is eval fps as a share of engine fps (target >= 90%),
// the median over rounds of eval's speed over the engine's in the same round.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

import { openBag } from '../src/bag';
import { DEFAULT_MODEL_FILE } from '../src/engine/default-model';
import { Engine, Frame, SegmentOptions } from '../src/engine/engine';
import { bagFromFolder } from '../src/eval/bag-from-folder';
import { evaluateEngineOnBag } from '../src/eval/evaluate-engine';
import { decodeInput, inputFrame } from '../src/msg';
import { median, round } from './stats';

const root = path.resolve(__dirname, '..');

export interface EvalCaseResult {
  case: string;
  model: string;
  frames: number;
  threads: number;
  isa: string;
  /** Medians over the rounds. */
  engine_fps: number;
  eval_fps: number;
  /** Median over the rounds of eval fps / engine fps. */
  eval_share: number;
  miou: number | null;
}

async function engineFps(engine: Engine, frames: Frame[], options: SegmentOptions): Promise<number> {
  const t0 = performance.now();
  for (const f of frames) await engine.run(f, options);
  return frames.length / ((performance.now() - t0) / 1000);
}

/** Runs the case, or returns null (after saying why) when CamVid is not next to the repository. */
export async function runEvalCase(threads: number, rounds = 5): Promise<EvalCaseResult | null> {
  const camvid = path.resolve(root, '..', 'shared', 'data', 'camvid');
  if (!fs.existsSync(path.join(camvid, 'val')) || !fs.existsSync(path.join(camvid, 'valannot'))) {
    console.log(`eval-vs-engine: skipped, CamVid val not found at ${camvid}`);
    return null;
  }
  const shipped = path.join(root, 'models', DEFAULT_MODEL_FILE);
  const model = fs.existsSync(shipped) ? shipped : path.join(root, 'bench', 'models', 'attendseg_bench_qdq.onnx');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attendseg-bench-eval-'));
  try {
    const bag = path.join(tmp, 'camvid_val');
    await bagFromFolder({ images: path.join(camvid, 'val'), labels: path.join(camvid, 'valannot'), out: bag, startTime: 1_700_000_000_000_000_000n });
    const frames: Frame[] = [];
    const reader = await openBag(bag);
    for await (const m of reader.messages({ topics: ['/camera/image_raw'] })) {
      // The decode path eval and the node take.
      frames.push(await inputFrame(decodeInput('sensor_msgs/msg/Image', m.data)));
    }
    await reader.close();

    const engine = Engine.fromFile(model, { threads });
    const meta = engine.metadata;
    // What eval asks of the engine: the label map at the input's resolution, nothing else.
    const options: SegmentOptions = { labelResolution: 'input', label: true, colorized: false, overlay: false };
    await engineFps(engine, frames.slice(0, 5), options); // warm-up: plans, caches
    const engineRuns: number[] = [];
    const evalRuns: number[] = [];
    let miou: number | null = null;
    for (let r = 0; r < rounds; r++) {
      engineRuns.push(await engineFps(engine, frames, options));
      const report = await evaluateEngineOnBag(bag, {
        engine,
        modelPath: model,
        classNames: meta.classNames,
        palette: meta.palette,
        ignoreIndex: 11,
        gtTopic: '/camera/label_gt',
        samples: 0,
      });
      if (report.frames.matched !== frames.length) throw new Error(`eval scored ${report.frames.matched} of ${frames.length} frames`);
      evalRuns.push(report.throughputFps!);
      miou = report.scores.miou;
    }
    const engineMedian = median(engineRuns);
    const evalMedian = median(evalRuns);
    // Each round's eval pass against the engine pass just before it: load that drifts over the
    // run (this machine is shared) cancels within a round.
    const share = median(evalRuns.map((e, i) => e / engineRuns[i]));
    return {
      case: `eval-vs-engine@480x360/t${engine.threads}`,
      model: path.relative(root, model),
      frames: frames.length,
      threads: engine.threads,
      isa: engine.isa,
      engine_fps: round(engineMedian),
      eval_fps: round(evalMedian),
      eval_share: round(share, 3),
      miou: miou === null ? null : round(miou),
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function formatEvalCase(r: EvalCaseResult): string {
  return (
    `${r.case.padEnd(40)} engine ${r.engine_fps.toFixed(2)} fps  eval ${r.eval_fps.toFixed(2)} fps  ` +
    `eval/engine ${(100 * r.eval_share).toFixed(1)}% (target >= 90%)  ${r.frames} CamVid val frames, ${r.model}, mIoU ${r.miou ?? 'n/a'}`
  );
}
