// Start-up parameters read from the command line as rcl reads them: params files keyed by the full
// node name (as `ros2 param dump` and launch_ros write them), by wildcards, nested namespaces, -p,
// and the order in which later values win. Needs no ROS.
import { strict as assert } from 'assert';

import { nodeKeyMatches, parameterArguments, paramArgument, paramsFileSections, startupParameters } from '../../src/ros/startup-parameters';

const FQN = '/robot/attendseg';

function run(files: Record<string, string>, argv: string[], fqn = FQN) {
  const read = (f: string) => {
    if (!(f in files)) throw new Error(`ENOENT: no such file '${f}'`);
    return files[f];
  };
  return Object.fromEntries([...startupParameters(['node', 'main.js', ...argv], fqn, read)].map(([k, p]) => [k, [p.type, p.value]]));
}

describe('start-up parameters from the command line', () => {
  it('applies a params file keyed by the full node name (ros2 param dump, launch_ros dicts)', () => {
    const dump = '/robot/attendseg:\n  ros__parameters:\n    overlay_alpha: 0.2\n    threads: 2\n';
    assert.deepEqual(run({ 'p.yaml': dump }, ['--ros-args', '--params-file', 'p.yaml']), {
      overlay_alpha: ['double', 0.2],
      threads: ['integer', 2],
    });
    // another node's section is not ours
    assert.deepEqual(run({ 'p.yaml': dump }, ['--ros-args', '--params-file', 'p.yaml'], '/other/attendseg'), {});
  });

  it('matches node keys as rcl does: /**, *, **, and keys without a leading slash from the root', () => {
    assert.ok(nodeKeyMatches('/**', FQN));
    assert.ok(nodeKeyMatches('/**/attendseg', FQN));
    assert.ok(nodeKeyMatches('/**/attendseg', '/attendseg'));
    assert.ok(nodeKeyMatches('/robot/*', FQN));
    assert.ok(nodeKeyMatches('/*/attendseg', FQN));
    assert.ok(nodeKeyMatches('robot/attendseg', FQN));
    assert.ok(nodeKeyMatches('attendseg', '/attendseg'));
    assert.ok(!nodeKeyMatches('attendseg', FQN));
    assert.ok(!nodeKeyMatches('/*', FQN));
    assert.ok(!nodeKeyMatches('/robot/attendseg/x', FQN));
    assert.ok(!nodeKeyMatches('/robot/other', FQN));
  });

  it('reads nested namespace keys and nested parameter names', () => {
    const text = 'robot:\n  attendseg:\n    ros__parameters:\n      qos: reliable\n      group:\n        x: 1\n';
    assert.deepEqual(
      paramsFileSections(text, 'f.yaml').map((s) => [s.key, s.parameters.map((p) => [p.name, p.value])]),
      [['robot/attendseg', [['qos', 'reliable'], ['group.x', 1]]]],
    );
  });

  it("types values as rcl does: quoted strings, YAML 1.1 bools, integers, doubles, arrays", () => {
    const text =
      '/**:\n  ros__parameters:\n    a: "1"\n    b: yes\n    c: 3\n    d: 3.0\n    e: 1e-3\n    f: sensor_data\n    g: [1, 2]\n    h: False\n';
    const got = run({ 'f.yaml': text }, ['--ros-args', '--params-file', 'f.yaml']);
    assert.deepEqual(got, {
      a: ['string', '1'],
      b: ['bool', true],
      c: ['integer', 3],
      d: ['double', 3],
      e: ['double', 0.001],
      f: ['string', 'sensor_data'],
      g: ['array', [1, 2]],
      h: ['bool', false],
    });
  });

  it('reads a list of cameras from a params file and from -p', () => {
    const file = '/robot/attendseg:\n  ros__parameters:\n    cameras: [front, "/down"]\n';
    assert.deepEqual(run({ 'f.yaml': file }, ['--ros-args', '--params-file', 'f.yaml']), { cameras: ['array', ['front', '/down']] });
    assert.deepEqual(run({}, ['--ros-args', '-p', "cameras:=['front', 'down']"]), { cameras: ['array', ['front', 'down']] });
  });

  it('lets later files, sections and -p win, in command-line order', () => {
    const files = {
      'a.yaml': '/**:\n  ros__parameters:\n    overlay_alpha: 0.1\n    threads: 1\n/robot/attendseg:\n  ros__parameters:\n    overlay_alpha: 0.2\n',
      'b.yaml': '/**/attendseg:\n  ros__parameters:\n    threads: 3\n',
    };
    assert.deepEqual(run(files, ['--ros-args', '--params-file', 'a.yaml', '-p', 'threads:=2', '--params-file', 'b.yaml']), {
      overlay_alpha: ['double', 0.2],
      threads: ['integer', 3],
    });
    assert.deepEqual(run(files, ['--ros-args', '--params-file', 'b.yaml', '-p', 'threads:=2']), { threads: ['integer', 2] });
  });

  it('reads only the --ros-args sections, and -p with a node name only for this node', () => {
    assert.deepEqual(parameterArguments(['--params-file', 'x', '--ros-args', '-r', 'image:=/cam', '-p', 'a:=1', '--', '-p', 'b:=2']), [
      { kind: 'param', arg: 'a:=1' },
    ]);
    assert.equal(paramArgument('other:threads:=2', FQN), null);
    assert.deepEqual(paramArgument('attendseg:threads:=2', FQN), { name: 'threads', type: 'integer', value: 2, source: '-p attendseg:threads:=2' });
    assert.deepEqual(paramArgument('qos:="reliable"', FQN)?.value, 'reliable');
  });

  it('names the file or argument it cannot read', () => {
    assert.throws(() => run({}, ['--ros-args', '--params-file', 'missing.yaml']), /^Error: --params-file missing.yaml: ENOENT/);
    assert.throws(() => run({ 'bad.yaml': '/**:\n  ros__parameters: [1\n' }, ['--ros-args', '--params-file', 'bad.yaml']), /^Error: bad.yaml: /);
    assert.throws(() => run({ 'v.yaml': '/**:\n  ros__parameters:\n    threads:\n' }, ['--ros-args', '--params-file', 'v.yaml']), /v.yaml \(\/\*\*\): threads has no value/);
    assert.throws(() => parameterArguments(['--ros-args', '--params-file']), /--params-file at the end of the command line has no argument/);
    assert.throws(() => paramArgument('threads=2', FQN), /-p threads=2: expected name:=value/);
  });
});
