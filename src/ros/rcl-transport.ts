// The Transport on a real ROS 2 graph, through rclnodejs. With `serialized`, images cross
// rclnodejs as CDR Buffers (raw subscriptions, pre-serialized publishing): rclnodejs then never
// converts a large image field by field in JavaScript.
import type { ParamSpec, ParamValue } from '../pipeline/params';
import type { CameraInfoMessage, DiagnosticArrayMessage, LabelInfoMessage, RosHeader } from '../pipeline/messages';
import type {
  CountedPublisher,
  ImagePublisher,
  InboundCompressedImage,
  InboundImage,
  InputKind,
  InputSubscription,
  Logger,
  MessagePublisher,
  QosSettings,
  Releasable,
  SetParametersHandler,
  Transport,
} from '../pipeline/transport';
import type { Rclnodejs } from './load-rclnodejs';
import { DIAGNOSTICS_QOS, LABEL_INFO_QOS, QosPolicies, qosPolicies } from './qos';
import { typeClass } from './rclnodejs-api';
import type * as Rcl from './rclnodejs-api';
import { declareRosParameters } from './ros-parameters';
import { startupParameters } from './startup-parameters';

// Message types as {package, type, name}: typed the same whether or not rclnodejs generated
// typings for the package (vision_msgs may be installed after it).
const IMAGE = typeClass('sensor_msgs/msg/Image');
const COMPRESSED_IMAGE = typeClass('sensor_msgs/msg/CompressedImage');
const CAMERA_INFO = typeClass('sensor_msgs/msg/CameraInfo');
const LABEL_INFO = typeClass('vision_msgs/msg/LabelInfo');
const DIAGNOSTIC_ARRAY = typeClass('diagnostic_msgs/msg/DiagnosticArray');

// rclnodejs 2.2's typings declare these counts as methods; its code defines them as getters.
function count(entity: object, name: 'subscriptionCount' | 'publisherCount'): number {
  const v = (entity as Record<string, unknown>)[name];
  return typeof v === 'function' ? (v as () => number).call(entity) : Number(v);
}

/** image_transport's camera_info beside a resolved image topic: /camera/image_raw -> /camera/camera_info. */
export function cameraInfoBeside(image: string): string {
  return `${image.slice(0, image.lastIndexOf('/'))}/camera_info`;
}

export interface WatchedEndpoint {
  kind: 'input' | 'output';
  topic: string;
  qos: QosSettings;
  matched: () => number;
}

export class RclTransport implements Transport {
  readonly log: Logger;
  /** Endpoints whose QoS matching is checked (see qos-watch.ts). */
  readonly endpoints: WatchedEndpoint[] = [];
  private readonly timers: Rcl.Timer[] = [];
  /** Whether rclnodejs knows vision_msgs/LabelInfo; looked up (and warned about) once. */
  private labelInfoKnown: boolean | undefined;

  constructor(
    private readonly rcl: Rclnodejs,
    readonly node: Rcl.Node,
  ) {
    const l = node.getLogger();
    this.log = {
      debug: (m) => void l.debug(m),
      info: (m) => void l.info(m),
      warn: (m) => void l.warn(m),
      error: (m) => void l.error(m),
    };
  }

  get nodeName(): string {
    return this.node.getFullyQualifiedName();
  }

  declareParameters(specs: readonly ParamSpec[], onSet: SetParametersHandler): Record<string, ParamValue> {
    return declareRosParameters(this.rcl, this.node, specs, onSet, this.log, startupParameters(process.argv, this.nodeName));
  }

  inputTopic(image: string, kind: InputKind): string {
    // image_transport's naming: the compressed stream of base topic `image` (after remapping) is
    // <image>/compressed, so remapping `image` moves both
    const resolved = this.node.resolveTopicName(image);
    return kind === 'image' ? resolved : `${resolved}/compressed`;
  }

  subscribeImage(image: string, qos: QosSettings, serialized: boolean, onMessage: (m: InboundImage) => void): InputSubscription {
    return this.subscribe(IMAGE, this.inputTopic(image, 'image'), qos, serialized, onMessage as (m: unknown) => void);
  }

  subscribeCompressedImage(
    image: string,
    qos: QosSettings,
    serialized: boolean,
    onMessage: (m: InboundCompressedImage) => void,
  ): InputSubscription {
    return this.subscribe(COMPRESSED_IMAGE, this.inputTopic(image, 'compressed'), qos, serialized, onMessage as (m: unknown) => void);
  }

  subscribeCameraInfo(image: string, qos: QosSettings, onMessage: (m: CameraInfoMessage) => void): InputSubscription {
    return this.subscribe(CAMERA_INFO, cameraInfoBeside(this.node.resolveTopicName(image)), qos, false, onMessage as (m: unknown) => void);
  }

  advertiseCameraInfo(topic: string, qos: QosSettings): CountedPublisher<CameraInfoMessage> {
    const pub = this.node.createPublisher(CAMERA_INFO, topic, { qos: this.qos(qosPolicies(qos)) });
    this.endpoints.push({ kind: 'output', topic: pub.topic, qos, matched: () => count(pub, 'subscriptionCount') });
    return { publish: (m) => pub.publish(m), subscriberCount: () => count(pub, 'subscriptionCount'), close: this.releaser(pub) };
  }

  advertiseImage(topic: string, qos: QosSettings, serialized: boolean): ImagePublisher {
    const pub = this.node.createPublisher(IMAGE, topic, { qos: this.qos(qosPolicies(qos)) });
    this.endpoints.push({ kind: 'output', topic: pub.topic, qos, matched: () => count(pub, 'subscriptionCount') });
    return {
      // a Buffer is published as is (rcl_publish_serialized_message); objects are converted by rclnodejs
      publish: serialized
        ? (m) => pub.publish(m as Buffer)
        : (m) => pub.publish(m),
      subscriberCount: () => count(pub, 'subscriptionCount'),
      close: this.releaser(pub),
    };
  }

  advertiseLabelInfo(topic: string): MessagePublisher<LabelInfoMessage> | null {
    if (this.labelInfoKnown === undefined) {
      try {
        this.rcl.require(`${LABEL_INFO.package}/${LABEL_INFO.type}/${LABEL_INFO.name}`);
        this.labelInfoKnown = true;
      } catch {
        // rclnodejs generates message code at `npm ci` and does not pick up ROS packages installed
        // later, so an installed vision_msgs can be missing here too
        this.log.warn(
          'vision_msgs/LabelInfo is unknown to rclnodejs: ~/label_info is not published. Install ' +
            'ros-$ROS_DISTRO-vision-msgs, then run "npx generate-ros-messages" in the source folder and rebuild',
        );
        this.labelInfoKnown = false;
      }
    }
    if (!this.labelInfoKnown) return null;
    const pub = this.node.createPublisher(LABEL_INFO, topic, { qos: this.qos(LABEL_INFO_QOS) });
    return { publish: (m) => pub.publish(m), close: this.releaser(pub) };
  }

  advertiseDiagnostics(): MessagePublisher<DiagnosticArrayMessage> {
    const pub = this.node.createPublisher(DIAGNOSTIC_ARRAY, '/diagnostics', { qos: this.qos(DIAGNOSTICS_QOS) });
    return { publish: (m) => pub.publish(m), close: this.releaser(pub) };
  }

  every(periodMs: number, fn: () => void): Releasable {
    const timer = this.node.createTimer(BigInt(Math.round(periodMs * 1e6)), () => {
      try {
        fn();
      } catch (e) {
        this.log.error(`timer: ${(e as Error).message}`);
      }
    });
    this.timers.push(timer);
    let open = true;
    return {
      close: () => {
        if (!open) return;
        open = false;
        this.timers.splice(this.timers.indexOf(timer), 1);
        this.node.destroyTimer(timer);
      },
    };
  }

  // Lifecycle cleanup destroys publishers; the QoS watch then stops looking at them.
  private releaser(pub: Rcl.Publisher): () => void {
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      const i = this.endpoints.findIndex((e) => e.kind === 'output' && e.topic === pub.topic);
      if (i >= 0) this.endpoints.splice(i, 1);
      this.node.destroyPublisher(pub);
    };
  }

  now(): RosHeader['stamp'] {
    return this.node.now().toMsg();
  }

  close(): void {
    for (const t of this.timers) t.cancel();
    this.node.destroy();
  }

  private qos(p: QosPolicies): Rcl.QoS {
    return new this.rcl.QoS(p.history, p.depth, p.reliability, p.durability);
  }

  private subscribe(
    type: Rcl.TypeClass,
    topic: string,
    qos: QosSettings,
    serialized: boolean,
    onMessage: (m: unknown) => void,
  ): InputSubscription {
    const sub = this.node.createSubscription(
      type,
      topic,
      { qos: this.qos(qosPolicies(qos)), isRaw: serialized, enableTypedArray: true },
      (m: unknown) => onMessage(m),
    );
    const endpoint: WatchedEndpoint = { kind: 'input', topic: sub.topic, qos, matched: () => count(sub, 'publisherCount') };
    this.endpoints.push(endpoint);
    let open = true;
    return {
      topic: sub.topic,
      close: () => {
        if (!open) return;
        open = false;
        this.endpoints.splice(this.endpoints.indexOf(endpoint), 1);
        this.node.destroySubscription(sub);
      },
    };
  }
}
