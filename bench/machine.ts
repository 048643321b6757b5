// Which machine a benchmark ran on, printed before its numbers: speed ratios from different CPUs
// must never be compared, so every run names the CPU, its SIMD features and the kernel tables it
// can run (each case names the table it ran).
import * as os from 'os';
import * as fs from 'fs';

import { kernelTables } from '../src/engine/engine';

export interface MachineInfo {
  cpu: string;
  cores: number;
  features: string[];
  tables_usable: string[];
  kernel: string;
}

// The SIMD features the kernel tables care about, as /proc/cpuinfo (x86) or Features (arm) lists them.
const FEATURES = ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx_vnni', 'avx512_bf16', 'asimd', 'asimddp'];

export function machineInfo(): MachineInfo {
  let flags: string[] = [];
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const line = /^(flags|Features)\s*:\s*(.*)$/m.exec(info);
    if (line) flags = line[2].split(/\s+/);
  } catch {
    // not Linux: the model name from os.cpus() still identifies the machine
  }
  const tables = kernelTables();
  const usable = tables.filter((t) => t.usable).map((t) => t.name);
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    features: FEATURES.filter((f) => flags.includes(f)),
    tables_usable: usable,
    kernel: `${os.type()} ${os.release()}`,
  };
}

export function formatMachine(m: MachineInfo): string {
  return `machine: ${m.cpu}, ${m.cores} cores, ${m.kernel}; features ${m.features.join(' ') || 'none'}; ` +
    `kernel tables usable: ${m.tables_usable.join(', ')}`;
}
