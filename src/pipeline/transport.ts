// The small interface between the segmentation node and the middleware. src/ros implements it
// with rclnodejs; InMemoryTransport implements it for tests and benchmarks without ROS.
import type { ParamAssignment, ParamSpec, ParamValue, SetResult } from './params';
import type {
  CameraInfoMessage,
  CompressedImageMessage,
  DiagnosticArrayMessage,
  ImageMessage,
  LabelInfoMessage,
  RosHeader,
} from './messages';

export type OutputName = 'label' | 'overlay' | 'colorized' | 'confidence';
export const OUTPUT_NAMES: readonly OutputName[] = ['label', 'overlay', 'colorized', 'confidence'];

export type QosPreset = 'sensor_data' | 'default' | 'reliable' | 'best_effort';
export interface QosSettings {
  preset: QosPreset;
  depth: number;
}

/**
 * Serialized transports move whole CDR messages as Buffers (the fast path); the others move
 * message objects.
 */
export type InboundImage = Buffer | ImageMessage;
export type InboundCompressedImage = Buffer | CompressedImageMessage;
export type OutboundImage = Buffer | ImageMessage;

/** A timer or publisher the node can release before the transport closes (lifecycle cleanup). */
export interface Releasable {
  close(): void;
}

export interface ImagePublisher extends Releasable {
  publish(message: OutboundImage): void;
  /** Subscribers that can receive what this publisher sends (QoS-compatible ones). */
  subscriberCount(): number;
}

export interface MessagePublisher<T> extends Releasable {
  publish(message: T): void;
}

/** A publisher whose messages are only worth making while someone subscribes. */
export interface CountedPublisher<T> extends MessagePublisher<T> {
  subscriberCount(): number;
}

/** An open subscription; close() unsubscribes (the middleware stops delivering at once). */
export interface InputSubscription {
  /** The resolved topic name. */
  readonly topic: string;
  close(): void;
}

export type InputKind = 'image' | 'compressed';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * Called for parameter declarations (`declaring`: values from the command line or a params file)
 * and for run-time changes; a refusal's reason goes back to whoever asked for the change.
 */
export type SetParametersHandler = (changes: ParamAssignment[], declaring: boolean) => SetResult;

export interface Transport {
  /** Fully qualified node name, e.g. /robot/attendseg. */
  readonly nodeName: string;
  readonly log: Logger;
  /** Declares every parameter, applying start-up overrides; throws with the handler's reason. */
  declareParameters(specs: readonly ParamSpec[], onSet: SetParametersHandler): Record<string, ParamValue>;
  /**
   * The resolved name of the input topic of that kind for the base image topic `image` (as the
   * node names it, e.g. `image` or `front/image_raw`): `<image>` or `<image>/compressed`.
   */
  inputTopic(image: string, kind: InputKind): string;
  /** Subscribes `<image>` (sensor_msgs/Image). */
  subscribeImage(image: string, qos: QosSettings, serialized: boolean, onMessage: (m: InboundImage) => void): InputSubscription;
  /** Subscribes `<image>/compressed` (sensor_msgs/CompressedImage). */
  subscribeCompressedImage(
    image: string,
    qos: QosSettings,
    serialized: boolean,
    onMessage: (m: InboundCompressedImage) => void,
  ): InputSubscription;
  /** Subscribes the `camera_info` beside `<image>` (image_transport's naming: <image's namespace>/camera_info). */
  subscribeCameraInfo(image: string, qos: QosSettings, onMessage: (m: CameraInfoMessage) => void): InputSubscription;
  /** sensor_msgs/CameraInfo on `topic` (`~/camera_info`, `front/attendseg/camera_info`). */
  advertiseCameraInfo(topic: string, qos: QosSettings): CountedPublisher<CameraInfoMessage>;
  /** sensor_msgs/Image on `topic` (`~/label`, `front/attendseg/label`). */
  advertiseImage(topic: string, qos: QosSettings, serialized: boolean): ImagePublisher;
  /** vision_msgs/LabelInfo on `topic`, transient local, depth 1; null (after one warning per transport) where vision_msgs is missing. */
  advertiseLabelInfo(topic: string): MessagePublisher<LabelInfoMessage> | null;
  /** `/diagnostics`. */
  advertiseDiagnostics(): MessagePublisher<DiagnosticArrayMessage>;
  /** Calls `fn` every `periodMs` until the returned timer or the transport is closed. */
  every(periodMs: number, fn: () => void): Releasable;
  /** The node's clock (ROS time), for stamps of messages the node originates. */
  now(): RosHeader['stamp'];
  /** Stops timers and subscriptions and releases the middleware's resources. */
  close(): void;
}
