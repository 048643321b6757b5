// Writes a rosbag2 MCAP storage file the way rosbag2_storage_mcap does: profile "ros2", one
// "ros2msg" schema per type, channels carrying offered_qos_profiles and topic_type_hash, chunked
// and indexed, and a "rosbag2" metadata record with the bag's metadata at the end. Chunks are
// uncompressed unless zstd or lz4 is asked for; the compression is recorded in each chunk, as
// rosbag2 does, and not in metadata.yaml, whose compression fields describe rosbag2's own file or
// message compression.
import * as fs from 'fs';

import { McapWriter } from '@mcap/core';
import type { IWritable } from '@mcap/core';
import YAML from 'yaml';

import { chunkCompressor, ChunkCompression } from './chunk-compression';
import { metadataNode, summarize, BagMetadata } from './metadata';
import { TopicLedger } from './topic-ledger';
import type { NewTopic } from './types';

/** rosbag2's default chunk size (mcap::McapWriterOptions::chunkSize). */
const CHUNK_SIZE = 768 * 1024;

/** Appends to a file descriptor; McapWriter only ever appends. */
class FileSink implements IWritable {
  private offset = 0n;
  constructor(private readonly fd: number) {}
  async write(buffer: Uint8Array): Promise<void> {
    let done = 0;
    while (done < buffer.length) done += fs.writeSync(this.fd, buffer, done, buffer.length - done);
    this.offset += BigInt(buffer.length);
  }
  position(): bigint {
    return this.offset;
  }
}

export class McapStorageWriter {
  private readonly writer: McapWriter;
  private readonly ledger = new TopicLedger();
  private readonly schemaIds = new Map<string, number>();
  private readonly channels = new Map<string, { id: number; sequence: number }>();
  private started = false;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly rosDistro: string,
    compressChunk: Awaited<ReturnType<typeof chunkCompressor>>,
  ) {
    this.writer = new McapWriter({ writable: new FileSink(fd), chunkSize: CHUNK_SIZE, compressChunk });
  }

  /** Creates the file; fails if it exists, like rosbag2. */
  static async create(file: string, rosDistro: string, compression: ChunkCompression = 'none'): Promise<McapStorageWriter> {
    const compressChunk = await chunkCompressor(compression);
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (e) {
      throw new Error(`cannot create ${file}: ${(e as Error).message}`);
    }
    const w = new McapStorageWriter(file, fd, rosDistro, compressChunk);
    await w.writer.start({ profile: 'ros2', library: 'attendseg-ros' });
    w.started = true;
    return w;
  }

  async addTopic(t: NewTopic): Promise<void> {
    const stats = this.ledger.add(t);
    let schemaId = this.schemaIds.get(t.type);
    if (schemaId === undefined) {
      schemaId = await this.writer.registerSchema({
        name: t.type,
        encoding: stats.definition.encoding,
        data: new TextEncoder().encode(stats.definition.text),
      });
      this.schemaIds.set(t.type, schemaId);
    }
    const id = await this.writer.registerChannel({
      topic: t.name,
      messageEncoding: 'cdr',
      schemaId,
      metadata: new Map([
        ['offered_qos_profiles', stats.offeredQosProfiles],
        ['topic_type_hash', stats.typeDescriptionHash],
      ]),
    });
    this.channels.set(t.name, { id, sequence: 0 });
  }

  async write(topic: string, logTime: bigint, data: Uint8Array, publishTime = logTime): Promise<void> {
    this.ledger.count(topic, logTime);
    const ch = this.channels.get(topic)!;
    ch.sequence = (ch.sequence + 1) >>> 0;
    await this.writer.addMessage({ channelId: ch.id, sequence: ch.sequence, logTime, publishTime, data });
  }

  /** Writes the metadata record and the summary, closes the file; returns the bag's metadata. */
  async close(relativePath: string): Promise<BagMetadata> {
    const meta = summarize('mcap', relativePath, this.ledger.topics(), this.ledger.first, this.ledger.last, this.rosDistro);
    try {
      if (this.started) {
        await this.writer.addMetadata({
          name: 'rosbag2',
          metadata: new Map([['serialized_metadata', YAML.stringify(metadataNode(meta), { aliasDuplicateObjects: false })]]),
        });
        await this.writer.end();
      }
    } finally {
      fs.closeSync(this.fd);
    }
    return meta;
  }
}
