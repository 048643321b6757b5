// launch/eval_replay.launch.py, executed without ROS: Python runs it against stand-ins for the
// launch and launch_ros classes that record how they are called, and the test checks the node,
// the record and play commands, the order of events and the argument checks.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { tmpDir } from '../helpers/tmp';

const LAUNCH = path.resolve(__dirname, '..', '..', 'launch', 'eval_replay.launch.py');

// Stand-ins: every class records its arguments; LaunchConfiguration.perform reads VALUES, filled
// from the declared defaults and the test's arguments.
const STUBS = `
import importlib.util, json, sys, types
VALUES = {}
class Rec:
    def __init__(self, *args, **kw):
        self.args, self.kw = list(args), kw
    def dump(self):
        return {'type': type(self).__name__, 'args': [dump(a) for a in self.args], 'kw': {k: dump(v) for k, v in self.kw.items()}}
def dump(v):
    if isinstance(v, Rec): return v.dump()
    if isinstance(v, (list, tuple)): return [dump(x) for x in v]
    if isinstance(v, dict): return {k: dump(x) for k, x in v.items()}
    return v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
def module(name, **classes):
    m = types.ModuleType(name)
    for k, v in classes.items(): setattr(m, k, v)
    sys.modules[name] = m
    return m
def cls(name): return type(name, (Rec,), {})
class LaunchConfiguration(Rec):
    def perform(self, context): return VALUES[self.args[0]]
class FindPackageShare(Rec):
    def __str__(self): return '/opt/ros/share/' + self.args[0]
names = ['DeclareLaunchArgument', 'EmitEvent', 'ExecuteProcess', 'LogInfo', 'OpaqueFunction', 'RegisterEventHandler', 'TimerAction']
module('launch', LaunchDescription=cls('LaunchDescription'))
module('launch.actions', **{n: cls(n) for n in names})
module('launch.event_handlers', OnProcessExit=cls('OnProcessExit'))
module('launch.events', Shutdown=cls('Shutdown'))
module('launch.substitutions', LaunchConfiguration=LaunchConfiguration)
module('launch_ros', )
module('launch_ros.actions', Node=cls('Node'))
module('launch_ros.substitutions', FindPackageShare=FindPackageShare)
spec = importlib.util.spec_from_file_location('eval_replay', sys.argv[1])
launch_file = importlib.util.module_from_spec(spec)
spec.loader.exec_module(launch_file)
ld = launch_file.generate_launch_description()
declared = {}
for a in ld.args[0]:
    if type(a).__name__ == 'DeclareLaunchArgument':
        d = a.kw.get('default_value')
        declared[a.args[0]] = ''.join(str(x) for x in d) if isinstance(d, list) else d
VALUES.update({k: v for k, v in declared.items() if v is not None})
VALUES.update(json.loads(sys.argv[2]))
opaque = [a for a in ld.args[0] if type(a).__name__ == 'OpaqueFunction'][0]
try:
    actions = opaque.kw['function'](None)
except RuntimeError as e:
    print(json.dumps({'error': str(e)})); sys.exit(0)
out = {'declared': declared, 'actions': [dump(a) for a in actions]}
node = [a for a in actions if type(a).__name__ == 'Node'][0]
print(json.dumps(out))
`;

type Dumped = { type: string; args: unknown[]; kw: Record<string, unknown> };

describe('eval: launch/eval_replay.launch.py', () => {
  const tmp = tmpDir('launch');
  after(() => tmp.remove());
  const bag = path.join(tmp.path, 'in');
  before(function () {
    fs.mkdirSync(bag);
    const probe = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.log('      (skipped: no python3 to run the launch file)');
      this.skip();
    }
  });

  function run(args: Record<string, string>) {
    const r = spawnSync('python3', ['-c', STUBS, LAUNCH, JSON.stringify(args)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  it('declares its arguments with defaults for everything but bag and output', () => {
    const out = run({ bag, output: path.join(tmp.path, 'rec') });
    assert.deepEqual(Object.keys(out.declared).sort(), [
      'bag', 'drain_time', 'gt_topic', 'image', 'input_transport', 'output', 'params_file', 'play_delay', 'qos', 'rate', 'record_overlay', 'start_delay',
      'storage',
    ]);
    assert.equal(out.declared.bag, null);
    assert.equal(out.declared.params_file, '/opt/ros/share/attendseg_ros/config/params.yaml');
    assert.ok(Number(out.declared.play_delay) > 0, 'ros2 bag play refuses a --delay of 0');
  });

  it('compressed replay: node remapped and configured, recorder first, play after the delay, shutdown after play', () => {
    const output = path.join(tmp.path, 'rec');
    const out = run({ bag, output, input_transport: 'compressed', rate: '0.5', storage: 'mcap', record_overlay: 'true', params_file: '/p.yaml', play_delay: '1.5' });
    const actions = out.actions as Dumped[];
    assert.deepEqual(actions.map((a) => a.type), ['Node', 'ExecuteProcess', 'TimerAction', 'RegisterEventHandler']);
    const node = actions[0].kw;
    assert.deepEqual([node.package, node.executable, node.name], ['attendseg_ros', 'attendseg_node', 'attendseg']);
    assert.deepEqual(node.remappings, [['image', '/camera/image_raw']]);
    // reliable input and outputs: a lost fragment of a best-effort frame loses the frame
    assert.deepEqual(node.parameters, ['/p.yaml', { input_transport: 'compressed', qos: 'reliable', qos_depth: 30 }]);
    assert.deepEqual(actions[1].kw.cmd, [
      'ros2', 'bag', 'record', '-o', output, '-s', 'mcap', '/camera/label_gt', '/attendseg/label', '/attendseg/overlay',
    ]);
    const timer = actions[2].kw;
    assert.equal(timer.period, 3.0);
    const play = (timer.actions as Dumped[])[0];
    // --delay: publishers first, messages later, so the node and the recorder have matched them
    assert.deepEqual(play.kw.cmd, [
      'ros2', 'bag', 'play', bag, '--rate', '0.5', '--delay', '1.5', '--topics', '/camera/image_raw/compressed', '/camera/label_gt',
    ]);
    const onExit = (actions[3].args[0] as Dumped).kw;
    assert.deepEqual(onExit.target_action, play, 'shutdown follows the end of the replay');
    const stop = (onExit.on_exit as Dumped[])[1];
    assert.equal(stop.kw.period, 2.0);
    assert.equal(((stop.kw.actions as Dumped[])[0].kw.event as Dumped).type, 'Shutdown');
  });

  it('raw replay records only the label and uses rosbag2\'s default storage', () => {
    const out = run({ bag, output: path.join(tmp.path, 'rec2'), image: '/cam/image' });
    const actions = out.actions as Dumped[];
    assert.deepEqual(actions[1].kw.cmd, ['ros2', 'bag', 'record', '-o', path.join(tmp.path, 'rec2'), '/camera/label_gt', '/attendseg/label']);
    assert.deepEqual(((actions[2].kw.actions as Dumped[])[0].kw.cmd as string[]).slice(-3), ['--topics', '/cam/image', '/camera/label_gt']);
    assert.deepEqual((out.actions[0] as Dumped).kw.parameters, [
      '/opt/ros/share/attendseg_ros/config/params.yaml',
      { input_transport: 'raw', qos: 'reliable', qos_depth: 30 },
    ]);
  });

  it('refuses a missing bag, an existing output and an unknown transport, naming them', () => {
    assert.match(run({ bag: path.join(tmp.path, 'nope'), output: path.join(tmp.path, 'r3') }).error, /bag .*nope does not exist/);
    assert.match(run({ bag, output: bag }).error, /output .*in already exists/);
    assert.match(run({ bag, output: path.join(tmp.path, 'r4'), input_transport: 'theora' }).error, /input_transport must be 'raw' or 'compressed', got 'theora'/);
    assert.match(run({ bag, output: path.join(tmp.path, 'r5'), qos: 'fast' }).error, /qos must be 'reliable' or 'sensor_data', got 'fast'/);
  });
});
