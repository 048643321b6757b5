// npm run bench:profile [-- --threads 1,2 --sizes 480x360,512x512 --frames 30]: where the network's
// time goes, per op kind (Conv by path, Resize, Add, ...), from the engine's own per-op profile
// (ATTENDSEG_PROFILE=1), each configuration in a fresh process so the profiles do not mix.
import { spawnSync } from 'child_process';
import * as path from 'path';

import { Command } from 'commander';

import { labelOnly, randomRgb, rgbFrame } from './camera-frame';
import { formatMachine, machineInfo } from './machine';

const root = path.resolve(__dirname, '..');

// Child mode: the shipped model on the engine-vs-ORT case's frame, run as that case runs it
// (labels only, at the network's size), so the final Resize is profiled with its fused argmax.
function child(threads: number, w: number, h: number, frames: number): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Engine, defaultModelPath } = require('../src/index') as typeof import('../src/index');
  const e = Engine.fromFile(defaultModelPath(), { threads });
  const frame = rgbFrame(w, h, randomRgb(w, h, 7));
  const segment = labelOnly(w, h);
  for (let i = 0; i < frames; i++) e.runSync(frame, segment);
  console.log(`isa ${e.isa}`);
}

// "  1.234 ms  12.3%  /stem/stem.1/Conv 180x240x32 winograd4x4" -> kind "Conv winograd4x4".
function kindOf(name: string): string {
  const m = /\/([A-Za-z]+)(?:_\d+)? \d+x\d+x\d+(?: (\S+))?$/.exec(name);
  if (!m) return name;
  return m[2] ? `${m[1]} ${m[2]}` : m[1];
}

function profile(threads: number, w: number, h: number, frames: number): void {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', `${threads},${w},${h},${frames}`], {
    cwd: root,
    env: { ...process.env, ATTENDSEG_PROFILE: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`profile run failed: ${r.stderr}`);
  const byKind = new Map<string, { ms: number; ops: number }>();
  let total = 0;
  for (const line of r.stderr.split('\n')) {
    const m = /^\s+([\d.]+) ms\s+[\d.]+%\s+(.*)$/.exec(line);
    if (!m) continue;
    const k = kindOf(m[2]);
    const e = byKind.get(k) ?? { ms: 0, ops: 0 };
    e.ms += Number(m[1]);
    e.ops += 1;
    byKind.set(k, e);
    total += Number(m[1]);
  }
  const isa = /isa (\S+)/.exec(r.stdout)?.[1] ?? '?';
  console.log(`\n${w}x${h}, ${threads} thread(s), table ${isa}: ${total.toFixed(2)} ms per network run`);
  console.log('| op kind | ops | ms | share |\n| --- | --- | --- | --- |');
  for (const [k, e] of [...byKind.entries()].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`| ${k} | ${e.ops} | ${e.ms.toFixed(3)} | ${((100 * e.ms) / total).toFixed(1)}% |`);
}

const program = new Command()
  .option('--threads <list>', 'thread counts', '1,2')
  .option('--sizes <list>', 'network sizes WIDTHxHEIGHT', '480x360,512x512')
  .option('--frames <n>', 'network runs per configuration', '30')
  .option('--child <args>', 'internal: threads,w,h,frames')
  .parse();
const o = program.opts<{ threads: string; sizes: string; frames: string; child?: string }>();
if (o.child) {
  const [t, w, h, n] = o.child.split(',').map(Number);
  child(t, w, h, n);
} else {
  console.log(formatMachine(machineInfo()));
  for (const t of o.threads.split(',').map(Number))
    for (const s of o.sizes.split(',')) {
      const [w, h] = s.split('x').map(Number);
      profile(t, w, h, Number(o.frames));
    }
}
