// The launchers `ros2 run attendseg_ros attendseg_node|attendseg` start (cmake/launcher.in, installed
// into lib/attendseg_ros), without ROS: run from a copied install tree and from one laid out as
// `colcon build --symlink-install` lays it out (every file a link into the build or source folder),
// it starts share/attendseg_ros/lib/ros/main.js with the ROS arguments, and that script finds its
// modules, node_modules and build/Release in the install tree.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { tmpDir } from '../helpers/tmp';

const root = path.resolve(__dirname, '..', '..');
const SHARE = 'share/attendseg_ros';

// Stand-ins for the compiled TypeScript (main.js finds the package root as src/engine does),
// a runtime dependency and the addon.
const PAYLOAD: Record<string, string> = {
  'js/cli/main.js': `console.log(JSON.stringify({ cli: process.argv.slice(2) }));`,
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
  'js/cli/main.js': `${SHARE}/lib/cli/main.js`,
  'js/ros/main.js': `${SHARE}/lib/ros/main.js`,
  'js/engine/where.js': `${SHARE}/lib/engine/where.js`,
  'node_modules/dep/index.js': `${SHARE}/node_modules/dep/index.js`,
  'Release/attendseg.node': `${SHARE}/build/Release/attendseg.node`,
  attendseg_node: 'lib/attendseg_ros/attendseg_node',
  attendseg: 'lib/attendseg_ros/attendseg',
};

function write(file: string, text: string, mode = 0o644): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

describe('the attendseg_node and attendseg launchers', () => {
  const tmp = tmpDir('launcher');
  after(() => tmp.remove());
  const ament = fs.readFileSync(path.join(root, 'cmake', 'ament.cmake'), 'utf8');
  const template = fs.readFileSync(path.join(root, 'cmake', 'launcher.in'), 'utf8').replace(/@ATTENDSEG_SHARE@/g, SHARE);
  const launchers: Record<string, string> = {
    attendseg_node: template.replace(/@ATTENDSEG_MAIN@/g, 'lib/ros/main.js'),
    attendseg: template.replace(/@ATTENDSEG_MAIN@/g, 'lib/cli/main.js'),
  };
  const content = (from: string) => launchers[from] ?? PAYLOAD[from];
  const mode = (from: string) => (from in launchers ? 0o755 : 0o644);

  before(function () {
    if (process.platform === 'win32') this.skip();
  });

  it('is the file ament.cmake configures and installs into lib/attendseg_ros', () => {
    assert.match(ament, /set\(ATTENDSEG_SHARE share\/\$\{PROJECT_NAME\}\)/);
    assert.match(ament, /set\(ATTENDSEG_MAIN lib\/ros\/main\.js\)\nconfigure_file\(\$\{CMAKE_CURRENT_LIST_DIR\}\/launcher\.in \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg_node @ONLY\)/);
    assert.match(ament, /set\(ATTENDSEG_MAIN lib\/cli\/main\.js\)\nconfigure_file\(\$\{CMAKE_CURRENT_LIST_DIR\}\/launcher\.in \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg @ONLY\)/);
    assert.match(ament, /install\(PROGRAMS \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg_node \$\{CMAKE_CURRENT_BINARY_DIR\}\/attendseg DESTINATION lib\/\$\{PROJECT_NAME\}\)/);
    for (const l of Object.values(launchers)) {
      assert.ok(l.startsWith('#!/bin/sh\n'));
      assert.doesNotMatch(l, /@[A-Z_]+@/);
    }
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
      write(path.join(prefix, to), content(from), mode(from));
    assert.deepEqual(run(prefix), expected);
    // `ros2 run attendseg_ros attendseg segment ...`: the CLI, arguments as given
    const cli = spawnSync(path.join(prefix, INSTALLED.attendseg), ['segment', '--image-topic', '/a b'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    assert.equal(cli.status, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), { cli: ['segment', '--image-topic', '/a b'] });
  });

  it('runs the node from a --symlink-install tree, whose files link into the build and source folders', () => {
    const ws = path.join(tmp.path, 'ws');
    const origin = (from: string) => path.join(ws, from.startsWith('node_modules/') ? 'src/pkg' : 'build/pkg', from);
    for (const [from, to] of Object.entries(INSTALLED)) {
      write(origin(from), content(from), mode(from));
      const link = path.join(ws, 'install', to);
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(origin(from), link);
    }
    assert.deepEqual(run(path.join(ws, 'install')), expected);
  });
});
