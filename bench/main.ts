// npm run bench [-- --json] : our engine against ONNX Runtime (int8 QDQ and fp32) on the same
// network, 1 and 2 threads, 480x360 and 512x512; the cost of the confidence map at 480x360; the
// node's overhead; eval against the engine. Speed is reported as ratios measured in one run.
import * as fs from 'fs';
import * as path from 'path';

import { Command, Option } from 'commander';

import { stripQdq } from '../src/engine/onnx';
import { formatConfidenceCost, runConfidenceCost } from './confidence-cost';
import { runCase, CaseResult } from './engine-vs-ort';
import { runNodeOverhead } from './node-overhead';
import { formatEvalCase, runEvalCase } from './eval-vs-engine';
import { checkAvx2View, describeCpuView, parseCpuView, rerunUnderAvx2View, VIEW_LOADED_FLAG } from './cpu-view';
import { formatMachine, machineInfo } from './machine';

const root = path.resolve(__dirname, '..');

function parseSizes(s: string): [number, number][] {
  return s.split(',').map((wh) => {
    const m = /^(\d+)x(\d+)$/.exec(wh.trim());
    if (!m) throw new Error(`--sizes: '${wh}' is not WIDTHxHEIGHT`);
    return [Number(m[1]), Number(m[2])];
  });
}

function defaultBenchModel(): string {
  const shipped = path.join(root, 'models', 'attendseg_camvid.onnx');
  return fs.existsSync(shipped) ? shipped : path.join(root, 'bench', 'models', 'attendseg_bench_qdq.onnx');
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .option('--json', 'print one JSON object per case')
    .option('--model <file>', 'QDQ ONNX model (default: the shipped model)', defaultBenchModel())
    .option('--threads <list>', 'thread counts', '1,2')
    .option('--sizes <list>', 'network sizes WIDTHxHEIGHT', '480x360,512x512')
    .option('--iterations <n>', 'timed iterations per case', '20')
    .option('--warmup <n>', 'untimed iterations per case', '3')
    .option('--cpu <view>', 'native, or avx2: everything (ONNX Runtime too) sees this x86-64 CPU as AVX2-only', 'native')
    .addOption(new Option(VIEW_LOADED_FLAG).hideHelp())
    .parse();
  const o = program.opts<{
    json?: boolean; model: string; threads: string; sizes: string; iterations: string; warmup: string; cpu: string;
    cpuViewLoaded?: boolean;
  }>();
  const view = parseCpuView(o.cpu);
  if (view === 'avx2' && !o.cpuViewLoaded) process.exit(rerunUnderAvx2View());
  if (view === 'avx2') checkAvx2View();
  const qdq = fs.readFileSync(o.model);
  // The float export of the same network when it sits beside the model (the shipped model has
  // one), else the QDQ graph with its quantization stripped.
  const twin = o.model.replace(/\.onnx$/, '_fp32.onnx');
  const fp32 = twin !== o.model && fs.existsSync(twin) ? fs.readFileSync(twin) : stripQdq(qdq);
  const name = path.basename(o.model, '.onnx');
  const machine = { ...machineInfo(), cpu_view: describeCpuView(view) };
  console.log(o.json ? JSON.stringify({ machine }) : `${formatMachine(machine)}\n${machine.cpu_view}`);
  const results: CaseResult[] = [];
  for (const threads of o.threads.split(',').map(Number)) {
    for (const [width, height] of parseSizes(o.sizes)) {
      const r = await runCase({
        name: `${name}@${width}x${height}/t${threads}`,
        qdq,
        fp32,
        width,
        height,
        threads,
        iterations: Number(o.iterations),
        warmup: Number(o.warmup),
      });
      results.push(r);
      if (o.json) console.log(JSON.stringify(r));
      else
        console.log(
          `${r.case.padEnd(40)} ours ${r.ours_ms.toFixed(2)} ms (network ${r.ours_network_ms.toFixed(2)})  ` +
            `ORT int8 ${r.ort_ms.toFixed(2)}  ORT fp32 ${r.ort_fp32_ms.toFixed(2)}  speedup ${r.speedup.toFixed(2)}x  ` +
            `${r.gmacs.toFixed(2)} GMAC  ${r.ours_gmacs_per_s.toFixed(1)} GMAC/s = ${(100 * r.peak_share).toFixed(1)}% of ` +
            `${r.isa} peak ${r.peak_gmacs_per_s.toFixed(1)}`,
        );
    }
  }
  // 480x360 with confidence: the same frame with and without the confidence map, as a ratio.
  for (const threads of o.threads.split(',').map(Number)) {
    const r = runConfidenceCost({
      name: `${name}@480x360+confidence/t${threads}`,
      modelPath: o.model,
      width: 480,
      height: 360,
      threads,
      iterations: Number(o.iterations),
      warmup: Number(o.warmup),
    });
    console.log(o.json ? JSON.stringify(r) : formatConfidenceCost(r));
  }
  // The ROS node's own cost (CDR in, CDR out, JavaScript) over the engine, 640x480 rgb8 camera.
  for (const threads of o.threads.split(',').map(Number)) {
    const r = await runNodeOverhead({
      name: `node-overhead@640x480/t${threads}`,
      modelPath: o.model,
      width: 640,
      height: 480,
      threads,
      iterations: Number(o.iterations),
      warmup: Number(o.warmup),
    });
    if (o.json) console.log(JSON.stringify(r));
    else
      console.log(
        `${r.case.padEnd(40)} engine ${r.engine_ms.toFixed(2)} ms  node ${r.node_ms.toFixed(2)} ms  overhead ` +
          `${r.overhead_ms.toFixed(2)} ms = ${(100 * r.overhead_share).toFixed(2)}% of the engine (target <= 10%)`,
      );
  }
  // attendseg eval over CamVid val against the engine alone on the same frames (target >= 90%).
  const ev = await runEvalCase(Math.max(...o.threads.split(',').map(Number)));
  if (ev) console.log(o.json ? JSON.stringify(ev) : formatEvalCase(ev));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
