// Opens a bag for reading: a rosbag2 directory (metadata.yaml plus its storage files) or a bare
// .mcap / .db3 file. Split bags are read file after file.
import * as fs from 'fs';
import * as path from 'path';

import { McapStorageReader } from './mcap-reader';
import { readMetadataFile } from './metadata';
import { SqliteStorageReader } from './sqlite-reader';
import type { BagMessage, BagReader, StorageId, TopicStats } from './types';

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const MCAP_MAGIC = Buffer.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);

function sniff(file: string): StorageId | undefined {
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.subarray(0, 8).equals(MCAP_MAGIC)) return 'mcap';
  if (head.equals(SQLITE_MAGIC)) return 'sqlite3';
  return undefined;
}

async function openFile(file: string, expected?: StorageId): Promise<BagReader> {
  if (!fs.existsSync(file)) throw new Error(`bag file ${file} does not exist`);
  const kind = sniff(file);
  if (!kind) throw new Error(`${file} is neither an MCAP nor an SQLite file${expected ? ` (metadata.yaml says ${expected})` : ''}`);
  if (expected && kind !== expected) throw new Error(`${file} is ${kind} but metadata.yaml says ${expected}`);
  return kind === 'mcap' ? McapStorageReader.open(file) : SqliteStorageReader.open(file);
}

/** Several storage files of one bag, read one after another (rosbag2 splits by time). */
class SplitBagReader implements BagReader {
  constructor(private readonly parts: BagReader[]) {}
  get files(): string[] {
    return this.parts.flatMap((p) => p.files);
  }
  get storage(): StorageId {
    return this.parts[0].storage;
  }
  get problems(): string[] {
    return this.parts.flatMap((p) => p.problems);
  }
  topics(): TopicStats[] {
    const byName = new Map<string, TopicStats>();
    for (const t of this.parts.flatMap((p) => p.topics())) {
      const seen = byName.get(t.name);
      if (seen) seen.messageCount += t.messageCount;
      else byName.set(t.name, { ...t });
    }
    return [...byName.values()];
  }
  async *messages(options: { topics?: string[] } = {}): AsyncGenerator<BagMessage, void, void> {
    for (const p of this.parts) yield* p.messages(options);
  }
  async close(): Promise<void> {
    for (const p of this.parts) await p.close();
  }
}

async function openAll(files: string[], expected?: StorageId): Promise<BagReader> {
  const parts: BagReader[] = [];
  try {
    for (const f of files) parts.push(await openFile(f, expected));
  } catch (e) {
    for (const p of parts) await p.close();
    throw e;
  }
  return parts.length === 1 ? parts[0] : new SplitBagReader(parts);
}

export async function openBag(bagPath: string): Promise<BagReader> {
  if (!fs.existsSync(bagPath)) throw new Error(`bag ${bagPath} does not exist`);
  if (!fs.statSync(bagPath).isDirectory()) return openFile(bagPath);
  const meta = readMetadataFile(bagPath);
  if (meta) {
    if (meta.relativeFilePaths.length === 0) throw new Error(`${bagPath}/metadata.yaml lists no storage files`);
    const mode = meta.compressionMode.toUpperCase();
    if (mode !== '' && mode !== 'NONE') {
      throw new Error(
        `${bagPath} was recorded with rosbag2's own ${meta.compressionFormat || 'unnamed'} compression in ${mode} mode (ros2 bag record ` +
          `--compression-mode), which is not read here; rewrite it without that compression with ros2 bag convert (MCAP chunk compression, ` +
          `as ros2 bag record -s mcap writes by default, is read)`,
      );
    }
    // Bags recorded before Humble list paths relative to the bag's parent ("bag/bag_0.db3").
    const files = meta.relativeFilePaths.map((p) => {
      const inside = path.join(bagPath, path.basename(p));
      return fs.existsSync(inside) ? inside : path.join(bagPath, p);
    });
    return openAll(files, meta.storageIdentifier);
  }
  const files = fs
    .readdirSync(bagPath)
    .filter((f) => f.endsWith('.mcap') || f.endsWith('.db3'))
    .sort()
    .map((f) => path.join(bagPath, f));
  if (files.length === 0) throw new Error(`${bagPath} is not a bag: no metadata.yaml and no .mcap or .db3 file in it`);
  return openAll(files);
}
