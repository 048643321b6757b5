// The confidence map of the shipped model, whose last op is the final Resize (so the confidence
// is computed in the fused Resize + argmax): within 1 of the float softmax of the network's own
// output (runNetwork) upsampled as the label, the same bytes on every kernel table, and the labels
// unchanged by asking for it.
import { strict as assert } from 'assert';
import * as fs from 'fs';

import { defaultModelPath } from '../../src/engine/default-model';
import { Engine, kernelTables } from '../../src/engine/engine';
import { importOnnx } from '../../src/engine/onnx';
import { smoothFrame } from '../helpers/frames';
import { argmax, floatConfidence, inputLut, labelMap, preprocess } from '../helpers/image-reference';

describe('engine confidence map', function () {
  this.timeout(120000);
  const bytes = fs.readFileSync(defaultModelPath());
  const { spec } = importOnnx(bytes);
  const isas = kernelTables()
    .filter((t) => t.usable)
    .map((t) => t.name);
  const frame = smoothFrame({ encoding: 'bgr8', width: 100, height: 70, pad: 4, seed: 17 });
  const net = { networkWidth: 96, networkHeight: 64 };

  it('the shipped model ends in the Resize the confidence is fused into', () => {
    const last = spec.ops[spec.ops.length - 1];
    assert.equal(last.kind, 'Resize');
    assert.equal(last.output, spec.output);
  });

  it('is off by default and within 1 of the float softmax on every kernel table', () => {
    const qin = spec.tensors[spec.input].q;
    const lut = inputLut({ scale: qin.scale, zeroPoint: qin.zeroPoint, mean: spec.norm.mean, std: spec.norm.std });
    const input = preprocess(frame, net.networkWidth, net.networkHeight, lut);
    let first: Buffer | null = null;
    for (const isa of isas) {
      const engine = Engine.fromBytes(bytes, { isa, threads: 2 });
      const y = engine.runNetwork(input, net.networkHeight, net.networkWidth);
      const pixels = y.width * y.height;
      const scale = spec.tensors[spec.output].q.scale;
      for (const labelResolution of ['input', 'network'] as const) {
        const w = labelResolution === 'input' ? frame.width : y.width;
        const h = labelResolution === 'input' ? frame.height : y.height;
        const want = labelMap(floatConfidence(y.data, pixels, y.channels, scale), y.width, y.height, w, h);
        const wantLabel = labelMap(argmax(y.data, pixels, y.channels), y.width, y.height, w, h);
        const off = engine.runSync(frame, { ...net, labelResolution });
        assert.equal(off.confidence, null, 'confidence when not asked for');
        const on = engine.runSync(frame, { ...net, labelResolution, confidence: true });
        const conf = on.confidence!;
        assert.ok(conf, `no confidence (${isa})`);
        assert.equal(conf.length, on.labelWidth * on.labelHeight);
        assert.deepEqual([on.labelWidth, on.labelHeight], [w, h]);
        assert.ok(on.label!.equals(off.label!), `labels changed by confidence (${isa}, ${labelResolution})`);
        assert.ok(on.label!.equals(Buffer.from(wantLabel)), `labels differ from the network's argmax (${isa})`);
        let spread = 0;
        for (let i = 0; i < want.length; ++i) {
          const d = Math.abs(conf[i] - want[i]);
          assert.ok(d <= 1, `${isa} ${labelResolution}: confidence ${conf[i]} at ${i}, float ${want[i]}`);
          spread = Math.max(spread, Math.abs(conf[i] - conf[0]));
        }
        assert.ok(spread > 10, 'a constant map would not test much');
        if (labelResolution === 'input') {
          if (first) assert.ok(conf.equals(first), `${isa} differs from ${isas[0]}`);
          else first = conf;
        }
      }
    }
  });
});
