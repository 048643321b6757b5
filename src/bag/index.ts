// rosbag2 bags without ROS: MCAP and sqlite3 storage, metadata.yaml, streaming reads.
export { createBag } from './create-bag';
export type { CreateBagOptions } from './create-bag';
export { openBag } from './open-bag';
export { CHUNK_COMPRESSIONS } from './chunk-compression';
export type { ChunkCompression } from './chunk-compression';
export { METADATA_FILE, METADATA_VERSION, metadataYaml, parseMetadata, readMetadataFile } from './metadata';
export type { BagMetadata, FileInfo } from './metadata';
export { DEFAULT_QOS, parseQosProfiles, serializeQosProfiles } from './qos';
export type { QosProfile } from './qos';
export type { BagMessage, BagReader, BagWriter, NewTopic, StorageId, TopicInfo, TopicStats } from './types';
