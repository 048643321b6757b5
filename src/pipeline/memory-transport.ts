// A Transport held in memory: the node runs unchanged while a test or a benchmark plays the ROS
// graph (delivers messages, counts subscribers, sets parameters the way `ros2 param set` does,
// reads what was published). Topics are keyed as the node names them, `~/` left off: `label`,
// `camera_info`, `image`, or with cameras `front/attendseg/label`, `front/image_raw`.
import type { ParamAssignment, ParamSpec, ParamType, ParamValue, SetResult } from './params';
import type { CameraInfoMessage, DiagnosticArrayMessage, LabelInfoMessage, RosHeader } from './messages';
import {
  CountedPublisher,
  ImagePublisher,
  InboundCompressedImage,
  InboundImage,
  InputKind,
  InputSubscription,
  Logger,
  MessagePublisher,
  OutboundImage,
  QosSettings,
  Releasable,
  SetParametersHandler,
  Transport,
} from './transport';

export interface InMemoryTransportOptions {
  nodeName?: string;
  /** Start-up values, as -p or a params file give them; a bare value takes the declared type. */
  overrides?: Record<string, ParamValue | ParamAssignment>;
  /** Whether vision_msgs is installed (default true). */
  visionMsgs?: boolean;
  /** Subscribers per output topic (`label`, `front/attendseg/camera_info`); `defaultSubscribers` for the others. */
  subscribers?: Record<string, number>;
  /** Subscribers of an output topic not in `subscribers` (default 1). */
  defaultSubscribers?: number;
  /** Subscribers of ~/camera_info (default: defaultSubscribers). */
  cameraInfoSubscribers?: number;
  /** Keep published images for inspection (default true; benchmarks turn it off). */
  keepPublished?: boolean;
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

function typeOf(value: ParamValue, declared?: ParamType): ParamType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'string_array';
  if (declared === 'integer' || declared === 'double') return declared;
  return Number.isInteger(value as number) ? 'integer' : 'double';
}

/** `~/label` -> `label`; other names as they are. */
const key = (topic: string) => topic.replace(/^~\//, '');

/** The camera_info beside an image topic, as image_transport names it. */
function besideImage(image: string): string {
  const cut = image.lastIndexOf('/');
  return cut < 0 ? 'camera_info' : `${image.slice(0, cut)}/camera_info`;
}

// The header stamp's seconds: a serialized Image starts with a 4-byte CDR header, then sec (int32).
function stampOf(m: OutboundImage): number {
  return Buffer.isBuffer(m) ? m.readInt32LE(4) : m.header.stamp.sec;
}

export class InMemoryTransport implements Transport {
  readonly nodeName: string;
  /** Images published, by output topic. */
  readonly published: Record<string, OutboundImage[]> = {};
  readonly publishCounts: Record<string, number> = {};
  /** Every image published, as `<topic> <stamp sec>`, in the order published (kept like `published`). */
  readonly publishOrder: string[] = [];
  /** camera_info and label info published, by topic. */
  readonly cameraInfos: Record<string, CameraInfoMessage[]> = {};
  readonly labelInfos: Record<string, LabelInfoMessage[]> = {};
  readonly diagnostics: DiagnosticArrayMessage[] = [];
  readonly logs: LogEntry[] = [];
  /** Subscribers per output topic; `defaultSubscribers` for a topic not here. */
  readonly subscribers: Record<string, number>;
  defaultSubscribers: number;
  readonly qos: { input?: QosSettings; outputs: Record<string, QosSettings> } = { outputs: {} };
  /** How each base image topic (`image`, `front/image_raw`) is subscribed while it is. */
  readonly inputs: Record<string, { kind: InputKind; serialized: boolean }> = {};
  /** Subscriptions opened and closed so far, in order (`+image`, `-image`, `+camera_info`, ...). */
  readonly subscriptionLog: string[] = [];
  closed = false;

  readonly log: Logger;
  private readonly options: InMemoryTransportOptions;
  private readonly params = new Map<string, ParamAssignment>();
  private specs = new Map<string, ParamSpec>();
  private onSet: SetParametersHandler | null = null;
  /** Subscription callbacks by topic. */
  private readonly handlers = new Map<string, (m: never) => void>();
  private readonly timers = new Set<() => void>();
  private labelInfoWarned = false;
  /** Publishers released so far, by topic (`label`, `camera_info`, `label_info`, `diagnostics`). */
  readonly releasedPublishers: string[] = [];

  constructor(options: InMemoryTransportOptions = {}) {
    this.options = options;
    this.nodeName = options.nodeName ?? '/attendseg';
    this.subscribers = { ...options.subscribers };
    this.defaultSubscribers = options.defaultSubscribers ?? 1;
    if (options.cameraInfoSubscribers !== undefined) this.subscribers.camera_info = options.cameraInfoSubscribers;
    const entry = (level: LogEntry['level']) => (message: string) => this.logs.push({ level, message });
    this.log = { debug: entry('debug'), info: entry('info'), warn: entry('warn'), error: entry('error') };
  }

  /** How `image` is subscribed while it is (null while not): the input of the node without cameras. */
  get input(): { kind: InputKind; serialized: boolean } | null {
    return this.inputs.image ?? null;
  }

  /** What ~/camera_info published. */
  get cameraInfo(): CameraInfoMessage[] {
    return this.cameraInfos.camera_info ?? [];
  }

  /** What ~/label_info published. */
  get labelInfo(): LabelInfoMessage[] {
    return this.labelInfos.label_info ?? [];
  }

  get cameraInfoSubscribers(): number {
    return this.subscriberCount('camera_info');
  }

  set cameraInfoSubscribers(n: number) {
    this.subscribers.camera_info = n;
  }

  /** Subscribers of the output `topic` now. */
  subscriberCount(topic: string): number {
    return this.subscribers[key(topic)] ?? this.defaultSubscribers;
  }

  declareParameters(specs: readonly ParamSpec[], onSet: SetParametersHandler): Record<string, ParamValue> {
    this.specs = new Map(specs.map((s) => [s.name, s]));
    const overrides = this.options.overrides ?? {};
    for (const name of Object.keys(overrides))
      if (!this.specs.has(name)) this.log.warn(`parameter override '${name}' names no parameter of this node; ignored`);
    const assignments = specs.map((s): ParamAssignment => {
      const o = overrides[s.name];
      if (o === undefined) return { name: s.name, type: s.type, value: s.default };
      if (typeof o === 'object' && !Array.isArray(o)) return o;
      return { name: s.name, type: typeOf(o, s.type), value: o };
    });
    const r = onSet(assignments, true);
    if (!r.successful) throw new Error(r.reason);
    for (const a of assignments) this.params.set(a.name, a);
    this.onSet = onSet;
    return Object.fromEntries(assignments.map((a) => [a.name, a.value]));
  }

  /** Like `ros2 param set`: all or nothing; a bare value takes the declared type. */
  setParameters(changes: (ParamAssignment | { name: string; value: ParamValue })[]): SetResult {
    if (!this.onSet) return { successful: false, reason: 'no parameters declared yet' };
    const assignments = changes.map((c) =>
      'type' in c ? c : { name: c.name, type: typeOf(c.value, this.specs.get(c.name)?.type), value: c.value },
    );
    for (const a of assignments)
      if (!this.specs.has(a.name)) return { successful: false, reason: `parameter '${a.name}' has not been declared` };
    const r = this.onSet(assignments, false);
    if (r.successful) for (const a of assignments) this.params.set(a.name, a);
    return r;
  }

  getParameter(name: string): ParamValue | undefined {
    return this.params.get(name)?.value;
  }

  inputTopic(image: string, kind: InputKind): string {
    return kind === 'image' ? image : `${image}/compressed`;
  }

  subscribeImage(image: string, qos: QosSettings, serialized: boolean, onMessage: (m: InboundImage) => void): InputSubscription {
    return this.subscribeInput(image, 'image', qos, serialized, onMessage);
  }

  subscribeCompressedImage(
    image: string,
    qos: QosSettings,
    serialized: boolean,
    onMessage: (m: InboundCompressedImage) => void,
  ): InputSubscription {
    return this.subscribeInput(image, 'compressed', qos, serialized, onMessage);
  }

  subscribeCameraInfo(image: string, _qos: QosSettings, onMessage: (m: CameraInfoMessage) => void): InputSubscription {
    return this.opened(besideImage(image), onMessage, () => {});
  }

  /** A message arriving on `topic` (sensor_msgs/Image; default `image`). */
  deliverImage(m: InboundImage, topic = 'image'): void {
    this.deliver(topic, m, '(not subscribed, or input_transport is not raw)');
  }

  /** A message arriving on `topic` (sensor_msgs/CompressedImage; default `image/compressed`). */
  deliverCompressedImage(m: InboundCompressedImage, topic = 'image/compressed'): void {
    this.deliver(topic, m, '(not subscribed, or input_transport is not compressed)');
  }

  /** A message arriving on `topic` (sensor_msgs/CameraInfo; default `camera_info`). */
  deliverCameraInfo(m: CameraInfoMessage, topic = 'camera_info'): void {
    this.deliver(topic, m, '');
  }

  advertiseCameraInfo(topic: string): CountedPublisher<CameraInfoMessage> {
    const k = key(topic);
    const close = this.releaser(k);
    const sent = (this.cameraInfos[k] ??= []);
    return { publish: (m) => (close.check(), sent.push(m)), subscriberCount: () => this.subscriberCount(k), close };
  }

  advertiseImage(topic: string, qos: QosSettings): ImagePublisher {
    const k = key(topic);
    this.qos.outputs[k] = qos;
    const close = this.releaser(k);
    const sent = (this.published[k] ??= []);
    this.publishCounts[k] ??= 0;
    return {
      close,
      publish: (m) => {
        close.check();
        this.publishCounts[k]++;
        if (!(this.options.keepPublished ?? true)) return;
        sent.push(m);
        this.publishOrder.push(`${k} ${stampOf(m)}`);
      },
      subscriberCount: () => this.subscriberCount(k),
    };
  }

  advertiseLabelInfo(topic: string): MessagePublisher<LabelInfoMessage> | null {
    if (this.options.visionMsgs === false) {
      if (!this.labelInfoWarned) this.log.warn('vision_msgs is not installed: ~/label_info is not published');
      this.labelInfoWarned = true;
      return null;
    }
    const k = key(topic);
    const close = this.releaser(k);
    const sent = (this.labelInfos[k] ??= []);
    return { publish: (m) => (close.check(), sent.push(m)), close };
  }

  advertiseDiagnostics(): MessagePublisher<DiagnosticArrayMessage> {
    const close = this.releaser('diagnostics');
    return { publish: (m) => (close.check(), this.diagnostics.push(m)), close };
  }

  every(_periodMs: number, fn: () => void): Releasable {
    const timer = () => fn();
    this.timers.add(timer);
    return { close: () => void this.timers.delete(timer) };
  }

  /** How many timers run now. */
  get timerCount(): number {
    return this.timers.size;
  }

  // A released publisher that is still used is a bug in the node: it throws, as rclnodejs does.
  private releaser(topic: string): (() => void) & { check(): void } {
    let released = false;
    const close = () => {
      if (released) return;
      released = true;
      this.releasedPublishers.push(topic);
    };
    return Object.assign(close, {
      check: () => {
        if (released) throw new Error(`~/${topic} was published after its publisher was released`);
      },
    });
  }

  /** Fires every timer once, as if its period had passed. */
  runTimers(): void {
    if (!this.closed) for (const t of [...this.timers]) t();
  }

  now(): RosHeader['stamp'] {
    const ms = Date.now();
    return { sec: Math.floor(ms / 1000), nanosec: (ms % 1000) * 1e6 };
  }

  close(): void {
    this.closed = true;
  }

  private subscribeInput<M>(
    image: string,
    kind: InputKind,
    qos: QosSettings,
    serialized: boolean,
    onMessage: (m: M) => void,
  ): InputSubscription {
    this.qos.input = qos;
    this.inputs[image] = { kind, serialized };
    return this.opened(this.inputTopic(image, kind), onMessage, () => delete this.inputs[image]);
  }

  private deliver(topic: string, m: unknown, hint: string): void {
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`nothing subscribes ${topic}${hint ? ` ${hint}` : ''}`);
    if (!this.closed) handler(m as never);
  }

  private opened<M>(topic: string, onMessage: (m: M) => void, close: () => void): InputSubscription {
    if (this.handlers.has(topic)) throw new Error(`${topic} is subscribed twice`);
    this.handlers.set(topic, onMessage as (m: never) => void);
    this.subscriptionLog.push(`+${topic}`);
    let open = true;
    return {
      topic,
      close: () => {
        if (!open) return;
        open = false;
        this.handlers.delete(topic);
        close();
        this.subscriptionLog.push(`-${topic}`);
      },
    };
  }
}
