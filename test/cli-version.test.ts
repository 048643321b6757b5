// `attendseg --version` prints the package's version and exits 0.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { attendseg } from './helpers/cli';

describe('attendseg --version', () => {
  it('prints package.json version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = attendseg([flag]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), pkg.version);
    }
  });
});
