// metadata.yaml, the file rosbag2 keeps beside the storage files, and the same document embedded
// in each storage file (MCAP "rosbag2" metadata record, sqlite3 metadata table).
//
// We write metadata version 8 (offered_qos_profiles as integer-enum YAML text): Jazzy and later
// read every older version, while Humble cannot parse version 9's structured QoS lists.
import * as fs from 'fs';
import * as path from 'path';

import YAML from 'yaml';

import { parseQosProfiles, serializeQosProfiles } from './qos';
import type { StorageId, TopicStats } from './types';

export const METADATA_VERSION = 8;
export const METADATA_FILE = 'metadata.yaml';

export interface FileInfo {
  path: string;
  startingTime: bigint;
  duration: bigint;
  messageCount: number;
}

export interface BagMetadata {
  version: number;
  storageIdentifier: StorageId;
  startingTime: bigint;
  duration: bigint;
  messageCount: number;
  topics: TopicStats[];
  relativeFilePaths: string[];
  files: FileInfo[];
  rosDistro: string;
  /**
   * rosbag2's own compression of whole storage files or of each message (format 'zstd', mode
   * 'FILE' or 'MESSAGE'; both '' without it). MCAP chunk compression is not this: it lives in the chunks.
   */
  compressionFormat: string;
  compressionMode: string;
}

/** The BagMetadata node in rosbag2's key order (yaml.hpp, convert<BagMetadata>::encode). */
export function metadataNode(m: BagMetadata): Record<string, unknown> {
  return {
    version: METADATA_VERSION,
    storage_identifier: m.storageIdentifier,
    duration: { nanoseconds: m.duration },
    starting_time: { nanoseconds_since_epoch: m.startingTime },
    message_count: m.messageCount,
    topics_with_message_count: m.topics.map((t) => ({
      topic_metadata: {
        name: t.name,
        type: t.type,
        serialization_format: t.serializationFormat,
        offered_qos_profiles: t.offeredQosProfiles,
        type_description_hash: t.typeDescriptionHash,
      },
      message_count: t.messageCount,
    })),
    compression_format: m.compressionFormat,
    compression_mode: m.compressionMode,
    relative_file_paths: m.relativeFilePaths,
    files: m.files.map((f) => ({
      path: f.path,
      starting_time: { nanoseconds_since_epoch: f.startingTime },
      duration: { nanoseconds: f.duration },
      message_count: f.messageCount,
    })),
    custom_data: {},
    ros_distro: m.rosDistro,
  };
}

export function metadataYaml(m: BagMetadata): string {
  return YAML.stringify({ rosbag2_bagfile_information: metadataNode(m) }, { aliasDuplicateObjects: false });
}

type Node = Record<string, unknown>;

function field(node: Node, key: string, where: string): unknown {
  if (!(key in node)) throw new Error(`${where}: missing '${key}'`);
  return node[key];
}

function bigintField(node: unknown, key: string, where: string): bigint {
  const v = node && typeof node === 'object' ? (node as Node)[key] : undefined;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new Error(`${where}: '${key}' is not an integer`);
}

/** Reads any metadata version rosbag2 has written (1..9); `where` names the file in errors. */
export function parseMetadata(text: string, where: string): BagMetadata {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { intAsBigInt: true });
  } catch (e) {
    throw new Error(`${where}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const root = doc && typeof doc === 'object' ? (doc as Node).rosbag2_bagfile_information : undefined;
  if (!root || typeof root !== 'object') throw new Error(`${where}: no 'rosbag2_bagfile_information' section`);
  const info = root as Node;
  const version = Number(field(info, 'version', where));
  const storage = String(field(info, 'storage_identifier', where));
  if (storage !== 'mcap' && storage !== 'sqlite3') {
    throw new Error(`${where}: storage_identifier '${storage}' is not supported (mcap or sqlite3)`);
  }
  const paths = field(info, 'relative_file_paths', where);
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw new Error(`${where}: relative_file_paths is not a list of file names`);
  }
  const topicsNode = info.topics_with_message_count ?? [];
  if (!Array.isArray(topicsNode)) throw new Error(`${where}: topics_with_message_count is not a list`);
  const topics: TopicStats[] = topicsNode.map((t: Node, i: number) => {
    const tm = (t?.topic_metadata ?? {}) as Node;
    const what = `${where}: topic ${i + 1}`;
    const qos = tm.offered_qos_profiles ?? '';
    return {
      name: String(field(tm, 'name', what)),
      type: String(field(tm, 'type', what)),
      serializationFormat: String(tm.serialization_format ?? 'cdr'),
      // Version 9 stores a list; keep everything in the text form we write.
      offeredQosProfiles: typeof qos === 'string' ? qos : serializeQosProfiles(parseQosProfiles(qos)),
      typeDescriptionHash: String(tm.type_description_hash ?? ''),
      messageCount: Number(t?.message_count ?? 0),
    };
  });
  const files = Array.isArray(info.files)
    ? (info.files as Node[]).map((f) => ({
        path: String(f.path),
        startingTime: bigintField(f.starting_time, 'nanoseconds_since_epoch', `${where}: files`),
        duration: bigintField(f.duration, 'nanoseconds', `${where}: files`),
        messageCount: Number(f.message_count ?? 0),
      }))
    : [];
  return {
    version,
    storageIdentifier: storage,
    startingTime: bigintField(info.starting_time, 'nanoseconds_since_epoch', where),
    duration: bigintField(info.duration, 'nanoseconds', where),
    messageCount: Number(info.message_count ?? 0),
    topics,
    relativeFilePaths: paths as string[],
    files,
    rosDistro: String(info.ros_distro ?? ''),
    compressionFormat: String(info.compression_format ?? ''),
    compressionMode: String(info.compression_mode ?? ''),
  };
}

export function readMetadataFile(dir: string): BagMetadata | undefined {
  const file = path.join(dir, METADATA_FILE);
  if (!fs.existsSync(file)) return undefined;
  return parseMetadata(fs.readFileSync(file, 'utf8'), file);
}

export function writeMetadataFile(dir: string, m: BagMetadata): void {
  fs.writeFileSync(path.join(dir, METADATA_FILE), metadataYaml(m));
}

/** Summary fields from per-topic counts and the time range of the messages written. */
export function summarize(
  storage: StorageId,
  file: string,
  topics: TopicStats[],
  first: bigint | undefined,
  last: bigint | undefined,
  rosDistro: string,
): BagMetadata {
  const messageCount = topics.reduce((n, t) => n + t.messageCount, 0);
  const startingTime = first ?? 0n;
  const duration = first !== undefined && last !== undefined ? last - first : 0n;
  return {
    version: METADATA_VERSION,
    storageIdentifier: storage,
    startingTime,
    duration,
    messageCount,
    topics,
    relativeFilePaths: [file],
    files: [{ path: file, startingTime, duration, messageCount }],
    rosDistro,
    compressionFormat: '',
    compressionMode: '',
  };
}
