// Runs the attendseg CLI from the sources, as a user would run the installed one.
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');

export function attendseg(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    // a command that never returns is a failure, not a hung test run
    timeout: 120_000,
  });
  const stderr = r.error ? `${r.stderr}\n(${r.error.message})` : r.stderr;
  return { status: r.status ?? -1, stdout: r.stdout, stderr };
}
