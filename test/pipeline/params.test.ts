// Parameters at start: every declared parameter validated with a reason, defaults from the model,
// palette files, QoS handed to the transport.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { checkParam, PARAMS, vetParameters } from '../../src/pipeline/params';
import { parsePalette } from '../../src/pipeline/palette';
import { rawImage, readImage, startNode } from '../helpers/pipeline-harness';

describe('parameters', () => {
  it('every parameter has a description, a valid default and, for numbers, a range', () => {
    for (const p of PARAMS) {
      assert.ok(p.description.length > 10, p.name);
      assert.equal(checkParam({ name: p.name, type: p.type, value: p.default }), null, p.name);
      if (p.type === 'integer' || p.type === 'double') assert.ok(p.range, `${p.name} has no range`);
    }
    assert.deepEqual(
      PARAMS.filter((p) => p.dynamic).map((p) => p.name),
      ['overlay_alpha', 'publish_label', 'publish_overlay', 'publish_colorized', 'publish_confidence'],
    );
  });

  it('refuses bad start-up values with the reason', () => {
    const cases: [Record<string, string | number | boolean>, RegExp][] = [
      [{ qos: 'fast' }, /^qos must be one of sensor_data, default, reliable, best_effort; got 'fast'$/],
      [{ threads: -1 }, /^threads must be within 0\.\.256, got -1$/],
      [{ qos_depth: 0 }, /^qos_depth must be within 1\.\.1000, got 0$/],
      [{ network_width: 9000 }, /^network_width must be within 0\.\.8192, got 9000$/],
      [{ label_resolution: 'full' }, /^label_resolution must be one of input, network; got 'full'$/],
      [{ input_transport: 'theora' }, /^input_transport must be one of raw, compressed; got 'theora'$/],
      [{ overlay_alpha: -0.1 }, /^overlay_alpha must be within 0\.\.1, got -0\.1$/],
      [{ publish_label: 'yes' }, /^publish_label must be of type bool, got string 'yes'$/],
    ];
    for (const [overrides, reason] of cases) assert.throws(() => startNode(overrides), { message: reason });
    // YAML `overlay_alpha: 1` is an integer: refused with the fix, as rclcpp would refuse it
    assert.equal(
      vetParameters([{ name: 'overlay_alpha', type: 'integer', value: 1 }], true).reason,
      'overlay_alpha must be of type double, got integer 1 (write 1.0)',
    );
  });

  it('names the model file it cannot load', () => {
    assert.throws(() => startNode({ model_path: '/nonexistent/model.onnx' }), /cannot read model file \/nonexistent\/model\.onnx/);
    const notOnnx = path.join(os.tmpdir(), `attendseg-not-a-model-${process.pid}.onnx`);
    fs.writeFileSync(notOnnx, 'hello');
    try {
      assert.throws(() => startNode({ model_path: notOnnx }), new RegExp(`model ${notOnnx}: `));
    } finally {
      fs.unlinkSync(notOnnx);
    }
  });

  it('takes the network size from the model unless set, and refuses one the network cannot run', async () => {
    const a = startNode();
    assert.deepEqual([a.node.pipeline.current.networkWidth, a.node.pipeline.current.networkHeight], [64, 48]);
    await a.node.close();
    const b = startNode({ network_width: 96, network_height: 80, label_resolution: 'network' });
    b.t.deliverImage(rawImage(1));
    await b.node.pipeline.idle();
    const label = readImage(b.t.published.label[0]);
    assert.deepEqual([label.width, label.height], [96, 80]);
    await b.node.close();
    assert.throws(() => startNode({ network_width: 8, network_height: 8 }), { message: /^network size 8x8: / });
  });

  it('hands the QoS settings to the transport and warns about overrides that name no parameter', async () => {
    const { t, node } = startNode({ qos: 'reliable', qos_depth: 2, overlay_alpah: 0.3 });
    assert.deepEqual(t.qos.input, { preset: 'reliable', depth: 2 });
    assert.deepEqual(t.qos.outputs.overlay, { preset: 'reliable', depth: 2 });
    assert.ok(t.logs.some((l) => l.level === 'warn' && /'overlay_alpah' names no parameter/.test(l.message)));
    await node.close();
  });

  describe('palette files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attendseg-palette-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const colours = Array.from({ length: 11 }, (_, i) => [i * 20, 255 - i * 20, (i * 77) % 256]);

    it('colours the outputs from a YAML palette', async () => {
      const file = path.join(dir, 'p.yaml');
      fs.writeFileSync(file, `# one colour per class\npalette:\n${colours.map((c) => `  - [${c.join(', ')}]`).join('\n')}\n`);
      const { t, node } = startNode({ palette: file, publish_colorized: true });
      t.deliverImage(rawImage(1));
      await node.pipeline.idle();
      const label = readImage(t.published.label[0]).data;
      const colorized = readImage(t.published.colorized[0]).data;
      for (let i = 0; i < label.length; i += 97)
        assert.deepEqual(Array.from(colorized.subarray(i * 3, i * 3 + 3)), colours[label[i]]);
      await node.close();
    });

    it('refuses palettes that do not fit the model, naming the file and entry', () => {
      assert.throws(() => parsePalette('[[1,2,3]]', 'short.yaml', 11), /palette short\.yaml: 1 colours, the model has 11 classes/);
      const bad = JSON.stringify([...colours.slice(0, 10), [1, 2, 300]]);
      assert.throws(() => parsePalette(bad, 'bad.json', 11), /palette bad\.json: entry 10 must be \[r, g, b\] with integers 0\.\.255, got \[1,2,300\]/);
      assert.throws(() => parsePalette('a: [', 'broken.yaml', 11), /palette broken\.yaml: not valid YAML or JSON/);
      assert.throws(() => startNode({ palette: path.join(dir, 'missing.yaml') }), /palette .*missing\.yaml: cannot read/);
    });
  });
});
