// Reads a rosbag2 sqlite3 storage file of any schema version (1..4): topics from the columns
// that exist, messages in timestamp order through the timestamp index, one row at a time.
import Database from 'better-sqlite3';

import type { BagMessage, BagReader, TopicStats } from './types';

export class SqliteStorageReader implements BagReader {
  readonly storage = 'sqlite3' as const;
  readonly problems: string[] = [];
  private readonly stats: TopicStats[];

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.stats = this.readTopics();
  }

  get files(): string[] {
    return [this.file];
  }

  static async open(file: string): Promise<SqliteStorageReader> {
    let db: Database.Database;
    try {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new Error(`cannot open ${file}: ${(e as Error).message}`);
    }
    try {
      return new SqliteStorageReader(file, db);
    } catch (e) {
      db.close();
      throw new Error(`${file} is not a readable rosbag2 database: ${(e as Error).message}`);
    }
  }

  private columns(table: string): Set<string> {
    return new Set((this.db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
  }

  private readTopics(): TopicStats[] {
    const cols = this.columns('topics');
    if (cols.size === 0) throw new Error("it has no 'topics' table");
    if (this.columns('messages').size === 0) throw new Error("it has no 'messages' table");
    const qos = cols.has('offered_qos_profiles') ? 'offered_qos_profiles' : "''";
    const hash = cols.has('type_description_hash') ? 'type_description_hash' : "''";
    const rows = this.db
      .prepare(
        `SELECT t.name, t.type, t.serialization_format AS format, ${qos} AS qos, ${hash} AS hash,
           (SELECT COUNT(*) FROM messages m WHERE m.topic_id = t.id) AS count
         FROM topics t ORDER BY t.id`,
      )
      .all() as { name: string; type: string; format: string; qos: string; hash: string; count: number }[];
    const definitions = new Map<string, { encoding: string; text: string }>();
    if (this.columns('message_definitions').size > 0) {
      for (const d of this.db.prepare('SELECT topic_type, encoding, encoded_message_definition FROM message_definitions').all() as {
        topic_type: string;
        encoding: string;
        encoded_message_definition: string;
      }[]) {
        definitions.set(d.topic_type, { encoding: d.encoding, text: d.encoded_message_definition });
      }
    }
    return rows.map((r) => ({
      name: r.name,
      type: r.type,
      serializationFormat: r.format,
      offeredQosProfiles: r.qos,
      typeDescriptionHash: r.hash,
      definition: definitions.get(r.type),
      messageCount: r.count,
    }));
  }

  topics(): TopicStats[] {
    return this.stats.map((t) => ({ ...t }));
  }

  async *messages(options: { topics?: string[] } = {}): AsyncGenerator<BagMessage, void, void> {
    const filter = options.topics ? `WHERE t.name IN (${options.topics.map(() => '?').join(',')})` : '';
    const stmt = this.db
      .prepare(
        `SELECT m.timestamp AS time, t.name AS topic, m.data AS data FROM messages m JOIN topics t ON m.topic_id = t.id
         ${filter} ORDER BY m.timestamp, m.id`,
      )
      .safeIntegers(true);
    const rows = stmt.iterate(...(options.topics ?? [])) as IterableIterator<{ time: bigint; topic: string; data: Buffer }>;
    let n = 0;
    try {
      for (;;) {
        let next: IteratorResult<{ time: bigint; topic: string; data: Buffer }>;
        try {
          next = rows.next();
        } catch (e) {
          this.problems.push(`${this.file}: reading stopped after ${n} messages: ${(e as Error).message}`);
          return;
        }
        if (next.done) return;
        n++;
        const { time, topic, data } = next.value;
        // SQLite's columns take any type: a timestamp written as text or a real is not a time.
        if (typeof time !== 'bigint') {
          this.problems.push(`${this.file}: message ${n} on ${topic} skipped: its timestamp ${JSON.stringify(String(time))} is ${typeof time === 'number' ? 'not an integer' : 'not an integer of nanoseconds'}`);
          continue;
        }
        yield { topic, logTime: time, publishTime: time, data };
      }
    } finally {
      rows.return?.(); // a consumer that stops early must not leave the statement busy
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
