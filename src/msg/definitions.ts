// ROS 2 message definitions in the form rosbag2 stores them as MCAP schemas (encoding "ros2msg"):
// the root type's .msg text, then each dependency once, depth first, after a line of 80 '=' and
// "MSG: package/Type". The same text goes into the sqlite3 message_definitions table.

/** The fields of each .msg file we use, keyed by its ROS 2 type name. */
const MSG_TEXT: Record<string, string> = {
  'builtin_interfaces/msg/Time': 'int32 sec\nuint32 nanosec\n',
  'std_msgs/msg/Header': 'builtin_interfaces/Time stamp\nstring frame_id\n',
  'sensor_msgs/msg/Image':
    'std_msgs/Header header\nuint32 height\nuint32 width\nstring encoding\nuint8 is_bigendian\nuint32 step\nuint8[] data\n',
  'sensor_msgs/msg/CompressedImage': 'std_msgs/Header header\nstring format\nuint8[] data\n',
};

export const IMAGE_TYPE = 'sensor_msgs/msg/Image';
export const COMPRESSED_IMAGE_TYPE = 'sensor_msgs/msg/CompressedImage';

const SEPARATOR = '='.repeat(80);
const PRIMITIVES = new Set([
  'bool', 'byte', 'char', 'float32', 'float64', 'int8', 'uint8', 'int16', 'uint16',
  'int32', 'uint32', 'int64', 'uint64', 'string', 'wstring',
]);

/** 'sensor_msgs/msg/Image' or 'sensor_msgs/Image' -> 'sensor_msgs/msg/Image'. */
export function fullTypeName(type: string): string {
  const m = /^([A-Za-z][\w]*)\/(?:msg\/)?([A-Za-z]\w*)$/.exec(type);
  if (!m) throw new Error(`'${type}' is not a ROS message type name (package/msg/Type)`);
  return `${m[1]}/msg/${m[2]}`;
}

/** Field types of a .msg text that are messages, as written ('std_msgs/Header'), in file order. */
function dependencies(text: string, pkg: string): string[] {
  const deps: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '');
    const m = /^\s*([A-Za-z][\w/]*)(?:\[[^\]]*\])?\s+\w/.exec(line);
    if (!m || PRIMITIVES.has(m[1]) || line.includes('=')) continue; // '=': a constant
    deps.push(m[1].includes('/') ? m[1] : `${pkg}/${m[1]}`);
  }
  return deps;
}

/** The concatenated ros2msg definition of a type we know; throws naming the type otherwise. */
export function messageDefinition(type: string): string {
  const root = fullTypeName(type);
  if (!(root in MSG_TEXT)) throw new Error(`no message definition for ${type}`);
  const seen = new Set<string>();
  const append = (name: string): string => {
    const full = fullTypeName(name);
    const text = MSG_TEXT[full];
    if (text === undefined) throw new Error(`no message definition for ${name} (needed by ${type})`);
    let out = text;
    for (const dep of dependencies(text, full.split('/')[0])) {
      if (seen.has(fullTypeName(dep))) continue;
      seen.add(fullTypeName(dep));
      out += `\n${SEPARATOR}\nMSG: ${dep}\n${append(dep)}`;
    }
    return out;
  };
  return append(root);
}
