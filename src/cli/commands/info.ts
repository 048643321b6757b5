// attendseg info / kernels: what the engine makes of a model, and which kernel sets this CPU runs.
import * as path from 'path';

import type { Command } from 'commander';

import { Engine, kernelTables } from '../../engine/engine';
import { maxActivationOption, size, threadsOption } from '../options';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('check a model file and print what the engine makes of it')
    .argument('<model>', 'ONNX QDQ model file')
    .addOption(threadsOption())
    .addOption(maxActivationOption())
    .option('--size <WxH>', 'network input size for the MAC count (default: the model metadata)', size('--size'))
    .action((model: string, o: { threads: number; maxActivationMb: number; size?: [number, number] }) => {
      const engine = Engine.fromFile(path.resolve(model), { threads: o.threads, maxActivationMb: o.maxActivationMb });
      const m = engine.metadata;
      const [w, h] = o.size ?? [m.inputWidth, m.inputHeight];
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
}
