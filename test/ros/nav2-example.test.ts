// config/nav2_semantic_layer.yaml, checked without Nav2: it names the node's real output topics and
// only classes of the shipped model, with the parameters the layer's README documents.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { parse } from 'yaml';

import { defaultModelPath } from '../../src/engine/default-model';
import { Engine } from '../../src/engine/engine';

const root = path.resolve(__dirname, '..', '..');

describe('config/nav2_semantic_layer.yaml', () => {
  const doc = parse(fs.readFileSync(path.join(root, 'config', 'nav2_semantic_layer.yaml'), 'utf8'));
  const layer = doc.local_costmap.local_costmap.ros__parameters.semantic_segmentation_layer;
  const camera = layer[layer.observation_sources];

  it("wires the node's outputs into the layer", () => {
    assert.equal(layer.plugin, 'semantic_segmentation_layer::SemanticSegmentationLayer');
    assert.equal(camera.segmentation_topic, '/attendseg/label');
    assert.equal(camera.labels_topic, '/attendseg/label_info');
    assert.ok(camera.pointcloud_topic);
    const documented = ['segmentation_topic', 'confidence_topic', 'labels_topic', 'pointcloud_topic', 'observation_persistence',
      'expected_update_rate', 'visualize_tile_map', 'use_cost_selection', 'max_obstacle_distance', 'min_obstacle_distance',
      'tile_map_decay_time', 'class_types'];
    for (const k of Object.keys(camera)) assert.ok(documented.includes(k) || camera.class_types.includes(k), `unknown key ${k}`);
  });

  it('names only classes of the shipped model, each in one class type with every cost field', () => {
    const names = Engine.fromFile(defaultModelPath()).metadata.classNames;
    const seen = new Set<string>();
    for (const t of camera.class_types as string[]) {
      const c = camera[t];
      assert.deepEqual(Object.keys(c).sort(), ['base_cost', 'classes', 'dominant_priority', 'mark_confidence', 'max_cost', 'samples_to_max_cost'], t);
      for (const n of c.classes as string[]) {
        assert.ok(names.includes(n), `${t}: ${n} is not a class of the model (${names.join(', ')})`);
        assert.ok(!seen.has(n), `${n} is in two class types`);
        seen.add(n);
      }
      assert.ok(c.base_cost >= 0 && c.max_cost <= 254 && c.base_cost <= c.max_cost, t);
    }
  });
});
