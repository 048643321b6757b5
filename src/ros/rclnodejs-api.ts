// The part of rclnodejs 2.2's API that src/ros uses, with the signatures of its own typings
// (rclnodejs/types/*.d.ts). rclnodejs is an optional dependency: without ROS 2 its install
// script fails and npm removes it, so its typings cannot be a compile-time dependency of the
// package. test/ros/api-compat checks that the real typings still fit this subset wherever
// rclnodejs is installed.

/** rcl_interfaces/msg/ParameterType values (rclnodejs's ParameterType enum). */
export type ParameterType = number;

/**
 * A message type as {package, type: 'msg', name}: the one form of rclnodejs's TypeClass that its
 * typings accept for any package. Its string form is typed as the names of the messages generated
 * where rclnodejs was installed, which a plain `string` does not fit.
 */
export interface TypeClass {
  package: string;
  type: string;
  name: string;
}

/** The TypeClass of 'pkg/msg/Name'. */
export function typeClass(name: string): TypeClass {
  const parts = name.split('/');
  if (parts.length !== 3 || parts.some((p) => !p)) throw new Error(`'${name}' is not an interface name of the form pkg/msg/Name`);
  return { package: parts[0], type: parts[1], name: parts[2] };
}

export interface Logging {
  debug(message: string): boolean;
  info(message: string): boolean;
  warn(message: string): boolean;
  error(message: string): boolean;
  fatal(message: string): boolean;
}

export interface Time {
  toMsg(): { sec: number; nanosec: number };
}

export interface Timer {
  cancel(): void;
}

/** An rmw QoS profile; history, reliability and durability are rmw policy values (see qos.ts). */
export interface QoS {
  history: number;
  depth: number;
  durability: number;
}

export interface Options {
  enableTypedArray?: boolean;
  /** Deliver messages as serialized CDR Buffers. */
  isRaw?: boolean;
  /** A QoS object or the name of one of rclnodejs's profiles ('qos_profile_sensor_data'). */
  qos?: QoS | string;
}

export type SubscriptionCallback = (message: object) => void;
export type SubscriptionWithRawMessageCallback = (message: Buffer) => void;

export interface Subscription {
  readonly topic: string;
  publisherCount(): number;
}

export interface Publisher {
  readonly topic: string;
  /** A Buffer is published as serialized CDR. */
  publish(message: object | Buffer): void;
  subscriptionCount(): number;
}

export interface Range {
  readonly fromValue: number;
  readonly toValue: number;
  readonly step: number;
  inRange(value: number): boolean;
  isValidType(parameterType: ParameterType): boolean;
}

export interface Parameter {
  readonly name: string;
  readonly type: ParameterType;
  value: unknown;
  validate(): void;
}

export interface ParameterDescriptor {
  readonly name: string;
  readonly type: ParameterType;
  readonly description: string;
  readonly readOnly: boolean;
  additionalConstraints: string;
  hasRange(): boolean;
  validate(): void;
  validateParameter(parameter: Parameter): void;
  toMessage(): object;
}

export interface NodeOptions {
  enableRosout: boolean;
}

export interface SetParametersResult {
  successful: boolean;
  reason: string;
}

export type SetParametersCallback = (parameters: Parameter[]) => SetParametersResult;

export interface Node {
  getLogger(): Logging;
  now(): Time;
  spin(timeout?: number): void;
  destroy(): void;
  getFullyQualifiedName(): string;
  resolveTopicName(topicName: string, onlyExpand?: boolean): string;
  countPublishers(topic: string): number;
  countSubscribers(topic: string): number;
  /** `period` in nanoseconds. */
  createTimer(period: bigint, callback: () => void): Timer;
  createPublisher(typeClass: TypeClass, topic: string, options?: Options): Publisher;
  createSubscription(
    typeClass: TypeClass,
    topic: string,
    options: Options,
    callback: SubscriptionCallback | SubscriptionWithRawMessageCallback,
  ): Subscription;
  destroySubscription(subscription: Subscription): void;
  destroyPublisher(publisher: Publisher): void;
  destroyTimer(timer: Timer): void;
  declareParameters(parameters: Parameter[], descriptors?: ParameterDescriptor[], ignoreOverrides?: boolean): Parameter[];
  hasParameter(name: string): boolean;
  getParameters(names?: string[]): Parameter[];
  setParameters(parameters: Parameter[]): SetParametersResult[];
  addOnSetParametersCallback(callback: SetParametersCallback): void;
}

/** A lifecycle transition callback; returns lifecycle_msgs/Transition's TRANSITION_CALLBACK_* value. */
export type TransitionCallback = (previousState: object) => number;

/** rclnodejs's managed node: rcl's lifecycle state machine and its services (change_state, get_state, ...). */
export interface LifecycleNode extends Node {
  registerOnConfigure(cb: TransitionCallback): void;
  registerOnActivate(cb: TransitionCallback): void;
  registerOnDeactivate(cb: TransitionCallback): void;
  registerOnCleanup(cb: TransitionCallback): void;
  registerOnShutdown(cb: TransitionCallback): void;
  registerOnError(cb: TransitionCallback): void;
}

/**
 * The rclnodejs module. `O` is its NodeOptions class, which the Node constructor takes as it is
 * (test/ros/api-compat checks the module with its own NodeOptions).
 */
export interface Rclnodejs<O extends NodeOptions = NodeOptions> {
  /** Reads --ros-args from process.argv. */
  init(): Promise<void>;
  shutdown(): void;
  isShutdown(): boolean;
  removeSignalHandlers(): void;
  /** The generated class of an interface ('pkg/msg/Name'); throws for one rclnodejs has not generated. */
  require(name: string): object;
  /** `args`: node-local --ros-args (rclnodejs's Node takes them; its typings do not declare them). */
  Node: new (nodeName: string, namespace?: string, context?: undefined, options?: O, args?: string[]) => Node;
  NodeOptions: new () => O;
  lifecycle: {
    LifecycleNode: new (
      nodeName: string,
      namespace?: string,
      context?: undefined,
      options?: O,
      enableCommunicationInterface?: boolean,
    ) => LifecycleNode;
  };
  QoS: new (history?: number, depth?: number, reliability?: number, durability?: number) => QoS;
  Parameter: new (name: string, type: ParameterType, value?: unknown) => Parameter;
  ParameterDescriptor: new (
    name: string,
    type: ParameterType,
    description?: string,
    readOnly?: boolean,
    range?: Range,
  ) => ParameterDescriptor;
  IntegerRange: new (from: bigint, to: bigint, step?: bigint) => Range;
  FloatingPointRange: new (from: number, to: number, step?: number, tolerance?: number) => Range;
}
