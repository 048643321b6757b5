// Writes a rosbag2 sqlite3 storage file with the schema rosbag2_storage_sqlite3 creates (schema
// version 4: schema, metadata, topics with offered_qos_profiles and type_description_hash,
// message_definitions, messages with its timestamp index). Older readers select only the columns
// they know, so Humble reads it as well.
import * as fs from 'fs';

import Database from 'better-sqlite3';
import YAML from 'yaml';

import { metadataNode, summarize, BagMetadata, METADATA_VERSION } from './metadata';
import { TopicLedger } from './topic-ledger';
import type { NewTopic } from './types';

const SCHEMA_VERSION = 4;
/** Messages per transaction: bounded journal memory, few commits. */
const BATCH = 256;

const CREATE = [
  'CREATE TABLE schema(schema_version INTEGER PRIMARY KEY,ros_distro TEXT NOT NULL);',
  'CREATE TABLE metadata(id INTEGER PRIMARY KEY,metadata_version INTEGER NOT NULL,metadata TEXT NOT NULL);',
  'CREATE TABLE topics(id INTEGER PRIMARY KEY,name TEXT NOT NULL,type TEXT NOT NULL,' +
    'serialization_format TEXT NOT NULL,offered_qos_profiles TEXT NOT NULL,type_description_hash TEXT NOT NULL);',
  'CREATE TABLE message_definitions(id INTEGER PRIMARY KEY,topic_type TEXT NOT NULL,encoding TEXT NOT NULL,' +
    'encoded_message_definition TEXT NOT NULL,type_description_hash TEXT NOT NULL);',
  'CREATE TABLE messages(id INTEGER PRIMARY KEY,topic_id INTEGER NOT NULL,timestamp INTEGER NOT NULL, data BLOB NOT NULL);',
  'CREATE INDEX timestamp_idx ON messages (timestamp ASC);',
];

export class SqliteStorageWriter {
  private readonly ledger = new TopicLedger();
  private readonly topicIds = new Map<string, number | bigint>();
  private readonly definedTypes = new Set<string>();
  private readonly insertMessage: Database.Statement;
  private pending = 0;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
    private readonly rosDistro: string,
  ) {
    this.insertMessage = db.prepare('INSERT INTO messages (timestamp, topic_id, data) VALUES (?, ?, ?)');
  }

  /** Creates the database; fails if the file exists, like rosbag2. */
  static async create(file: string, rosDistro: string): Promise<SqliteStorageWriter> {
    if (fs.existsSync(file)) throw new Error(`cannot create ${file}: the file already exists`);
    const db = new Database(file);
    try {
      // rosbag2's write-optimized default: no journal file on disk, no fsync per commit.
      db.pragma('journal_mode = MEMORY');
      db.pragma('synchronous = OFF');
      for (const sql of CREATE) db.exec(sql);
      db.prepare('INSERT INTO schema (schema_version, ros_distro) VALUES (?, ?)').run(SCHEMA_VERSION, rosDistro);
    } catch (e) {
      db.close();
      throw new Error(`cannot create ${file}: ${(e as Error).message}`);
    }
    return new SqliteStorageWriter(file, db, rosDistro);
  }

  async addTopic(t: NewTopic): Promise<void> {
    const stats = this.ledger.add(t);
    const r = this.db
      .prepare(
        'INSERT INTO topics (name, type, serialization_format, offered_qos_profiles, type_description_hash) VALUES (?, ?, ?, ?, ?)',
      )
      .run(stats.name, stats.type, 'cdr', stats.offeredQosProfiles, stats.typeDescriptionHash);
    this.topicIds.set(t.name, r.lastInsertRowid);
    if (!this.definedTypes.has(t.type)) {
      this.db
        .prepare(
          'INSERT INTO message_definitions (topic_type, encoding, encoded_message_definition, type_description_hash) VALUES (?, ?, ?, ?)',
        )
        .run(t.type, stats.definition.encoding, stats.definition.text, stats.typeDescriptionHash);
      this.definedTypes.add(t.type);
    }
  }

  async write(topic: string, logTime: bigint, data: Uint8Array): Promise<void> {
    this.ledger.count(topic, logTime);
    if (this.pending === 0) this.db.exec('BEGIN TRANSACTION');
    this.insertMessage.run(logTime, this.topicIds.get(topic)!, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (++this.pending === BATCH) this.commit();
  }

  private commit(): void {
    if (this.pending > 0) this.db.exec('COMMIT');
    this.pending = 0;
  }

  async close(relativePath: string): Promise<BagMetadata> {
    try {
      this.commit();
      const meta = summarize('sqlite3', relativePath, this.ledger.topics(), this.ledger.first, this.ledger.last, this.rosDistro);
      this.db
        .prepare('INSERT INTO metadata (metadata_version, metadata) VALUES (?, ?)')
        .run(METADATA_VERSION, YAML.stringify(metadataNode(meta), { aliasDuplicateObjects: false }));
      return meta;
    } finally {
      this.db.close();
    }
  }
}
