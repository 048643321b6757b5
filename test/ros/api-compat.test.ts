// src/ros is written against its own subset of rclnodejs's API (src/ros/rclnodejs-api.ts), since
// rclnodejs is absent without ROS 2. Where it is installed, its real typings must still fit that
// subset: test/ros/api-compat/check.ts is compiled against them.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

describe('rclnodejs API subset', () => {
  it("fits rclnodejs's own typings", function () {
    this.timeout(120000);
    try {
      require.resolve('rclnodejs');
    } catch {
      console.log('      (rclnodejs is not installed (no ROS 2): API compatibility check skipped)');
      return this.skip();
    }
    const tsc = require.resolve('typescript/bin/tsc');
    const config = path.join(__dirname, 'api-compat', 'tsconfig.json');
    const r = spawnSync(process.execPath, [tsc, '-p', config, '--noEmit'], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc -p ${path.relative(process.cwd(), config)}:\n${r.stdout}${r.stderr}`);
  });
});
