// The node's parameters: one table drives declaration (with descriptors and ranges), validation
// with reasons, config/params.yaml checks and the README table.
import { checkCameras, MAX_CAMERAS } from './camera-topics';

export type ParamType = 'bool' | 'integer' | 'double' | 'string' | 'string_array';
export type ParamValue = boolean | number | string | string[];

export interface ParamSpec {
  name: string;
  type: ParamType;
  default: ParamValue;
  description: string;
  /** May change while the node runs; the others are read-only after start. */
  dynamic: boolean;
  /** Inclusive bounds for integer and double parameters. */
  range?: { from: number; to: number };
  /** The accepted values of a string parameter. */
  choices?: readonly string[];
  /** Why a value of the right type is still wrong, or null (checks beyond ranges and choices). */
  check?: (value: ParamValue) => string | null;
}

export interface ParamAssignment {
  name: string;
  type: ParamType;
  value: ParamValue;
}

export interface SetResult {
  successful: boolean;
  reason: string;
}

export const QOS_PRESETS = ['sensor_data', 'default', 'reliable', 'best_effort'] as const;

export const PARAMS: readonly ParamSpec[] = [
  {
    name: 'model_path',
    type: 'string',
    default: '',
    description: 'ONNX QDQ model file; empty: the shipped model (models/attendseg_camvid.onnx)',
    dynamic: false,
  },
  {
    name: 'threads',
    type: 'integer',
    default: 0,
    description: 'inference threads, the calling one included; 0: all online cores',
    dynamic: false,
    range: { from: 0, to: 256 },
  },
  {
    name: 'max_activation_mb',
    type: 'integer',
    default: 1024,
    description: "activation memory one network input size may plan (MiB); a model or size past it fails at start, naming the tensor; 0: no limit",
    dynamic: false,
    range: { from: 0, to: 1048576 },
  },
  {
    name: 'network_width',
    type: 'integer',
    default: 0,
    description: 'network input width in pixels; 0: from the model metadata',
    dynamic: false,
    range: { from: 0, to: 8192 },
  },
  {
    name: 'network_height',
    type: 'integer',
    default: 0,
    description: 'network input height in pixels; 0: from the model metadata',
    dynamic: false,
    range: { from: 0, to: 8192 },
  },
  {
    name: 'label_resolution',
    type: 'string',
    default: 'input',
    description: "label, colorized and confidence image size: 'input' (the camera's) or 'network'",
    dynamic: false,
    choices: ['input', 'network'],
  },
  {
    name: 'overlay_alpha',
    type: 'double',
    default: 0.5,
    description: 'weight of the class colour in the overlay, 0 (camera only) to 1 (colours only)',
    dynamic: true,
    range: { from: 0, to: 1 },
  },
  { name: 'publish_label', type: 'bool', default: true, description: 'publish ~/label (mono8 class ids)', dynamic: true },
  { name: 'publish_overlay', type: 'bool', default: true, description: 'publish ~/overlay (rgb8)', dynamic: true },
  { name: 'publish_colorized', type: 'bool', default: false, description: 'publish ~/colorized (rgb8)', dynamic: true },
  {
    name: 'publish_confidence',
    type: 'bool',
    default: false,
    description: "publish ~/confidence (mono8, the label's size): the winning class's softmax probability x 255",
    dynamic: true,
  },
  {
    name: 'palette',
    type: 'string',
    default: '',
    description: 'YAML or JSON file with one [r, g, b] per class; empty: the model palette',
    dynamic: false,
  },
  {
    name: 'input_transport',
    type: 'string',
    default: 'raw',
    description: "'raw': subscribe image (sensor_msgs/Image); 'compressed': image/compressed (jpeg, png)",
    dynamic: false,
    choices: ['raw', 'compressed'],
  },
  {
    name: 'cameras',
    type: 'string_array',
    default: [],
    description:
      `camera namespaces segmented by this one node (at most ${MAX_CAMERAS}): each subscribes <camera>/image_raw ` +
      'and publishes <camera>/<node name>/label, ...; empty: one camera, input image, outputs ~/label, ...',
    dynamic: false,
    check: (v) => checkCameras(v as string[]),
  },
  {
    name: 'qos',
    type: 'string',
    default: 'sensor_data',
    description: 'QoS of the image subscription and image outputs: sensor_data (best effort), default, reliable, best_effort',
    dynamic: false,
    choices: QOS_PRESETS,
  },
  {
    name: 'qos_depth',
    type: 'integer',
    default: 5,
    description: 'history depth of the image subscription and image outputs',
    dynamic: false,
    range: { from: 1, to: 1000 },
  },
  {
    name: 'serialized_io',
    type: 'bool',
    default: true,
    description: 'move images as serialized CDR (native parse and write); false: rclnodejs message objects (slower)',
    dynamic: false,
  },
];

const BY_NAME = new Map(PARAMS.map((p) => [p.name, p]));

/** A parameter's default: the one table the node, the CLI and the launch files take them from. */
export function paramDefault<T extends ParamValue>(name: string): T {
  const p = BY_NAME.get(name);
  if (!p) throw new Error(`no parameter '${name}'`);
  return p.default as T;
}

export function paramSpec(name: string): ParamSpec | undefined {
  return BY_NAME.get(name);
}

function describe(value: ParamValue): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Why `a` cannot be the value of its parameter, or null when it can. */
export function checkParam(a: ParamAssignment): string | null {
  const spec = BY_NAME.get(a.name);
  if (!spec) return `unknown parameter '${a.name}'`;
  if (a.type !== spec.type) {
    const hint = spec.type === 'double' && a.type === 'integer' ? ` (write ${a.value}.0)` : '';
    return `${a.name} must be of type ${spec.type}, got ${a.type} ${describe(a.value)}${hint}`;
  }
  const v = a.value;
  switch (spec.type) {
    case 'bool':
      if (typeof v !== 'boolean') return `${a.name} must be true or false`;
      break;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return `${a.name} must be an integer, got ${describe(v)}`;
      break;
    case 'double':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${a.name} must be a finite number, got ${describe(v)}`;
      break;
    case 'string':
      if (typeof v !== 'string') return `${a.name} must be a string`;
      break;
    case 'string_array':
      if (!Array.isArray(v) || !v.every((e) => typeof e === 'string')) return `${a.name} must be a list of strings`;
      break;
  }
  if (spec.range && typeof v === 'number' && (v < spec.range.from || v > spec.range.to))
    return `${a.name} must be within ${spec.range.from}..${spec.range.to}, got ${v}`;
  if (spec.choices && !spec.choices.includes(v as string))
    return `${a.name} must be one of ${spec.choices.join(', ')}; got ${describe(v)}`;
  const why = spec.check?.(v);
  return why ? `${a.name}: ${why}` : null;
}

/**
 * Vets a set of changes as a whole: at start every parameter may be set, later only the dynamic
 * ones. The first problem found is the reason.
 */
export function vetParameters(changes: ParamAssignment[], declaring: boolean): SetResult {
  for (const c of changes) {
    const why = checkParam(c);
    if (why) return { successful: false, reason: why };
    if (!declaring && !BY_NAME.get(c.name)!.dynamic)
      return { successful: false, reason: `${c.name} is read-only while the node runs; set it at start (params file or -p)` };
  }
  return { successful: true, reason: '' };
}

export type LabelResolution = 'input' | 'network';
export type InputTransport = 'raw' | 'compressed';

export interface Settings {
  modelPath: string;
  threads: number;
  maxActivationMb: number;
  networkWidth: number;
  networkHeight: number;
  labelResolution: LabelResolution;
  overlayAlpha: number;
  publishLabel: boolean;
  publishOverlay: boolean;
  publishColorized: boolean;
  publishConfidence: boolean;
  palette: string;
  inputTransport: InputTransport;
  cameras: string[];
  qos: (typeof QOS_PRESETS)[number];
  qosDepth: number;
  serializedIo: boolean;
}

/** Settings from declared (already vetted) values; missing ones take their defaults. */
export function settingsFrom(values: Record<string, ParamValue>): Settings {
  const get = <T extends ParamValue>(name: string): T => (values[name] ?? BY_NAME.get(name)!.default) as T;
  return {
    modelPath: get<string>('model_path'),
    threads: get<number>('threads'),
    maxActivationMb: get<number>('max_activation_mb'),
    networkWidth: get<number>('network_width'),
    networkHeight: get<number>('network_height'),
    labelResolution: get<LabelResolution>('label_resolution'),
    overlayAlpha: get<number>('overlay_alpha'),
    publishLabel: get<boolean>('publish_label'),
    publishOverlay: get<boolean>('publish_overlay'),
    publishColorized: get<boolean>('publish_colorized'),
    publishConfidence: get<boolean>('publish_confidence'),
    palette: get<string>('palette'),
    inputTransport: get<InputTransport>('input_transport'),
    cameras: [...get<string[]>('cameras')],
    qos: get<Settings['qos']>('qos'),
    qosDepth: get<number>('qos_depth'),
    serializedIo: get<boolean>('serialized_io'),
  };
}
