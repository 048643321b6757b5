// The launcher `ros2 run attendseg_ros attendseg_node` starts (cmake/attendseg_node.in, installed
// into lib/attendseg_ros), without ROS: run from a copied install tree and from one laid out as
// `colcon build --symlink-install` lays it out (every file a link into the build or source folder),
// it starts share/attendseg_ros/lib/ros/main.js with the ROS arguments, and that script finds its
// modules, node_modules and build/Release in the install tree.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { tmpDir } from './helpers/tmp';

const root = path.resolve(__dirname, '..');
const SHARE = 'share/attendseg_ros';

// Stand-ins for the compiled TypeScript (main.js finds the package root as src/engine does),
// a runtime dependency and the addon.
const PAYLOAD: Record<string, string> = {
  'js/ros/main.js': `
const fs = require('fs'), path = require('path');
const { root } = require('../engine/where');
console.log(JSON.stringify({ args: process.argv.slice(2), dep: require('dep'),
  addon: fs.existsSync(path.join(root, 'build', 'Release', 'attendseg.node')) }));`,
  'js/engine/where.js': `exports.root = require('path').resolve(__dirname, '..', '..');`,
  'node_modules/dep/index.js': `module.exports = 'dep';`,
  'Release/attendseg.node': '',
};
// Where the install rules of cmake/ament.cmake put each of them.
const INSTALLED: Record<string, string> = {
  'js/ros/main.js': `${SHARE}/lib/ros/main.js`,
  'js/engine/where.js': `${SHARE}/lib/engine/where.js`,
  'node_modules/dep/index.js': `${SHARE}/node_modules/dep/index.js`,
  'Release/attendseg.node': `${SHARE}/build/Release/attendseg.node`,
  attendseg_node: 'lib/attendseg_ros/attendseg_node',
};

function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

describe('the attendseg_node launcher', () => {
  const tmp = tmpDir('launcher');
  after(() => tmp.remove());
  const ament = fs.readFileSync(path.join(root, 'cmake', 'ament.cmake'), 'utf8');
  const launcher = fs
    .readFileSync(path.join(root, 'cmake', 'attendseg_node.in'), 'utf8')
    .replace(/@ATTENDSEG_SHARE@/g, SHARE);

  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('is the file ament.cmake configures and installs into lib/attendseg_ros', () => {
    assert.match(ament, /set\(ATTENDSEG_SHARE share\/\$\{PROJECT_NAME\}\)/);
    assert.match(ament, /configure_file\(\$\{CMAKE_CURRENT_LIST_DIR\}\/attendseg_node\.in \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg_node @ONLY\)/);
    assert.match(ament, /install\(PROGRAMS \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg_node DESTINATION lib\/\$\{PROJECT_NAME\}\)/);
    assert.ok(launcher.startsWith('#!/bin/sh\n'));
    assert.doesNotMatch(launcher, /@[A-Z_]+@/);
  });

  function run(prefix: string) {
    const r = spawnSync(path.join(prefix, INSTALLED.attendseg_node), ['--ros-args', '-r', '__node:=x', '-p', 'palette:=a b.yaml'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { args: string[]; dep: string; addon: boolean };
  }
  const expected = { args: ['--ros-args', '-r', '__node:=x', '-p', 'palette:=a b.yaml'], dep: 'dep', addon: true };

  it('runs the node from a copied install tree', () => {
    const prefix = path.join(tmp.path, 'copy', 'install');
    for (const [from, to] of Object.entries(INSTALLED))
      write(path.join(prefix, to), from === 'attendseg_node' ? launcher : PAYLOAD[from], from === 'attendseg_node' ? 0o755 : 0o644);
    assert.deepEqual(run(prefix), expected);
  });

  it('runs the node from a --symlink-install tree, whose files link into the build and source folders', () => {
    const ws = path.join(tmp.path, 'ws');
    const origin = (from: string) => path.join(ws, from.startsWith('node_modules/') ? 'src/pkg' : 'build/pkg', from);
    for (const [from, to] of Object.entries(INSTALLED)) {
      write(origin(from), from === 'attendseg_node' ? launcher : PAYLOAD[from], from === 'attendseg_node' ? 0o755 : 0o644);
      const link = path.join(ws, 'install', to);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(origin(from), link);
    }
    assert.deepEqual(run(path.join(ws, 'install')), expected);
  });
});
