// Reads a rosbag2 MCAP storage file without loading it: the summary section gives topics and
// counts, and messages come chunk by chunk in log-time order. A file without a usable summary (a
// recording cut short) is read front to back instead, and what could not be read is reported.
// Messages of an indexed file are views into their chunk's bytes, not copies.
// Chunks may be uncompressed, zstd (rosbag2_storage_mcap's default) or lz4.
import * as fs from 'fs';

import { McapIndexedReader, McapStreamReader } from '@mcap/core';
import type { DecompressHandlers, McapTypes } from '@mcap/core';

import { decompressHandlers, DECOMPRESSIBLE } from './chunk-compression';
import { chunkMessages, chunksInOrder } from './mcap-chunk-views';
import type { BagMessage, BagReader, TopicStats } from './types';

const MAGIC = Uint8Array.of(0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a); // "\x89MCAP0\r\n"
const STREAM_PIECE = 1 << 20;

type Channel = McapTypes.TypedMcapRecords['Channel'];
type Schema = McapTypes.TypedMcapRecords['Schema'];

class FileReadable {
  constructor(
    private readonly fh: fs.promises.FileHandle,
    private readonly bytes: bigint,
  ) {}
  async size(): Promise<bigint> {
    return this.bytes;
  }
  /** Into a buffer of its own: messages handed out are views into what was read. */
  async read(offset: bigint, size: bigint): Promise<Uint8Array> {
    const n = Number(size);
    const buf = Buffer.allocUnsafe(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, Number(offset));
    if (bytesRead < n) throw new Error(`read past the end of the file at offset ${offset}`);
    return buf;
  }
}

function topicStats(channels: Iterable<Channel>, schemas: Map<number, Schema>, counts: Map<number, number>): TopicStats[] {
  const out: TopicStats[] = [];
  for (const ch of channels) {
    const schema = schemas.get(ch.schemaId);
    out.push({
      name: ch.topic,
      type: schema?.name ?? '',
      serializationFormat: ch.messageEncoding,
      offeredQosProfiles: ch.metadata.get('offered_qos_profiles') ?? '',
      typeDescriptionHash: ch.metadata.get('topic_type_hash') ?? '',
      definition: schema ? { encoding: schema.encoding, text: new TextDecoder().decode(schema.data) } : undefined,
      messageCount: counts.get(ch.id) ?? 0,
    });
  }
  return out;
}

/** A chunk compression without a decompressor: the file cannot be read, not merely damaged. */
class UnsupportedCompression extends Error {
  constructor(file: string, compression: string) {
    super(
      `${file}: chunks are compressed with '${compression}', which cannot be read (supported: ${DECOMPRESSIBLE.join(', ')} or none); ` +
        'convert the bag with ros2 bag convert to one of those',
    );
  }
}

function unsupported(file: string, e: unknown): Error | undefined {
  const m = /Unsupported compression (\S+)/.exec((e as Error).message);
  return m ? new UnsupportedCompression(file, m[1]) : undefined;
}

export class McapStorageReader implements BagReader {
  readonly storage = 'mcap' as const;
  readonly problems: string[] = [];
  private stats: TopicStats[] = [];

  private constructor(
    readonly file: string,
    private readonly fh: fs.promises.FileHandle,
    private readonly size: number,
    private indexed: McapIndexedReader | undefined,
    /** Filled in before the first read with the codecs the file needs. */
    private readonly handlers: DecompressHandlers,
  ) {}

  get files(): string[] {
    return [this.file];
  }

  static async open(file: string): Promise<McapStorageReader> {
    const handlers: DecompressHandlers = Object.create(null);
    const fh = await fs.promises.open(file, 'r');
    try {
      const size = (await fh.stat()).size;
      const head = Buffer.alloc(MAGIC.length);
      await fh.read(head, 0, MAGIC.length, 0);
      if (size < MAGIC.length || !head.equals(MAGIC)) throw new Error(`${file} is not an MCAP file (no MCAP magic at its start)`);
      let indexed: McapIndexedReader | undefined;
      let why = '';
      try {
        indexed = await McapIndexedReader.Initialize({ readable: new FileReadable(fh, BigInt(size)), decompressHandlers: handlers });
        if (!indexed.statistics) indexed = undefined; // counts unknown: scan instead
      } catch (e) {
        why = (e as Error).message;
      }
      // The chunk index names every compression in the file; without one, any may come.
      const used = indexed ? new Set(indexed.chunkIndexes.map((c) => c.compression).filter((c) => c !== '')) : DECOMPRESSIBLE;
      await decompressHandlers(used, handlers);
      // Refused here rather than after a long evaluation has reached the first such chunk.
      const unknown = [...used].find((c) => !Object.hasOwn(handlers, c));
      if (unknown) throw new UnsupportedCompression(file, unknown);
      const r = new McapStorageReader(file, fh, size, indexed, handlers);
      if (indexed) {
        const counts = new Map([...indexed.statistics!.channelMessageCounts].map(([id, n]) => [id, Number(n)]));
        r.stats = topicStats(indexed.channelsById.values(), new Map(indexed.schemasById), counts);
      } else {
        await r.scan(why);
      }
      return r;
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  topics(): TopicStats[] {
    return this.stats.map((t) => ({ ...t }));
  }

  async *messages(options: { topics?: string[] } = {}): AsyncGenerator<BagMessage, void, void> {
    if (this.indexed) yield* this.indexedMessages(this.indexed, options.topics);
    else yield* this.streamedMessages(options.topics);
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private async *indexedMessages(reader: McapIndexedReader, topics?: string[]): AsyncGenerator<BagMessage, void, void> {
    const names = new Map([...reader.channelsById].map(([id, ch]) => [id, ch.topic]));
    const ordered = chunksInOrder(reader.chunkIndexes);
    try {
      if (ordered) {
        const wanted = topics ? new Set([...names].filter(([, t]) => topics.includes(t)).map(([id]) => id)) : undefined;
        const file = new FileReadable(this.fh, BigInt(this.size));
        const readAt = (offset: bigint, length: bigint) => file.read(offset, length);
        for (const chunk of ordered) {
          for await (const m of chunkMessages(readAt, chunk, wanted, this.handlers)) {
            yield { topic: names.get(m.channelId)!, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
          }
        }
        return;
      }
      for await (const m of reader.readMessages({ topics })) {
        yield { topic: names.get(m.channelId)!, logTime: m.logTime, publishTime: m.publishTime, data: m.data };
      }
    } catch (e) {
      throw unsupported(this.file, e) ?? this.damaged(e);
    }
  }

  private damaged(e: unknown): Error {
    return new Error(`${this.file} is damaged: ${(e as Error).message}`);
  }

  /** Every record front to back; `onRecord` sees each; returns the problem that stopped it, if any. */
  private async stream(onRecord: (r: McapTypes.TypedMcapRecord) => boolean | void): Promise<string | undefined> {
    const reader = new McapStreamReader({ validateCrcs: true, decompressHandlers: this.handlers });
    const piece = Buffer.allocUnsafe(STREAM_PIECE);
    let fed = 0;
    for (;;) {
      const { bytesRead } = await this.fh.read(piece, 0, STREAM_PIECE, fed);
      if (bytesRead === 0) break;
      fed += bytesRead;
      reader.append(piece.subarray(0, bytesRead)); // append() copies
      try {
        for (let r; (r = reader.nextRecord()); ) if (onRecord(r) === false) return undefined;
      } catch (e) {
        throw unsupported(this.file, e) ?? e;
      }
      if (reader.done()) return undefined;
    }
    const left = reader.bytesRemaining();
    if (left > 0) {
      return `the file ends inside a record: its last ${left} bytes (from offset ${fed - left} of ${this.size}) could not be read`;
    }
    return `the file ends after ${this.size} bytes without a footer`;
  }

  /** Topics and counts from a front-to-back pass, for a file without a usable summary. */
  private async scan(why: string): Promise<void> {
    const schemas = new Map<number, Schema>();
    const channels = new Map<number, Channel>();
    const counts = new Map<number, number>();
    let problem: string | undefined;
    try {
      problem = await this.stream((r) => {
        if (r.type === 'Schema') schemas.set(r.id, r);
        else if (r.type === 'Channel') channels.set(r.id, r);
        else if (r.type === 'Message') counts.set(r.channelId, (counts.get(r.channelId) ?? 0) + 1);
      });
    } catch (e) {
      if (e instanceof UnsupportedCompression) throw e;
      problem = `reading stopped at a damaged record (${(e as Error).message})`;
    }
    this.stats = topicStats(channels.values(), schemas, counts);
    if (problem) {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      // The indexed reader's complaint about the end magic just means the footer is missing.
      const reason = /Expected MCAP magic/.test(why) ? 'no footer' : why.replace(/\s*\[library=[^\]]*\]$/, '');
      this.problems.push(`${this.file}: no usable summary (${reason || 'not indexed'}); ${problem}; ${total} messages before that were read`);
    }
  }

  private async *streamedMessages(topics?: string[]): AsyncGenerator<BagMessage, void, void> {
    const wanted = topics ? new Set(topics) : undefined;
    const names = new Map<number, string>();
    // The stream reader delivers records synchronously while we must yield asynchronously: queue
    // the messages of one appended piece, then hand them out.
    const queue: BagMessage[] = [];
    const reader = new McapStreamReader({ validateCrcs: true, decompressHandlers: this.handlers });
    const piece = Buffer.allocUnsafe(STREAM_PIECE);
    let fed = 0;
    for (;;) {
      const { bytesRead } = await this.fh.read(piece, 0, STREAM_PIECE, fed);
      if (bytesRead === 0) return;
      fed += bytesRead;
      reader.append(piece.subarray(0, bytesRead)); // append() copies
      try {
        for (let r; (r = reader.nextRecord()); ) {
          if (r.type === 'Channel') names.set(r.id, r.topic);
          else if (r.type === 'Message') {
            const topic = names.get(r.channelId);
            if (topic !== undefined && (!wanted || wanted.has(topic))) {
              queue.push({ topic, logTime: r.logTime, publishTime: r.publishTime, data: r.data });
            }
          }
        }
      } catch {
        // Already reported by scan(); deliver what was read before the damage.
        yield* queue.splice(0);
        return;
      }
      yield* queue.splice(0);
      if (reader.done()) return;
    }
  }
}
