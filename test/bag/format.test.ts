// What rosbag2 itself expects inside our bags: metadata.yaml fields, the MCAP profile, schemas,
// channel metadata and "rosbag2" record, and the sqlite3 tables, columns and schema version.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

import { McapIndexedReader } from '@mcap/core';
import Database from 'better-sqlite3';
import YAML from 'yaml';

import { parseMetadata, parseQosProfiles, serializeQosProfiles, DEFAULT_QOS } from '../../src/bag';
import { messageDefinition } from '../../src/msg';
import { PERIOD, T0, writeImageBag } from '../helpers/bags';
import { tmpDir } from '../helpers/tmp';

function storageFile(dir: string): string {
  return path.join(dir, fs.readdirSync(dir).find((f) => f !== 'metadata.yaml')!);
}

describe('bag: metadata.yaml', () => {
  const tmp = tmpDir('bag-meta');
  after(() => tmp.remove());

  for (const format of ['mcap', 'sqlite3'] as const) {
    it(`${format}: every field rosbag2 reads at version 8, with exact nanoseconds`, async () => {
      const dir = path.join(tmp.path, `m_${format}`);
      await writeImageBag(dir, format, 4);
      const doc = YAML.parse(fs.readFileSync(path.join(dir, 'metadata.yaml'), 'utf8'), { intAsBigInt: true });
      const info = doc.rosbag2_bagfile_information;
      const file = `m_${format}_0.${format === 'mcap' ? 'mcap' : 'db3'}`;
      assert.deepEqual(Object.keys(info), [
        'version', 'storage_identifier', 'duration', 'starting_time', 'message_count', 'topics_with_message_count',
        'compression_format', 'compression_mode', 'relative_file_paths', 'files', 'custom_data', 'ros_distro',
      ]);
      assert.equal(info.version, 8n);
      assert.equal(info.storage_identifier, format);
      assert.deepEqual(info.duration, { nanoseconds: 3n * PERIOD });
      assert.deepEqual(info.starting_time, { nanoseconds_since_epoch: T0 });
      assert.equal(info.message_count, 8n);
      assert.deepEqual(info.relative_file_paths, [file]);
      assert.deepEqual(info.files, [
        { path: file, starting_time: { nanoseconds_since_epoch: T0 }, duration: { nanoseconds: 3n * PERIOD }, message_count: 8n },
      ]);
      assert.equal(info.compression_format, '');
      assert.equal(info.ros_distro, 'jazzy');
      const t = info.topics_with_message_count[0];
      assert.deepEqual(Object.keys(t.topic_metadata), ['name', 'type', 'serialization_format', 'offered_qos_profiles', 'type_description_hash']);
      assert.equal(t.topic_metadata.name, '/camera/image_raw');
      assert.equal(t.topic_metadata.type, 'sensor_msgs/msg/Image');
      assert.equal(t.message_count, 4n);
      // Version <= 8 stores the QoS list as YAML text with rmw enum integers.
      assert.equal(typeof t.topic_metadata.offered_qos_profiles, 'string');
      const q = YAML.parse(t.topic_metadata.offered_qos_profiles)[0];
      assert.deepEqual([q.history, q.depth, q.reliability, q.durability, q.liveliness], [1, 10, 1, 2, 1]);
      assert.deepEqual(q.deadline, { sec: 9223372036, nsec: 854775807 });
    });
  }

  it('reads a Jazzy (version 9) document with structured QoS and a Foxy-era one (version 4)', () => {
    const v9 = `rosbag2_bagfile_information:
  version: 9
  storage_identifier: mcap
  duration:
    nanoseconds: 5
  starting_time:
    nanoseconds_since_epoch: 1700000000000000001
  message_count: 1
  topics_with_message_count:
    - topic_metadata:
        name: /a
        type: std_msgs/msg/String
        serialization_format: cdr
        offered_qos_profiles:
          - history: keep_last
            depth: 7
            reliability: best_effort
            durability: volatile
            deadline: {sec: 9223372036, nsec: 854775807}
            lifespan: {sec: 9223372036, nsec: 854775807}
            liveliness: automatic
            liveliness_lease_duration: {sec: 9223372036, nsec: 854775807}
            avoid_ros_namespace_conventions: false
        type_description_hash: RIHS01_00
      message_count: 1
  compression_format: ""
  compression_mode: ""
  relative_file_paths:
    - a_0.mcap
  files: []
  custom_data: ~
  ros_distro: jazzy
`;
    const m = parseMetadata(v9, 'v9.yaml');
    assert.equal(m.startingTime, 1700000000000000001n);
    assert.equal(m.topics[0].typeDescriptionHash, 'RIHS01_00');
    const q = parseQosProfiles(m.topics[0].offeredQosProfiles)[0];
    assert.deepEqual([q.history, q.depth, q.reliability], ['keep_last', 7, 'best_effort']);
    const v4 = `rosbag2_bagfile_information:
  version: 4
  storage_identifier: sqlite3
  relative_file_paths: [b/b_0.db3]
  duration: {nanoseconds: 0}
  starting_time: {nanoseconds_since_epoch: 0}
  message_count: 0
  topics_with_message_count: []
`;
    assert.deepEqual(parseMetadata(v4, 'v4.yaml').relativeFilePaths, ['b/b_0.db3']);
  });

  it('names the file and the problem for broken documents', () => {
    assert.throws(() => parseMetadata('a: [', 'x/metadata.yaml'), /x\/metadata.yaml: not valid YAML/);
    assert.throws(() => parseMetadata('foo: 1', 'x/metadata.yaml'), /no 'rosbag2_bagfile_information'/);
    assert.throws(
      () => parseMetadata('rosbag2_bagfile_information: {version: 8, storage_identifier: bag_v2, relative_file_paths: []}', 'x'),
      /storage_identifier 'bag_v2' is not supported/,
    );
    assert.throws(() => parseQosProfiles('- {history: 9}'), /history '9' is not one of/);
  });

  it('QoS text round-trips between the integer and the named form', () => {
    assert.deepEqual(parseQosProfiles(serializeQosProfiles([DEFAULT_QOS])), [DEFAULT_QOS]);
    assert.equal(serializeQosProfiles([]), '');
  });
});

describe('bag: storage internals', () => {
  const tmp = tmpDir('bag-int');
  after(() => tmp.remove());

  it('mcap: ros2 profile, ros2msg schemas, cdr channels with QoS, indexed, rosbag2 metadata record', async () => {
    const dir = path.join(tmp.path, 'mc');
    await writeImageBag(dir, 'mcap', 3);
    const fh = await fs.promises.open(storageFile(dir), 'r');
    try {
      const size = BigInt((await fh.stat()).size);
      const reader = await McapIndexedReader.Initialize({
        readable: {
          size: async () => size,
          read: async (offset: bigint, n: bigint) => {
            const b = Buffer.alloc(Number(n));
            await fh.read(b, 0, Number(n), Number(offset));
            return b;
          },
        },
      });
      assert.equal(reader.header.profile, 'ros2');
      const schemas = [...reader.schemasById.values()];
      assert.equal(schemas.length, 1, 'one schema per type');
      assert.equal(schemas[0].name, 'sensor_msgs/msg/Image');
      assert.equal(schemas[0].encoding, 'ros2msg');
      assert.equal(new TextDecoder().decode(schemas[0].data), messageDefinition('sensor_msgs/msg/Image'));
      const channels = [...reader.channelsById.values()];
      assert.deepEqual(channels.map((c) => c.topic), ['/camera/image_raw', '/camera/label_gt']);
      for (const c of channels) {
        assert.equal(c.messageEncoding, 'cdr');
        assert.equal(parseQosProfiles(c.metadata.get('offered_qos_profiles'))[0].durability, 'volatile');
        assert.equal(c.metadata.get('topic_type_hash'), '');
      }
      assert.equal(reader.statistics?.messageCount, 6n);
      assert.ok(reader.chunkIndexes.length > 0);
      const records = [];
      for await (const m of reader.readMetadata({ name: 'rosbag2' })) records.push(m);
      assert.equal(records.length, 1);
      const inner = YAML.parse(records[0].metadata.get('serialized_metadata')!, { intAsBigInt: true });
      assert.equal(inner.version, 8n);
      assert.equal(inner.message_count, 6n);
    } finally {
      await fh.close();
    }
  });

  it('sqlite3: schema version 4 tables and columns as rosbag2 creates them', async () => {
    const dir = path.join(tmp.path, 'sq');
    await writeImageBag(dir, 'sqlite3', 3);
    const db = new Database(storageFile(dir), { readonly: true });
    try {
      const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
      assert.deepEqual(cols('schema'), ['schema_version', 'ros_distro']);
      assert.deepEqual(cols('metadata'), ['id', 'metadata_version', 'metadata']);
      assert.deepEqual(cols('topics'), ['id', 'name', 'type', 'serialization_format', 'offered_qos_profiles', 'type_description_hash']);
      assert.deepEqual(cols('message_definitions'), ['id', 'topic_type', 'encoding', 'encoded_message_definition', 'type_description_hash']);
      assert.deepEqual(cols('messages'), ['id', 'topic_id', 'timestamp', 'data']);
      assert.deepEqual(db.prepare('SELECT schema_version, ros_distro FROM schema').get(), { schema_version: 4, ros_distro: 'jazzy' });
      assert.deepEqual(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'").all(),
        [{ name: 'timestamp_idx' }],
      );
      const defs = db.prepare('SELECT topic_type, encoding FROM message_definitions').all();
      assert.deepEqual(defs, [{ topic_type: 'sensor_msgs/msg/Image', encoding: 'ros2msg' }]);
      const meta = db.prepare('SELECT metadata_version, metadata FROM metadata').all() as { metadata_version: number; metadata: string }[];
      assert.equal(meta.length, 1);
      assert.equal(meta[0].metadata_version, 8);
      assert.equal(YAML.parse(meta[0].metadata).storage_identifier, 'sqlite3');
      // rosbag2's own metadata query.
      const rows = db
        .prepare(
          'SELECT name, type, serialization_format, COUNT(messages.id) AS n, MIN(messages.timestamp) AS t0 ' +
            'FROM messages JOIN topics on topics.id = messages.topic_id GROUP BY topics.name',
        )
        .safeIntegers(true)
        .all() as { n: bigint; t0: bigint }[];
      assert.deepEqual(rows.map((r) => [r.n, r.t0]), [[3n, T0], [3n, T0]]);
    } finally {
      db.close();
    }
  });
});
