// `npm run bench -- --cpu avx2`: the whole bench, ONNX Runtime included, in a child process that
// sees this x86-64 CPU as AVX2-only. ATTENDSEG_ISA=avx2 only moves our engine; ONNX Runtime's MLAS
// would keep its AVX-512 VNNI kernels, so that ratio says nothing about an AVX2-only CPU.
// The child runs under LD_PRELOAD=libattendseg_cpuid_avx2_view.so (native/tools/cpuid_avx2_view.cpp),
// which hides AVX-512, AVX-VNNI and AMX from every CPUID instruction of the process.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { kernelTables } from '../src/engine/engine';

export type CpuView = 'native' | 'avx2';

/** The flag the parent adds to the child's arguments: the view is loaded in this process. */
export const VIEW_LOADED_FLAG = '--cpu-view-loaded';

const root = path.resolve(__dirname, '..');

export function parseCpuView(s: string): CpuView {
  if (s !== 'native' && s !== 'avx2') throw new Error(`--cpu: '${s}' is not native or avx2`);
  return s;
}

function viewLibrary(): string {
  const candidates = ['Release', '.'].map((d) => path.join(root, 'build', d, 'libattendseg_cpuid_avx2_view.so'));
  const found = candidates.find((p) => fs.existsSync(p));
  if (process.platform !== 'linux' || process.arch !== 'x64' || !found)
    throw new Error(`--cpu avx2 needs Linux on x86-64 and ${candidates[0]} (built by npm ci / npm run build:native)`);
  return found;
}

/** Reruns this bench under the AVX2 view and returns its exit status. */
export function rerunUnderAvx2View(): number {
  const lib = viewLibrary();
  const preload = [lib, process.env.LD_PRELOAD].filter((p) => !!p).join(':');
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1), VIEW_LOADED_FLAG], {
    stdio: 'inherit',
    env: { ...process.env, LD_PRELOAD: preload },
  });
  if (r.status === 77) console.error('--cpu avx2: this machine has no CPUID faulting (see the message above)');
  return r.status ?? 1;
}

/** In the child: the view must have taken effect, or the numbers would name the wrong CPU. */
export function checkAvx2View(): void {
  const wide = kernelTables().filter((t) => t.usable && (t.name === 'avx512vnni' || t.name === 'avxvnni'));
  if (wide.length > 0)
    throw new Error(`--cpu avx2: this process still sees ${wide.map((t) => t.name).join(', ')}; the CPUID view did not load`);
}

export function describeCpuView(view: CpuView): string {
  return view === 'avx2'
    ? 'cpu view: avx2 (CPUID shows no AVX-512, AVX-VNNI or AMX to this process: ONNX Runtime and ours both run their AVX2 code)'
    : 'cpu view: native';
}
