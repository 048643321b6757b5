// config/params.yaml and launch/segmentation.launch.py, checked without ROS: every parameter is
// documented with a valid value of its declared type under /** (any node name and namespace), each
// the table's default unless noted, and the launch file passes parameters as that file; launch
// arguments named after a parameter default to the table's value.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { isMap, isScalar, parseDocument, Scalar } from 'yaml';

import { checkParam, PARAMS, paramSpec, ParamType } from '../../src/pipeline/params';

const root = path.resolve(__dirname, '..', '..');

// How rcl's YAML parser types a scalar: quoted is a string; plain true/false a bool; digits an
// integer; a number with a point or exponent a double.
function rclType(s: Scalar): ParamType {
  if (s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') return 'string';
  const src = String(s.source);
  if (/^(true|false|True|False|TRUE|FALSE)$/.test(src)) return 'bool';
  if (/^[-+]?\d+$/.test(src)) return 'integer';
  if (/^[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(src)) return 'double';
  return 'string';
}

/** Values config/params.yaml sets on purpose to other than the node's default (see its comments). */
const YAML_DIFFERS: Record<string, unknown> = { publish_colorized: true };

describe('config/params.yaml', () => {
  const doc = parseDocument(fs.readFileSync(path.join(root, 'config', 'params.yaml'), 'utf8'));

  it('has one key, /**, with ros__parameters only', () => {
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(Object.keys(doc.toJS()), ['/**']);
    assert.deepEqual(Object.keys(doc.toJS()['/**']), ['ros__parameters']);
  });

  it('sets every parameter, each with a value of its declared type that the node accepts', () => {
    const params = doc.getIn(['/**', 'ros__parameters']);
    assert.ok(isMap(params));
    const seen = new Set<string>();
    for (const pair of params.items) {
      assert.ok(isScalar(pair.key) && isScalar(pair.value));
      const name = String(pair.key.value);
      const type = rclType(pair.value);
      const why = checkParam({ name, type, value: pair.value.value as never });
      assert.equal(why, null, `${name}: ${why}`);
      seen.add(name);
    }
    // an empty list (the default of `cameras`) cannot be written for rcl: such a parameter is
    // shown as a commented example instead
    const unset = PARAMS.filter((p) => !seen.has(p.name));
    assert.deepEqual(unset.map((p) => p.name), ['cameras']);
    for (const p of unset) {
      assert.deepEqual(p.default, []);
      const example = fs.readFileSync(path.join(root, 'config', 'params.yaml'), 'utf8').match(new RegExp(`^ *# ${p.name}: (.*)$`, 'm'));
      assert.ok(example, `${p.name} has no commented example`);
      const value = parseDocument(example[1]).toJS() as string[];
      assert.equal(checkParam({ name: p.name, type: p.type, value }), null);
    }
  });

  it("writes the node's defaults (src/pipeline/params.ts), but for the values its comments say differ", () => {
    const values = doc.toJS()['/**'].ros__parameters as Record<string, unknown>;
    // the ones left unset (an empty list) are checked above
    for (const p of PARAMS.filter((q) => q.name in values)) {
      const expected = YAML_DIFFERS[p.name] ?? p.default;
      assert.equal(values[p.name], expected, `${p.name}: ${values[p.name]}, the table says ${p.default}`);
    }
  });
});

/**
 * Launch arguments named after a node parameter default to its value in the table, except these,
 * each for the reason given beside it in the launch file.
 */
const LAUNCH_DIFFERS: Record<string, Record<string, string>> = {
  'eval_replay.launch.py': { qos: 'reliable' }, // a replay must not lose frames
  'segmentation.launch.py': {},
};

describe('launch arguments named after node parameters', () => {
  for (const [file, differs] of Object.entries(LAUNCH_DIFFERS)) {
    it(`${file}: default to the table's values`, function () {
      const c = launchCalls(file);
      if (typeof c === 'string') {
        console.log(`      (skipped: ${c})`);
        this.skip();
      }
      const declared = (c as Call[]).filter((x) => x.call === 'DeclareLaunchArgument');
      assert.ok(declared.length > 0);
      for (const d of declared) {
        const name = String(d.args[0]);
        const spec = paramSpec(name);
        if (!spec) continue;
        const expected = differs[name] ?? String(spec.default);
        assert.equal(d.kw.default_value, expected, `${file}: ${name}`);
      }
    });
  }
});

// A launch file's structure, read with Python's own parser.
const LAUNCH_SCRIPT = `
import ast, json, sys
def simple(n):
    if isinstance(n, ast.Constant): return n.value
    if isinstance(n, (ast.List, ast.Tuple)): return [simple(e) for e in n.elts]
    if isinstance(n, ast.Dict): return {'dict': [simple(k) for k in n.keys]}
    if isinstance(n, ast.Name): return {'name': n.id}
    if isinstance(n, ast.Call):
        f = n.func.id if isinstance(n.func, ast.Name) else ast.unparse(n.func)
        return {'call': f, 'args': [simple(a) for a in n.args], 'kw': {(k.arg or '**'): simple(k.value) for k in n.keywords}}
    return {'expr': ast.unparse(n)}
tree = ast.parse(open(sys.argv[1]).read())
calls = [simple(n) for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
print(json.dumps([c for c in calls if c['call'] in ('Node', 'LifecycleNode', 'dict', 'DeclareLaunchArgument', 'SetEnvironmentVariable', 'PathJoinSubstitution')]))
`;
type Call = { call: string; args: unknown[]; kw: Record<string, unknown> };

/** The calls of launch/<file>, or why python3 could not read it. */
function launchCalls(file: string): Call[] | string {
  const r = spawnSync('python3', ['-c', LAUNCH_SCRIPT, path.join(root, 'launch', file)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `python3 could not read ${file}: ${r.error?.message ?? r.stderr}`;
  return JSON.parse(r.stdout) as Call[];
}

describe('launch/segmentation.launch.py', () => {
  let calls: Call[] = [];
  before(function () {
    const c = launchCalls('segmentation.launch.py');
    if (typeof c === 'string') {
      console.log(`      (skipped: ${c})`);
      this.skip();
    }
    calls = c as Call[];
  });
  const lc = (name: string) => ({ call: 'LaunchConfiguration', args: [name], kw: {} });

  it('declares image, cameras, params_file, namespace, use_rviz, fixed_frame, large_images and lifecycle', () => {
    const declared = calls.filter((c) => c.call === 'DeclareLaunchArgument');
    assert.deepEqual(declared.map((c) => c.args[0]), ['image', 'cameras', 'params_file', 'namespace', 'use_rviz', 'fixed_frame', 'large_images', 'lifecycle']);
    // the same default topic as `ros2 run` without a remapping
    assert.equal(declared[0].kw.default_value, 'image');
    // one camera unless cameras are given
    assert.equal(declared[1].kw.default_value, '');
    // the plain node stays the default
    assert.equal(declared[7].kw.default_value, 'false');
  });

  it('gives the node its namespace and name, and remaps image', () => {
    const node = calls.find((c) => c.call === 'dict' && c.kw.executable === 'attendseg_node')!;
    assert.equal(node.kw.package, 'attendseg_ros');
    assert.equal(node.kw.name, 'attendseg');
    assert.deepEqual(node.kw.remappings, [['image', lc('image')]]);
    assert.deepEqual(node.kw.namespace, lc('namespace'));
  });

  it('starts that node as a plain Node, or with lifecycle:=true as a LifecycleNode given --lifecycle', () => {
    const spread = { '**': { name: 'segmentation_node' } };
    const plain = calls.filter((c) => c.call === 'Node' && c.kw['**']);
    const managed = calls.filter((c) => c.call === 'LifecycleNode');
    assert.equal(plain.length, 1);
    assert.equal(managed.length, 1);
    assert.deepEqual(plain[0].kw, { ...spread, condition: { call: 'UnlessCondition', args: [lc('lifecycle')], kw: {} } });
    assert.deepEqual(managed[0].kw, {
      ...spread,
      arguments: ['--lifecycle'],
      condition: { call: 'IfCondition', args: [lc('lifecycle')], kw: {} },
    });
  });

  it('refers only to files the package installs', () => {
    const joins: unknown[][] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const c = v as Call;
        if (c.call === 'PathJoinSubstitution') joins.push(c.args[0] as unknown[]);
        Object.values(c.kw ?? {}).forEach(walk);
        (c.args ?? []).forEach(walk);
      }
    };
    walk(calls);
    const files = [...new Set(joins.map((parts) => parts.slice(1).join('/')))].sort();
    assert.deepEqual(files, ['config/attendseg.rviz', 'config/cyclonedds_large_images.xml', 'config/params.yaml']);
    for (const f of files) assert.ok(fs.existsSync(path.join(root, f)), f);
  });

});

describe('README parameter table', () => {
  it('lists every parameter with its type and default', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const section = readme.split('### Parameters')[1].split('\n### ')[0];
    const rows = new Map<string, { type: string; def: string }>();
    for (const line of section.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length < 5 || !cells[1].startsWith('`')) continue;
      for (const name of cells[1].split(',')) rows.set(name.trim().replace(/`/g, ''), { type: cells[2], def: cells[3].replace(/`/g, '') });
    }
    const typeWord = { bool: 'bool', integer: 'int', double: 'double', string: 'string', string_array: 'string[]' };
    for (const p of PARAMS) {
      const row = rows.get(p.name);
      assert.ok(row, `${p.name} is missing from the README`);
      assert.equal(row.type, typeWord[p.type], p.name);
      const def = Array.isArray(p.default) ? JSON.stringify(p.default) : p.type === 'string' && p.default === '' ? '""' : String(p.default);
      assert.equal(row.def, def, p.name);
    }
    assert.equal(rows.size, PARAMS.length);
  });
});

// The launch file's functions run by Python against stand-ins for the launch classes.
const standIns = `
import importlib.util, json, os, sys, types
class Rec:
    def __init__(self, *args, **kw): self.args, self.kw = list(args), kw
class LaunchConfiguration(Rec):
    def perform(self, context): return context[self.args[0]]
class PathJoinSubstitution(Rec):
    def perform(self, context): return '/'.join(str(p) for p in self.args[0])
def module(name, **classes):
    m = types.ModuleType(name)
    for k, v in classes.items(): setattr(m, k, v)
    sys.modules[name] = m
cls = lambda n: type(n, (Rec,), {})
module('launch', LaunchDescription=cls('LaunchDescription'))
module('launch.actions', **{n: cls(n) for n in ['DeclareLaunchArgument', 'LogInfo', 'OpaqueFunction', 'SetEnvironmentVariable']})
module('launch.conditions', IfCondition=cls('IfCondition'), UnlessCondition=cls('UnlessCondition'))
module('launch.substitutions', LaunchConfiguration=LaunchConfiguration, PathJoinSubstitution=PathJoinSubstitution)
module('launch_ros'); module('launch_ros.actions', Node=cls('Node'), LifecycleNode=cls('LifecycleNode')); module('launch_ros.substitutions', FindPackageShare=cls('FindPackageShare'))
spec = importlib.util.spec_from_file_location('segmentation', sys.argv[1])
m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)
`;

describe('cameras:=', () => {
  const script = `${standIns}
def plain(v):
    if isinstance(v, Rec): return {type(v).__name__: [plain(a) for a in v.args]}
    if isinstance(v, (list, tuple)): return [plain(e) for e in v]
    if isinstance(v, dict): return {k: plain(e) for k, e in v.items()}
    return v
try:
    acts = m.segmentation_nodes({'cameras': sys.argv[2]})
except ValueError as e:
    print(json.dumps({'error': str(e)})); sys.exit(0)
print(json.dumps([[type(a).__name__, plain(a.kw['parameters'])] for a in acts]))
`;
  function run(cameras: string): unknown {
    const r = spawnSync('python3', ['-c', script, path.join(root, 'launch', 'segmentation.launch.py'), cameras], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }
  const paramsFile = { LaunchConfiguration: ['params_file'] };

  it('passes nothing more than the params file when empty (one camera)', () => {
    assert.deepEqual(run(''), [['Node', [paramsFile]], ['LifecycleNode', [paramsFile]]]);
  });

  it('passes the list as the cameras parameter to the plain and the managed node, written as YAML or with commas', () => {
    for (const text of ["['front', 'down']", '[front, down]', 'front,down', ' front , down ']) {
      const parameters = [paramsFile, { cameras: ['front', 'down'] }];
      assert.deepEqual(run(text), [['Node', parameters], ['LifecycleNode', parameters]], text);
    }
    assert.deepEqual(run("['/robot/front']"), [['Node', [paramsFile, { cameras: ['/robot/front'] }]], ['LifecycleNode', [paramsFile, { cameras: ['/robot/front'] }]]]);
  });

  it('refuses what is not a list of names', () => {
    for (const text of ['[1, 2]', '[{front: 1}]', "['front', '']", 'front,,down'])
      assert.match((run(text) as { error: string }).error, /is not a list of camera names/, text);
  });
});

describe('large_images:=true', () => {
  const script = `${standIns}
acts = m.large_images_dds({'large_images': sys.argv[2]}, '/share')
print(json.dumps([[type(a).__name__] + (a.kw['msg'].split(' ')[:1] if 'msg' in a.kw else []) + a.args for a in acts]))
`;
  function run(largeImages: string, uri?: string): unknown[][] {
    const env = { ...process.env };
    delete env.CYCLONEDDS_URI;
    if (uri !== undefined) env.CYCLONEDDS_URI = uri;
    const r = spawnSync('python3', ['-c', script, path.join(root, 'launch', 'segmentation.launch.py'), largeImages], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown[][];
  }
  const ours = 'file:///share/config/cyclonedds_large_images.xml';

  it('sets CYCLONEDDS_URI to the shipped file, and nothing when false', () => {
    assert.deepEqual(run('true'), [['SetEnvironmentVariable', 'CYCLONEDDS_URI', ours]]);
    assert.deepEqual(run('false', 'file:///mine.xml'), []);
  });

  it("keeps a user's own CYCLONEDDS_URI, appending ours, and says so", () => {
    assert.deepEqual(run('true', 'file:///mine.xml'), [
      ['LogInfo', 'large_images:'],
      ['SetEnvironmentVariable', 'CYCLONEDDS_URI', `file:///mine.xml,${ours}`],
    ]);
  });
});

describe('use_rviz:=true', () => {
  const script = `${standIns}
acts = m.rviz_node({'use_rviz': sys.argv[2], 'cameras': sys.argv[3], 'namespace': '', 'fixed_frame': 'map'}, sys.argv[4])
out = []
for a in acts:
    config = a.kw['arguments'][1]
    out.append({'node': type(a).__name__, 'config': config, 'text': open(config).read()})
    if not config.startswith(sys.argv[4]): os.unlink(config)
print(json.dumps(out))
`;
  function run(useRviz: string, cameras: string): { node: string; config: string; text: string }[] {
    const r = spawnSync('python3', ['-c', script, path.join(root, 'launch', 'segmentation.launch.py'), useRviz, cameras, root], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }
  const shipped = path.join(root, 'config', 'attendseg.rviz');

  it('starts rviz2 with config/attendseg.rviz for one camera, and nothing when false', () => {
    assert.deepEqual(run('false', "['front']"), []);
    const [one] = run('true', '');
    assert.equal(one.node, 'Node');
    assert.equal(one.config, shipped);
  });

  it("with several cameras, shows each camera's overlay and colorized images, the rest as shipped", () => {
    const [many] = run('true', "['front', 'down']");
    assert.notEqual(many.config, shipped);
    const config = parseDocument(many.text).toJS();
    const base = parseDocument(fs.readFileSync(shipped, 'utf8')).toJS();
    const displays = config['Visualization Manager'].Displays as { Name: string; Topic: Record<string, string> }[];
    assert.deepEqual(
      displays.map((d) => [d.Name, d.Topic.Value]),
      [
        ['front Overlay', 'front/attendseg/overlay'],
        ['front Colorized', 'front/attendseg/colorized'],
        ['down Overlay', 'down/attendseg/overlay'],
        ['down Colorized', 'down/attendseg/colorized'],
      ],
    );
    // where the node publishes a camera's outputs: <camera>/<node name>/<output>
    for (const d of displays) assert.equal(d.Topic['Reliability Policy'], 'Best Effort');
    assert.deepEqual(config['Visualization Manager']['Global Options'], base['Visualization Manager']['Global Options']);
    assert.deepEqual(Object.keys(config['Window Geometry']), ['Displays', 'Height', 'Width', ...displays.map((d) => d.Name)]);
  });
});
