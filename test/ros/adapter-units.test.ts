// The ROS adapter's pieces that need no ROS graph: rclnodejs is never loaded on import, parameter
// values and types convert both ways, QoS presets map to rmw policies, QoS mismatch warnings.
import { strict as assert } from 'assert';

import { PARAMS } from '../../src/pipeline/params';
import { constraintsText, PARAMETER_TYPE, toAssignment, toRclValue } from '../../src/ros/param-convert';
import { ParameterClasses, startupValue } from '../../src/ros/ros-parameters';
import { DIAGNOSTICS_QOS, LABEL_INFO_QOS, qosPolicies } from '../../src/ros/qos';
import { nodeConstruction } from '../../src/ros/create-node';
import { mismatchWarning } from '../../src/ros/qos-watch';

describe('ROS adapter without ROS', () => {
  it('loads rclnodejs only when asked, and says what is missing', () => {
    require('../../src/ros/main');
    require('../../src/ros/rcl-transport');
    assert.deepEqual(Object.keys(require.cache).filter((k) => k.includes(`${'/node_modules/'}rclnodejs/`)), []);
    if (process.env.ROS_DISTRO) return;
    const { loadRclnodejs } = require('../../src/ros/load-rclnodejs') as typeof import('../../src/ros/load-rclnodejs');
    assert.throws(loadRclnodejs, { message: /^ROS 2 is not sourced \(ROS_DISTRO or AMENT_PREFIX_PATH is unset\)/ });
  });

  it('converts parameter values and type ids both ways', () => {
    for (const spec of PARAMS) {
      const rcl = toRclValue(spec, spec.default);
      assert.equal(typeof rcl, spec.type === 'integer' ? 'bigint' : typeof spec.default);
      assert.deepEqual(toAssignment({ name: spec.name, type: PARAMETER_TYPE[spec.type], value: rcl }), {
        name: spec.name,
        type: spec.type,
        value: spec.default,
      });
    }
    assert.deepEqual(PARAMETER_TYPE, { bool: 1, integer: 2, double: 3, string: 4, string_array: 9 });
    assert.match(toAssignment({ name: 'x', type: 8, value: [1.5] }).type, /type 8 \(bytes and arrays other than of strings are not parameters/);
    assert.deepEqual(toAssignment({ name: 'cameras', type: 9, value: ['front', 'down'] }), {
      name: 'cameras',
      type: 'string_array',
      value: ['front', 'down'],
    });
    assert.equal(constraintsText(PARAMS.find((p) => p.name === 'overlay_alpha')!), '0..1');
    assert.equal(constraintsText(PARAMS.find((p) => p.name === 'qos')!), 'one of: sensor_data, default, reliable, best_effort');
  });

  it('declares start-up string arrays (cameras) as string arrays, and refuses other arrays naming the source', () => {
    // rclnodejs's Parameter as a record of its arguments
    const rcl = { Parameter: class { constructor(readonly name: string, readonly type: number, readonly value: unknown) {} } } as unknown as ParameterClasses;
    const cameras = PARAMS.find((p) => p.name === 'cameras')!;
    const from = (value: unknown[], spec?: typeof cameras) =>
      startupValue(rcl, { name: spec?.name ?? 'other', type: 'array', value, source: 'f.yaml (/**)' }, spec);
    assert.deepEqual({ ...from(['front', 'down'], cameras) }, { name: 'cameras', type: 9, value: ['front', 'down'] });
    // `cameras: []` has no element type in YAML; the declared type decides
    assert.deepEqual({ ...from([], cameras) }, { name: 'cameras', type: 9, value: [] });
    assert.throws(() => from([1n, 2n], cameras), { message: 'f.yaml (/**): cameras is an array holding the integer 1; the only array parameter of this node is a list of strings' });
    assert.throws(() => from([]), { message: 'f.yaml (/**): other is an empty array; the only array parameter of this node is a list of strings' });
  });

  it('maps QoS presets to rmw policies', () => {
    const p = (preset: 'sensor_data' | 'default' | 'reliable' | 'best_effort') => qosPolicies({ preset, depth: 3 });
    // history KEEP_LAST 1; reliability RELIABLE 1, BEST_EFFORT 2; durability TRANSIENT_LOCAL 1, VOLATILE 2
    assert.deepEqual(p('sensor_data'), { history: 1, depth: 3, reliability: 2, durability: 2 });
    assert.deepEqual(p('best_effort'), p('sensor_data'));
    assert.deepEqual(p('default'), { history: 1, depth: 3, reliability: 1, durability: 2 });
    assert.deepEqual(p('reliable'), p('default'));
    assert.deepEqual(LABEL_INFO_QOS, { history: 1, depth: 1, reliability: 1, durability: 1 });
    assert.equal(DIAGNOSTICS_QOS.reliability, 1);
  });

  it('explains QoS mismatches with the fix', () => {
    const out = { kind: 'output' as const, topic: '/attendseg/overlay', qos: { preset: 'sensor_data' as const, depth: 5 }, matched: () => 0 };
    assert.equal(mismatchWarning(out, 1, 1), null);
    assert.match(mismatchWarning(out, 2, 1)!, /^1 of 2 subscriber\(s\) on \/attendseg\/overlay do not match its qos 'sensor_data'.*Reliability Policy: Best Effort/);
    const input = { kind: 'input' as const, topic: '/camera/image_raw', qos: { preset: 'reliable' as const, depth: 5 }, matched: () => 0 };
    assert.match(mismatchWarning(input, 1, 0)!, /publisher\(s\) on \/camera\/image_raw .*set qos to 'sensor_data' or 'best_effort'/);
  });

  it('registers the rosout publisher once, and publishes parameter events on /parameter_events', () => {
    // rcl_node_init registers it itself up to Humble; a second registration logs "Publisher
    // already registered for provided node name" at every start
    assert.equal(nodeConstruction('humble').enableRosout, false);
    assert.equal(nodeConstruction('Humble').enableRosout, false);
    assert.equal(nodeConstruction('jazzy').enableRosout, true);
    assert.equal(nodeConstruction('rolling').enableRosout, true);
    assert.deepEqual(nodeConstruction('humble').args, ['--ros-args', '-r', 'parameter_events:=/parameter_events']);
  });
});
