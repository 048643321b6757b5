// MCAP chunk compression: zstd and lz4 decompressors for the readers, compressors for the writer.
// The codecs are WebAssembly modules that load asynchronously, each once, when the first file that
// needs it is opened or written: uncompressed MCAP and sqlite3 bags never load them.
import type { DecompressHandlers } from '@mcap/core';

import { lz4FrameCompress } from './lz4-frame';

export type ChunkCompression = 'none' | 'zstd' | 'lz4';
export const CHUNK_COMPRESSIONS: readonly ChunkCompression[] = ['none', 'zstd', 'lz4'];
/** The chunk compressions the readers decompress, by their MCAP names. */
export const DECOMPRESSIBLE: readonly string[] = ['zstd', 'lz4'];

/** rosbag2_storage_mcap's default level (mcap::CompressionLevel::Default is zstd level 1). */
const ZSTD_LEVEL = 1;
/** A chunk claiming more than this is damaged or hostile: the codecs run in a 32-bit heap. */
const MAX_CHUNK = 1 << 30;

type Zstd = typeof import('@foxglove/wasm-zstd');
type Lz4 = (buffer: Uint8Array, size: number) => Uint8Array;

let zstdLoading: Promise<Zstd> | undefined;
let lz4Loading: Promise<Lz4> | undefined;

function loadZstd(): Promise<Zstd> {
  zstdLoading ??= import('@foxglove/wasm-zstd').then(async (zstd) => {
    await zstd.isLoaded;
    return zstd;
  });
  return zstdLoading;
}

function loadLz4(): Promise<Lz4> {
  lz4Loading ??= import('@foxglove/wasm-lz4').then(async ({ default: lz4 }) => {
    await lz4.isLoaded;
    return lz4;
  });
  return lz4Loading;
}

function sized(name: string, decompress: (buffer: Uint8Array, size: number) => Uint8Array) {
  return (buffer: Uint8Array, size: bigint): Uint8Array => {
    if (size > BigInt(MAX_CHUNK)) throw new Error(`a ${name} chunk claims ${size} bytes uncompressed, more than the ${MAX_CHUNK} this reader accepts`);
    let out: Uint8Array;
    try {
      out = decompress(buffer, Number(size));
    } catch (e) {
      throw new Error(`a ${name} chunk could not be decompressed (${(e as Error).message})`);
    }
    // Without a chunk CRC (rosbag2's zstd_fast preset writes none) a short result would go unnoticed.
    if (out.length !== Number(size)) throw new Error(`a ${name} chunk decompressed to ${out.length} bytes, not the ${size} its header gives`);
    return out;
  };
}

/**
 * Handlers for @mcap/core's readers, for those of `compressions` that can be decompressed (default:
 * all), added to `into` when given: a reader holds on to the object it was made with.
 */
export async function decompressHandlers(
  compressions: Iterable<string> = DECOMPRESSIBLE,
  // No prototype: a chunk whose compression is 'constructor' must find no handler.
  into: DecompressHandlers = Object.create(null),
): Promise<DecompressHandlers> {
  const wanted = new Set(compressions);
  if (wanted.has('zstd')) into.zstd = sized('zstd', (await loadZstd()).decompress);
  if (wanted.has('lz4')) into.lz4 = sized('lz4', await loadLz4());
  return into;
}

/**
 * McapWriter's compressChunk for `compression`, undefined for 'none'. Like rosbag2's writer, a chunk
 * that compression does not shrink is stored uncompressed.
 */
export async function chunkCompressor(
  compression: ChunkCompression,
): Promise<((chunk: Uint8Array) => { compression: string; compressedData: Uint8Array }) | undefined> {
  if (!CHUNK_COMPRESSIONS.includes(compression)) {
    throw new Error(`MCAP chunk compression '${compression}' is not one of ${CHUNK_COMPRESSIONS.join(', ')}`);
  }
  if (compression === 'none') return undefined;
  const zstd = compression === 'zstd' ? await loadZstd() : undefined;
  return (chunk) => {
    const packed = zstd ? zstd.compress(chunk, ZSTD_LEVEL) : lz4FrameCompress(chunk);
    return packed.length < chunk.length ? { compression, compressedData: packed } : { compression: '', compressedData: chunk };
  };
}
