// Creates a rosbag2 bag directory: <dir>/<name>_0.mcap or .db3, then metadata.yaml when closed.
import * as fs from 'fs';
import * as path from 'path';

import { environment } from '../env';
import { CHUNK_COMPRESSIONS } from './chunk-compression';
import { ensureDir } from './ensure-dir';
import type { ChunkCompression } from './chunk-compression';
import { writeMetadataFile } from './metadata';
import { McapStorageWriter } from './mcap-writer';
import { SqliteStorageWriter } from './sqlite-writer';
import type { BagWriter, NewTopic, StorageId } from './types';

export interface CreateBagOptions {
  format?: StorageId;
  /** Stored in the metadata like rosbag2 does with $ROS_DISTRO. */
  rosDistro?: string;
  /** MCAP chunk compression (default none); sqlite3 takes only 'none'. */
  compression?: ChunkCompression;
}

/** What a new bag is when nothing else is asked (the CLI's --format/--storage and --compression too). */
export const BAG_DEFAULTS = { format: 'mcap', compression: 'none' } as const satisfies Required<Pick<CreateBagOptions, 'format' | 'compression'>>;

export async function createBag(dir: string, options: CreateBagOptions = {}): Promise<BagWriter> {
  const format = options.format ?? BAG_DEFAULTS.format;
  if (format !== 'mcap' && format !== 'sqlite3') throw new Error(`bag format '${format}' is not mcap or sqlite3`);
  const compression = options.compression ?? BAG_DEFAULTS.compression;
  if (!CHUNK_COMPRESSIONS.includes(compression)) {
    throw new Error(`compression '${compression}' is not one of ${CHUNK_COMPRESSIONS.join(', ')}`);
  }
  if (format === 'sqlite3' && compression !== 'none') {
    throw new Error(
      `compression '${compression}' applies to MCAP chunks; a sqlite3 bag has no chunks and is written uncompressed (write MCAP, or leave compression at none)`,
    );
  }
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new Error(`output bag ${dir} already exists`);
  }
  const distro = options.rosDistro ?? environment().rosDistro ?? '';
  const existed = fs.existsSync(dir);
  ensureDir(dir, 'output bag');
  const name = `${path.basename(path.resolve(dir))}_0.${format === 'mcap' ? 'mcap' : 'db3'}`;
  const file = path.join(dir, name);
  const storage =
    format === 'mcap' ? await McapStorageWriter.create(file, distro, compression) : await SqliteStorageWriter.create(file, distro);
  let closed = false;
  return {
    directory: dir,
    addTopic: (t: NewTopic) => storage.addTopic(t),
    write: (topic: string, logTime: bigint, data: Uint8Array, publishTime?: bigint) =>
      storage.write(topic, logTime, data, publishTime),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      writeMetadataFile(dir, await storage.close(name));
    },
    async discard(): Promise<void> {
      if (!closed) {
        closed = true;
        await storage.close(name).catch(() => undefined);
      }
      if (existed) for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
