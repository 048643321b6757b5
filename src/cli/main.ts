#!/usr/bin/env node
// The attendseg command line.
import * as path from 'path';

import { Command } from 'commander';

import { Engine, kernelTables } from '../engine/engine';

const program = new Command().name('attendseg').description('AttendSeg-style int8 semantic segmentation for ROS 2');

program
  .command('info')
  .description('check a model file and print what the engine makes of it')
  .argument('<model>', 'ONNX QDQ model file')
  .option('--threads <n>', 'worker threads (0: all cores)', '0')
  .option('--size <WxH>', 'network input size for the MAC count (default: the model metadata)')
  .action((model: string, o: { threads: string; size?: string }) => {
    const engine = Engine.fromFile(path.resolve(model), { threads: Number(o.threads) });
    const m = engine.metadata;
    let [w, h] = [m.inputWidth, m.inputHeight];
    if (o.size) {
      const s = /^(\d+)x(\d+)$/.exec(o.size);
      if (!s) throw new Error(`--size '${o.size}' is not WIDTHxHEIGHT`);
      [w, h] = [Number(s[1]), Number(s[2])];
    }
    console.log(`model:       ${model}`);
    console.log(`classes:     ${engine.numClasses} (${m.classNames.join(', ')})`);
    console.log(`input:       ${m.inputWidth}x${m.inputHeight}, mean ${m.norm.mean.join('/')}, std ${m.norm.std.join('/')}`);
    console.log(`void index:  ${m.voidIndex ?? 'none'}`);
    console.log(`kernels:     ${engine.isa}, ${engine.threads} threads`);
    console.log(`MACs:        ${(engine.macs(h, w) / 1e9).toFixed(3)} G at ${w}x${h}`);
  });

program
  .command('kernels')
  .description('list the kernel sets built in and whether this CPU runs them')
  .action(() => {
    for (const t of kernelTables()) console.log(`${t.name.padEnd(14)} ${t.usable ? 'usable' : 'not supported by this CPU'}`);
  });

program.parseAsync().catch((e: unknown) => {
  console.error(`attendseg: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
