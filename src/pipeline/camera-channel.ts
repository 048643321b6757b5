// One camera of the node: its outputs, its frame path (its own newest-frame slot and counters, on
// the node's shared engine), its camera_info pairing, its label info and its lazy input. The node
// has one of these per camera; without the `cameras` parameter, one with the node's own names.
import { CameraInfoMatcher } from './camera-info';
import type { CameraTopics } from './camera-topics';
import { diagnosticStatus, EngineInfo } from './diagnostics';
import { FramePipeline, FrameSettings } from './frame-pipeline';
import type { FrameScheduler } from './frame-scheduler';
import { LazyInput } from './lazy-input';
import type { DiagnosticStatusMessage, LabelInfoMessage } from './messages';
import { Throttle } from './throttle';
import {
  ImagePublisher,
  InputKind,
  InputSubscription,
  Logger,
  MessagePublisher,
  OUTPUT_NAMES,
  OutputName,
  QosSettings,
  Releasable,
  Transport,
} from './transport';
import type { Engine } from '../engine/engine';

/** What the cameras of one node share. */
export interface ChannelContext {
  transport: Transport;
  engine: Engine;
  scheduler: FrameScheduler;
  frameSettings: FrameSettings;
  qos: QosSettings;
  inputKind: InputKind;
  serialized: boolean;
  /** Whether the node is active: publishers publish and count subscribers only then (as rclcpp's lifecycle publishers). */
  live: () => boolean;
  /** Whether the node still takes frames (false once it is being released). */
  taking: () => boolean;
  /** Registers what the node releases on cleanup. */
  own: <R extends Releasable>(r: R) => R;
}

function prefixed(log: Logger, prefix: string): Logger {
  return {
    debug: (m) => log.debug(prefix + m),
    info: (m) => log.info(prefix + m),
    warn: (m) => log.warn(prefix + m),
    error: (m) => log.error(prefix + m),
  };
}

export class CameraChannel {
  readonly pipeline: FramePipeline;
  readonly input: LazyInput;
  /** The resolved input topic. */
  readonly inputTopic: string;
  private readonly labelInfoPublisher: MessagePublisher<LabelInfoMessage> | null;

  constructor(
    readonly topics: CameraTopics,
    private readonly c: ChannelContext,
  ) {
    const { transport: t, qos, live, own } = c;
    // with several cameras, what one camera logs names it
    const log: Logger = topics.camera ? prefixed(t.log, `camera ${topics.camera}: `) : t.log;
    const outputs = {} as Record<OutputName, ImagePublisher>;
    for (const name of OUTPUT_NAMES) {
      const pub = own(t.advertiseImage(topics.output(name), qos, c.serialized));
      outputs[name] = {
        publish: (m) => {
          if (live()) pub.publish(m);
        },
        subscriberCount: () => (live() ? pub.subscriberCount() : 0),
        close: () => pub.close(),
      };
    }
    this.pipeline = new FramePipeline(c.engine, c.scheduler, outputs, c.frameSettings, log);

    const cameraInfo = own(t.advertiseCameraInfo(topics.output('camera_info'), qos));
    const throttle = new Throttle(5000);
    const matcher = new CameraInfoMatcher(
      (m) => cameraInfo.publish(m),
      (why) => throttle.run('camera_info', () => log.warn(`camera_info not republished: ${why}`)),
    );
    this.pipeline.onPublished = (frame) => {
      if (live() && cameraInfo.subscriberCount() > 0) matcher.onFrame(frame);
    };
    this.inputTopic = t.inputTopic(topics.image, c.inputKind);
    const subscribe = (): InputSubscription[] => [
      c.inputKind === 'compressed'
        ? t.subscribeCompressedImage(topics.image, qos, c.serialized, (m) => this.pipeline.submit({ kind: 'compressed', message: m }))
        : t.subscribeImage(topics.image, qos, c.serialized, (m) => this.pipeline.submit({ kind: 'image', message: m })),
      t.subscribeCameraInfo(topics.image, qos, (m) => matcher.onCameraInfo(m)),
    ];
    // only this camera's outputs decide whether this camera's input is open
    this.input = new LazyInput(() => c.taking() && this.pipeline.wanted().length > 0, subscribe, log);
    const labelInfo = t.advertiseLabelInfo(topics.output('label_info'));
    this.labelInfoPublisher = labelInfo ? own(labelInfo) : null;
  }

  /** Publishes the (latched) label info. */
  publishLabelInfo(message: LabelInfoMessage): void {
    this.labelInfoPublisher?.publish(message);
  }

  diagnostics(info: EngineInfo): DiagnosticStatusMessage {
    return diagnosticStatus(this.c.transport.nodeName, this.topics.camera, this.inputTopic, this.pipeline.stats.snapshot(), info);
  }
}
