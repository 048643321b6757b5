// The storage-independent view of a rosbag2 bag: topics, serialized messages, what was skipped.

export type StorageId = 'mcap' | 'sqlite3';

export interface TopicInfo {
  name: string;
  /** ROS 2 type name, 'sensor_msgs/msg/Image'. */
  type: string;
  /** 'cdr' for everything ROS 2 records. */
  serializationFormat: string;
  /** YAML text as stored; '' when unknown. */
  offeredQosProfiles: string;
  /** RIHS01 hash as stored; '' when unknown. */
  typeDescriptionHash: string;
  /** The schema as stored in the bag, when it carries one. */
  definition?: { encoding: string; text: string };
}

export interface TopicStats extends TopicInfo {
  messageCount: number;
}

export interface BagMessage {
  topic: string;
  /** Receive time in nanoseconds (rosbag2's recv_timestamp, MCAP log time). */
  logTime: bigint;
  publishTime: bigint;
  /** CDR bytes, owned by the receiver (readers never reuse them). */
  data: Uint8Array;
}

export interface BagReader {
  /** The storage file(s) being read. */
  readonly files: string[];
  readonly storage: StorageId;
  /** Topics with message counts; counts are those of the readable part of a damaged file. */
  topics(): TopicStats[];
  /** Messages in receive-time order, read lazily; `topics` filters. */
  messages(options?: { topics?: string[] }): AsyncGenerator<BagMessage, void, void>;
  /** What could not be read and was skipped, in plain words; grows while messages are read. */
  readonly problems: string[];
  close(): Promise<void>;
}

export interface NewTopic {
  name: string;
  type: string;
  /** Defaults to DEFAULT_QOS in rosbag2's integer form. */
  offeredQosProfiles?: string;
  typeDescriptionHash?: string;
  /** Needed only for types src/msg does not define (copying a topic from another bag). */
  definition?: { encoding: string; text: string };
}

export interface BagWriter {
  readonly directory: string;
  addTopic(topic: NewTopic): Promise<void>;
  write(topic: string, logTime: bigint, data: Uint8Array, publishTime?: bigint): Promise<void>;
  /** Finishes the storage file and writes metadata.yaml. */
  close(): Promise<void>;
  /** Closes and deletes what was written (after a failure), leaving no half bag behind. */
  discard(): Promise<void>;
}
