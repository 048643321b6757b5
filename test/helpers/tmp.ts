// Temporary directories for tests, removed after each suite.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export function tmpDir(prefix: string): { path: string; remove(): void } {
  const p = fs.mkdtempSync(path.join(os.tmpdir(), `attendseg-${prefix}-`));
  return { path: p, remove: () => fs.rmSync(p, { recursive: true, force: true }) };
}
