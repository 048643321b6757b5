// The messages of an indexed MCAP file as views into one buffer per chunk. @mcap/core's indexed
// reader copies a chunk's records out of the bytes it read and then copies every message out of
// those: three copies of each image, garbage that the collector must chase while the engine runs.
// Here a chunk is read once into a buffer of its own, which its messages keep alive for as long as
// any of them is held, and nothing is copied again. The order and the checks are the indexed
// reader's: messages by log time (ties by offset) from the message indexes, chunk CRC verified
// (with zlib's crc32, which is native).
import * as zlib from 'zlib';

import type { DecompressHandlers, McapTypes } from '@mcap/core';

type ChunkIndex = McapTypes.TypedMcapRecords['ChunkIndex'];

export interface ChunkMessage {
  channelId: number;
  logTime: bigint;
  publishTime: bigint;
  /** A view into the chunk's buffer. */
  data: Uint8Array;
}

/** Reads `length` bytes at `offset` of the file into a buffer that no later read reuses. */
export type ReadAt = (offset: bigint, length: bigint) => Promise<Uint8Array>;

const OP_MESSAGE = 0x05;
const OP_CHUNK = 0x06;
const OP_MESSAGE_INDEX = 0x07;
/** Opcode, record length. */
const RECORD_PREFIX = 1 + 8;
/** Channel id, sequence, log time, publish time. */
const MESSAGE_PREFIX = 2 + 4 + 8 + 8;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The chunks in reading order when no two overlap in log time (what recorders write), else
 * undefined: overlapping chunks need a merge across chunks, which @mcap/core's reader does.
 * Chunks that touch (one ends at the time the next starts) are in order only if the later one
 * also lies later in the file, since the merge gives equal log times by chunk offset.
 */
export function chunksInOrder(chunkIndexes: readonly ChunkIndex[]): ChunkIndex[] | undefined {
  const sorted = [...chunkIndexes].sort((a, b) =>
    a.messageStartTime !== b.messageStartTime ? (a.messageStartTime < b.messageStartTime ? -1 : 1) : a.chunkStartOffset < b.chunkStartOffset ? -1 : 1,
  );
  for (let i = 1; i < sorted.length; i++) {
    const [prev, next] = [sorted[i - 1], sorted[i]];
    if (next.messageStartTime < prev.messageEndTime) return undefined;
    if (next.messageStartTime === prev.messageEndTime && next.chunkStartOffset < prev.chunkStartOffset) return undefined;
  }
  return sorted;
}

/** [log time, offset in the chunk's records] of the wanted channels' messages, in reading order. */
async function messageOffsets(readAt: ReadAt, chunk: ChunkIndex, wanted: Set<number> | undefined): Promise<[bigint, bigint][]> {
  if (chunk.messageIndexLength === 0n && (chunk.messageStartTime !== 0n || chunk.messageEndTime !== 0n)) {
    throw new Error('Encountered a chunk index without message indexes and non-zero start and end times');
  }
  let first: bigint | undefined;
  let firstWanted: bigint | undefined;
  for (const [channel, offset] of chunk.messageIndexOffsets) {
    if (first === undefined || offset < first) first = offset;
    if ((!wanted || wanted.has(channel)) && (firstWanted === undefined || offset < firstWanted)) firstWanted = offset;
  }
  if (first === undefined || firstWanted === undefined) return [];
  const bytes = await readAt(firstWanted, first + chunk.messageIndexLength - firstWanted);
  const v = view(bytes);
  const entries: [bigint, bigint][] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < RECORD_PREFIX) throw new Error(`${bytes.length - at} bytes remaining in message index section`);
    const op = v.getUint8(at);
    const length = v.getBigUint64(at + 1, true);
    const body = at + RECORD_PREFIX;
    if (length > BigInt(bytes.length - body)) throw new Error(`a message index record of ${length} bytes runs past the message index section`);
    at = body + Number(length);
    if (op !== OP_MESSAGE_INDEX) continue;
    if (length < 6n) throw new Error(`a message index record of ${length} bytes is too short`);
    const channel = v.getUint16(body, true);
    const size = v.getUint32(body + 2, true);
    if (size % 16 !== 0 || body + 6 + size > at) throw new Error(`a message index of channel ${channel} has ${size} bytes of entries, not whole entries inside its record`);
    if (wanted && !wanted.has(channel)) continue;
    for (let e = body + 6; e < body + 6 + size; e += 16) entries.push([v.getBigUint64(e, true), v.getBigUint64(e + 8, true)]);
  }
  entries.sort(([ta, oa], [tb, ob]) => (ta !== tb ? (ta < tb ? -1 : 1) : oa < ob ? -1 : oa > ob ? 1 : 0));
  if (entries.length > 0) {
    const [firstTime] = entries[0];
    const [lastTime] = entries[entries.length - 1];
    if (firstTime < chunk.messageStartTime) {
      throw new Error(`Chunk at offset ${chunk.chunkStartOffset} contains a message with logTime (${firstTime}) earlier than chunk messageStartTime (${chunk.messageStartTime})`);
    }
    if (lastTime > chunk.messageEndTime) {
      throw new Error(`Chunk at offset ${chunk.chunkStartOffset} contains a message with logTime (${lastTime}) later than chunk messageEndTime (${chunk.messageEndTime})`);
    }
  }
  return entries;
}

/** The chunk's records: a view into `bytes` when stored uncompressed, else the decompressed buffer. */
function chunkRecords(bytes: Uint8Array, chunk: ChunkIndex, handlers: DecompressHandlers): Uint8Array {
  const v = view(bytes);
  const where = `chunk at offset ${chunk.chunkStartOffset}`;
  if (bytes.length < RECORD_PREFIX || v.getUint8(0) !== OP_CHUNK) throw new Error(`Chunk start offset ${chunk.chunkStartOffset} does not point to chunk record`);
  const end = RECORD_PREFIX + Number(v.getBigUint64(1, true));
  let at = RECORD_PREFIX + 8 + 8; // message start and end time
  const fixed = at + 8 + 4 + 4;
  if (end > bytes.length || fixed > end) throw new Error(`${where}: the record is longer than the chunk index says`);
  const uncompressedSize = v.getBigUint64(at, true);
  const crc = v.getUint32(at + 8, true);
  const nameLength = v.getUint32(at + 12, true);
  at = fixed;
  if (nameLength > end - at - 8) throw new Error(`${where}: compression name length ${nameLength} exceeds bounds of the record`);
  const compression = Buffer.from(bytes.buffer, bytes.byteOffset + at, nameLength).toString('utf8');
  at += nameLength;
  const recordsLength = v.getBigUint64(at, true);
  at += 8;
  if (recordsLength > BigInt(end - at)) throw new Error('Chunk records length exceeds remaining record size');
  let records = bytes.subarray(at, at + Number(recordsLength));
  if (compression !== '' && records.length > 0) {
    const decompress = handlers[compression];
    if (!decompress) throw new Error(`Unsupported compression ${compression}`);
    records = decompress(records, uncompressedSize);
  }
  if (crc !== 0) {
    const actual = zlib.crc32(records);
    if (actual !== crc) throw new Error(`Incorrect chunk CRC ${actual} (expected ${crc})`);
  }
  return records;
}

/** The wanted channels' messages of one chunk (all channels without `wanted`), in log-time order. */
export async function* chunkMessages(
  readAt: ReadAt,
  chunk: ChunkIndex,
  wanted: Set<number> | undefined,
  handlers: DecompressHandlers,
): AsyncGenerator<ChunkMessage, void, void> {
  const offsets = await messageOffsets(readAt, chunk, wanted);
  if (offsets.length === 0) return;
  const records = chunkRecords(await readAt(chunk.chunkStartOffset, chunk.chunkLength), chunk, handlers);
  const v = view(records);
  for (const [logTime, offset] of offsets) {
    const where = `offset ${offset} in chunk at offset ${chunk.chunkStartOffset}`;
    if (offset >= BigInt(records.length)) {
      throw new Error(`Message offset beyond chunk bounds (log time ${logTime}, offset ${offset}, chunk data length ${records.length}) in chunk at offset ${chunk.chunkStartOffset}`);
    }
    const at = Number(offset);
    if (records.length - at < RECORD_PREFIX + MESSAGE_PREFIX) throw new Error(`Unable to parse record at ${where}`);
    const op = v.getUint8(at);
    if (op !== OP_MESSAGE) throw new Error(`Unexpected record opcode 0x${op.toString(16)} in message index (time ${logTime}, ${where})`);
    const length = v.getBigUint64(at + 1, true);
    const body = at + RECORD_PREFIX;
    if (length < BigInt(MESSAGE_PREFIX) || length > BigInt(records.length - body)) throw new Error(`Unable to parse record at ${where}`);
    const recordTime = v.getBigUint64(body + 6, true);
    if (recordTime !== logTime) {
      throw new Error(`Message log time ${recordTime} did not match message index entry (${logTime} at ${where})`);
    }
    yield {
      channelId: v.getUint16(body, true),
      logTime,
      publishTime: v.getBigUint64(body + 14, true),
      data: records.subarray(body + MESSAGE_PREFIX, body + Number(length)),
    };
  }
}
