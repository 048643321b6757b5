// Finding the topics a command needs in a bag, with errors that list what the bag does have.
import type { BagReader, TopicStats } from '../bag/types';
import { COMPRESSED_IMAGE_TYPE, fullTypeName, IMAGE_TYPE } from '../msg/definitions';

export const DEFAULT_IMAGE_TOPIC = '/camera/image_raw';
export const DEFAULT_COMPRESSED_TOPIC = '/camera/image_raw/compressed';
export const DEFAULT_GT_TOPIC = '/camera/label_gt';
/** What the node publishes as `~/label` etc. when named "attendseg" (launch/eval_replay.launch.py). */
export const DEFAULT_OUTPUT_TOPICS = {
  label: '/attendseg/label',
  overlay: '/attendseg/overlay',
  colorized: '/attendseg/colorized',
  confidence: '/attendseg/confidence',
};

const IMAGE_TYPES = [IMAGE_TYPE, COMPRESSED_IMAGE_TYPE];

function describe(bag: BagReader): string {
  const topics = bag.topics();
  // A damaged file (a recording cut short) says why it has none.
  if (topics.length === 0) return `it has no topics${bag.problems.length ? ` (${bag.problems.join('; ')})` : ''}`;
  return `its topics: ${topics.map((t) => `${t.name} (${t.type}, ${t.messageCount})`).join(', ')}`;
}

function normalType(t: TopicStats): string {
  try {
    return fullTypeName(t.type);
  } catch {
    return t.type;
  }
}

/** The named topic, whatever its type; throws naming the bag's topics when it is missing. */
export function findTopic(bag: BagReader, name: string, role: string): TopicStats {
  const t = bag.topics().find((x) => x.name === name);
  if (!t) throw new Error(`bag ${bag.files.join(', ')} has no ${role} topic ${name}; ${describe(bag)}`);
  return t;
}

/** The named topic, checked to be one of `types`; throws naming the bag's topics otherwise. */
export function requireTopic(bag: BagReader, name: string, types: string[], role: string): TopicStats {
  const t = findTopic(bag, name, role);
  if (!types.includes(normalType(t))) throw new Error(`${role} topic ${name} is ${t.type}, not ${types.join(' or ')}`);
  if (t.serializationFormat !== 'cdr') throw new Error(`${role} topic ${name} is serialized as '${t.serializationFormat}', not cdr`);
  return { ...t, type: normalType(t) };
}

/** An input image topic: the one named, else the camera defaults, else the bag's only image topic. */
export function imageTopic(bag: BagReader, name: string | undefined, exclude: string[]): TopicStats {
  if (name) return requireTopic(bag, name, IMAGE_TYPES, 'image');
  const topics = bag.topics();
  for (const d of [DEFAULT_IMAGE_TOPIC, DEFAULT_COMPRESSED_TOPIC]) {
    if (topics.some((t) => t.name === d)) return requireTopic(bag, d, IMAGE_TYPES, 'image');
  }
  const images = topics.filter((t) => IMAGE_TYPES.includes(normalType(t)) && !exclude.includes(t.name));
  if (images.length === 1) return requireTopic(bag, images[0].name, IMAGE_TYPES, 'image');
  throw new Error(`cannot tell which topic holds the input images (pass --image-topic); ${describe(bag)}`);
}

export const LABEL_TYPES = [IMAGE_TYPE];
