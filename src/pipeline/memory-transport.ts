// A Transport held in memory: the node runs unchanged while a test or a benchmark plays the ROS
// graph (delivers messages, counts subscribers, sets parameters the way `ros2 param set` does,
// reads what was published).
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
  OUTPUT_NAMES,
  OutboundImage,
  OutputName,
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
  /** Subscribers per output (default 1 each). */
  subscribers?: Partial<Record<OutputName, number>>;
  /** Subscribers of ~/camera_info (default 1). */
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
  if (declared === 'integer' || declared === 'double') return declared;
  return Number.isInteger(value) ? 'integer' : 'double';
}

export class InMemoryTransport implements Transport {
  readonly nodeName: string;
  readonly published = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, [] as OutboundImage[]])) as Record<
    OutputName,
    OutboundImage[]
  >;
  readonly publishCounts = Object.fromEntries(OUTPUT_NAMES.map((n) => [n, 0])) as Record<OutputName, number>;
  readonly labelInfo: LabelInfoMessage[] = [];
  readonly cameraInfo: CameraInfoMessage[] = [];
  cameraInfoSubscribers: number;
  readonly diagnostics: DiagnosticArrayMessage[] = [];
  readonly logs: LogEntry[] = [];
  readonly subscribers: Record<OutputName, number>;
  readonly qos: { input?: QosSettings; outputs: Partial<Record<OutputName, QosSettings>> } = { outputs: {} };
  /** How the input is subscribed while it is (null while not). */
  input: { kind: InputKind; serialized: boolean } | null = null;
  /** Subscriptions opened and closed so far, in order (`+image`, `-image`, `+camera_info`, ...). */
  readonly subscriptionLog: string[] = [];
  closed = false;

  readonly log: Logger;
  private readonly options: InMemoryTransportOptions;
  private readonly params = new Map<string, ParamAssignment>();
  private specs = new Map<string, ParamSpec>();
  private onSet: SetParametersHandler | null = null;
  private imageHandler: ((m: InboundImage) => void) | null = null;
  private compressedHandler: ((m: InboundCompressedImage) => void) | null = null;
  private cameraInfoHandler: ((m: CameraInfoMessage) => void) | null = null;
  private readonly timers = new Set<() => void>();
  /** Publishers released so far, by topic (`label`, `camera_info`, `label_info`, `diagnostics`). */
  readonly releasedPublishers: string[] = [];

  constructor(options: InMemoryTransportOptions = {}) {
    this.options = options;
    this.nodeName = options.nodeName ?? '/attendseg';
    this.subscribers = { label: 1, overlay: 1, colorized: 1, confidence: 1, ...options.subscribers };
    this.cameraInfoSubscribers = options.cameraInfoSubscribers ?? 1;
    const entry = (level: LogEntry['level']) => (message: string) => this.logs.push({ level, message });
    this.log = { debug: entry('debug'), info: entry('info'), warn: entry('warn'), error: entry('error') };
  }

  declareParameters(specs: readonly ParamSpec[], onSet: SetParametersHandler): Record<string, ParamValue> {
    this.specs = new Map(specs.map((s) => [s.name, s]));
    const overrides = this.options.overrides ?? {};
    for (const name of Object.keys(overrides))
      if (!this.specs.has(name)) this.log.warn(`parameter override '${name}' names no parameter of this node; ignored`);
    const assignments = specs.map((s): ParamAssignment => {
      const o = overrides[s.name];
      if (o === undefined) return { name: s.name, type: s.type, value: s.default };
      if (typeof o === 'object') return o;
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

  inputTopic(kind: InputKind): string {
    return kind === 'image' ? 'image' : 'image/compressed';
  }

  subscribeImage(qos: QosSettings, serialized: boolean, onMessage: (m: InboundImage) => void): InputSubscription {
    this.qos.input = qos;
    this.input = { kind: 'image', serialized };
    this.imageHandler = onMessage;
    return this.opened('image', () => {
      this.input = null;
      this.imageHandler = null;
    });
  }

  subscribeCompressedImage(qos: QosSettings, serialized: boolean, onMessage: (m: InboundCompressedImage) => void): InputSubscription {
    this.qos.input = qos;
    this.input = { kind: 'compressed', serialized };
    this.compressedHandler = onMessage;
    return this.opened('image/compressed', () => {
      this.input = null;
      this.compressedHandler = null;
    });
  }

  subscribeCameraInfo(_qos: QosSettings, onMessage: (m: CameraInfoMessage) => void): InputSubscription {
    this.cameraInfoHandler = onMessage;
    return this.opened('camera_info', () => (this.cameraInfoHandler = null));
  }

  /** A message arriving on `image`. */
  deliverImage(m: InboundImage): void {
    if (!this.imageHandler) throw new Error('nothing subscribes image (not subscribed, or input_transport is not raw)');
    if (!this.closed) this.imageHandler(m);
  }

  /** A message arriving on `image/compressed`. */
  deliverCompressedImage(m: InboundCompressedImage): void {
    if (!this.compressedHandler) throw new Error('nothing subscribes image/compressed (not subscribed, or input_transport is not compressed)');
    if (!this.closed) this.compressedHandler(m);
  }

  /** A message arriving on `camera_info`. */
  deliverCameraInfo(m: CameraInfoMessage): void {
    if (!this.cameraInfoHandler) throw new Error('nothing subscribes camera_info');
    if (!this.closed) this.cameraInfoHandler(m);
  }

  advertiseCameraInfo(): CountedPublisher<CameraInfoMessage> {
    const close = this.releaser('camera_info');
    return { publish: (m) => (close.check(), this.cameraInfo.push(m)), subscriberCount: () => this.cameraInfoSubscribers, close };
  }

  advertiseImage(name: OutputName, qos: QosSettings): ImagePublisher {
    this.qos.outputs[name] = qos;
    const close = this.releaser(name);
    return {
      close,
      publish: (m) => {
        close.check();
        this.publishCounts[name]++;
        if (this.options.keepPublished ?? true) this.published[name].push(m);
      },
      subscriberCount: () => this.subscribers[name],
    };
  }

  advertiseLabelInfo(): MessagePublisher<LabelInfoMessage> | null {
    if (this.options.visionMsgs === false) {
      this.log.warn('vision_msgs is not installed: ~/label_info is not published');
      return null;
    }
    const close = this.releaser('label_info');
    return { publish: (m) => (close.check(), this.labelInfo.push(m)), close };
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

  private opened(topic: string, close: () => void): InputSubscription {
    this.subscriptionLog.push(`+${topic}`);
    let open = true;
    return {
      topic,
      close: () => {
        if (!open) return;
        open = false;
        close();
        this.subscriptionLog.push(`-${topic}`);
      },
    };
  }
}
