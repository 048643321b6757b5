// `attendseg --version` prints the package's version and exits 0.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { attendseg } from '../helpers/cli';

describe('attendseg --version', () => {
  it('prints package.json version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = attendseg([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), pkg.version);
    }
  });

  // `npx attendseg` runs package.json's bin as a program: the built file must be executable
  it('runs the built bin file as a program, as npx does', function () {
    const root = path.join(__dirname, '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin.attendseg);
    if (!fs.existsSync(bin)) this.skip(); // lib/ is built by `npm ci` (prepare) and `npm run build:ts`
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(r.error, undefined, `${bin}: ${r.error?.message}`);
    assert.equal(r.status, 0, r.stderr);
  });
});
