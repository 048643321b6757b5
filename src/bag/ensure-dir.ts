// Creates an output directory and its missing parents, failing at once with the path and the
// reason. Node's mkdirSync({ recursive: true }) never returns for a path under a directory that
// cannot hold one (e.g. /proc/x: it retries ENOENT forever), so the missing levels are made one
// at a time below the nearest existing ancestor, which must be a writable directory.
import * as fs from 'fs';
import * as path from 'path';

export function ensureDir(dir: string, what = 'output directory'): void {
  const full = path.resolve(dir);
  const missing: string[] = [];
  let at = full;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  if (missing.length === 0) {
    if (!fs.statSync(full).isDirectory()) throw new Error(`${what} ${dir} is not a directory`);
    return;
  }
  if (!fs.statSync(at).isDirectory()) throw new Error(`cannot create ${what} ${dir}: ${at} is not a directory`);
  try {
    fs.accessSync(at, fs.constants.W_OK);
  } catch {
    throw new Error(`cannot create ${what} ${dir}: ${at} is not writable`);
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(d).isDirectory()) continue;
      throw new Error(`cannot create ${what} ${dir}: ${(e as Error).message}`);
    }
  }
}
