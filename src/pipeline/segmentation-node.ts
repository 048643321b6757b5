// The segmentation node over any Transport: parameters, model, outputs, input, label info and
// diagnostics. Everything here runs the same under ROS (src/ros) and in memory (tests, bench).
import * as path from 'path';

import { defaultModelPath } from '../engine/default-model';
import { Engine, EngineOptions } from '../engine/engine';
import { CameraInfoMatcher } from './camera-info';
import { diagnosticStatus, EngineInfo } from './diagnostics';
import { FramePipeline, FrameSettings } from './frame-pipeline';
import type { LabelInfoMessage } from './messages';
import { LazyInput } from './lazy-input';
import { loadPalette } from './palette';
import { ParamAssignment, PARAMS, ParamValue, Settings, settingsFrom, vetParameters } from './params';
import { Throttle } from './throttle';
import {
  ImagePublisher,
  InputSubscription,
  MessagePublisher,
  OUTPUT_NAMES,
  OutputName,
  QosSettings,
  Releasable,
  Transport,
} from './transport';

export interface SegmentationNodeOptions {
  /** Loads the model; default Engine.fromFile. */
  loadEngine?: (modelPath: string, options: EngineOptions) => Engine;
  /** /diagnostics period; default 1000 ms (1 Hz). */
  diagnosticsPeriodMs?: number;
  /** How often the outputs' subscriber counts are looked at to open or close the input; default 500 ms. */
  lazyInputPeriodMs?: number;
}

const DYNAMIC_OUTPUT: Record<string, OutputName> = {
  publish_label: 'label',
  publish_overlay: 'overlay',
  publish_colorized: 'colorized',
  publish_confidence: 'confidence',
};

function loadModel(file: string, options: EngineOptions, load: (f: string, o: EngineOptions) => Engine): Engine {
  try {
    return load(file, options);
  } catch (e) {
    const why = (e as Error).message;
    throw new Error(why.includes(file) ? why : `model ${file}: ${why}`);
  }
}

export class SegmentationNode {
  private active = false;
  private released: Promise<void> | null = null;

  private constructor(
    readonly transport: Transport,
    readonly engine: Engine,
    readonly pipeline: FramePipeline,
    readonly settings: Readonly<Settings>,
    readonly inputTopic: string,
    readonly input: LazyInput,
    private readonly owned: Releasable[],
    private readonly labelInfoPublisher: MessagePublisher<LabelInfoMessage> | null,
  ) {}

  /** The plain node: declares parameters, loads the model and starts listening; throws with the reason if it cannot. */
  static start(transport: Transport, options: SegmentationNodeOptions = {}): SegmentationNode {
    let node: SegmentationNode | undefined;
    const values = transport.declareParameters(PARAMS, (changes, declaring) => {
      const r = vetParameters(changes, declaring);
      if (r.successful && !declaring && node) node.apply(changes);
      return r;
    });
    node = SegmentationNode.configure(transport, values, options);
    node.activate();
    return node;
  }

  /**
   * Loads the model and advertises the outputs from already declared parameter values; the node
   * is inactive (publishes nothing, subscribes nothing) until activate(). Throws with the reason.
   */
  static configure(transport: Transport, values: Record<string, ParamValue>, options: SegmentationNodeOptions = {}): SegmentationNode {
    const settings = settingsFrom(values);

    const modelPath = settings.modelPath ? path.resolve(settings.modelPath) : defaultModelPath();
    const engine = loadModel(
      modelPath,
      { threads: settings.threads, maxActivationMb: settings.maxActivationMb },
      options.loadEngine ?? ((f, o) => Engine.fromFile(f, o)),
    );
    const meta = engine.metadata;
    const networkWidth = settings.networkWidth || meta.inputWidth;
    const networkHeight = settings.networkHeight || meta.inputHeight;
    try {
      engine.macs(networkHeight, networkWidth); // plans the network now: a size it cannot run fails here, not per frame
    } catch (e) {
      throw new Error(`network size ${networkWidth}x${networkHeight}: ${(e as Error).message}`);
    }
    const palette = settings.palette ? loadPalette(path.resolve(settings.palette), engine.numClasses) : meta.palette;

    // Publishers are gated as rclcpp's lifecycle publishers are: while the node is inactive they
    // publish nothing and count no subscriber, so no output wants frames and the input stays closed.
    let node: SegmentationNode | undefined;
    const live = () => node?.active === true;
    const owned: Releasable[] = [];
    const own = <P extends Releasable>(p: P): P => (owned.push(p), p);

    const qos: QosSettings = { preset: settings.qos, depth: settings.qosDepth };
    const outputs = {} as Record<OutputName, ImagePublisher>;
    for (const name of OUTPUT_NAMES) {
      const pub = own(transport.advertiseImage(name, qos, settings.serializedIo));
      outputs[name] = {
        publish: (m) => {
          if (live()) pub.publish(m);
        },
        subscriberCount: () => (live() ? pub.subscriberCount() : 0),
        close: () => pub.close(),
      };
    }
    const frameSettings: FrameSettings = {
      networkWidth,
      networkHeight,
      labelResolution: settings.labelResolution,
      overlayAlpha: settings.overlayAlpha,
      palette,
      enabled: {
        label: settings.publishLabel,
        overlay: settings.publishOverlay,
        colorized: settings.publishColorized,
        confidence: settings.publishConfidence,
      },
      serialized: settings.serializedIo,
    };
    const pipeline = new FramePipeline(engine, outputs, frameSettings, transport.log);

    const cameraInfo = own(transport.advertiseCameraInfo(qos));
    const throttle = new Throttle(5000);
    const matcher = new CameraInfoMatcher(
      (m) => cameraInfo.publish(m),
      (why) => throttle.run('camera_info', () => transport.log.warn(`camera_info not republished: ${why}`)),
    );
    pipeline.onPublished = (frame) => {
      if (live() && cameraInfo.subscriberCount() > 0) matcher.onFrame(frame);
    };
    const kind = settings.inputTransport === 'compressed' ? 'compressed' : 'image';
    const inputTopic = transport.inputTopic(kind);
    const subscribe = (): InputSubscription[] => [
      kind === 'compressed'
        ? transport.subscribeCompressedImage(qos, settings.serializedIo, (m) => pipeline.submit({ kind: 'compressed', message: m }))
        : transport.subscribeImage(qos, settings.serializedIo, (m) => pipeline.submit({ kind: 'image', message: m })),
      transport.subscribeCameraInfo(qos, (m) => matcher.onCameraInfo(m)),
    ];
    // a node being released keeps its timers until the running frame is done, but takes no more frames
    const input = new LazyInput(() => !node?.released && pipeline.wanted().length > 0, subscribe, transport.log);
    const labelInfo = transport.advertiseLabelInfo();
    if (labelInfo) own(labelInfo);
    node = new SegmentationNode(transport, engine, pipeline, settings, inputTopic, input, owned, labelInfo);
    own(transport.every(options.lazyInputPeriodMs ?? 500, () => input.check()));

    const diagnostics = own(transport.advertiseDiagnostics());
    const info: EngineInfo = { isa: engine.isa, threads: engine.threads, model: modelPath, networkWidth, networkHeight };
    own(
      transport.every(options.diagnosticsPeriodMs ?? 1000, () => {
        if (!live()) return;
        diagnostics.publish({
          header: { stamp: transport.now(), frame_id: '' },
          status: [diagnosticStatus(transport.nodeName, pipeline.stats.snapshot(), info)],
        });
      }),
    );
    transport.log.info(
      `segmenting ${inputTopic} (${settings.inputTransport}, qos ${settings.qos}/${settings.qosDepth}; subscribed while an ` +
        `output has a subscriber) with ` +
        `${path.basename(modelPath)}: ${engine.numClasses} classes, network ${networkWidth}x${networkHeight}, ` +
        `${engine.isa} x${engine.threads} threads`,
    );
    return node;
  }

  /** Publishes ~/label_info and takes frames while an output has a subscriber. */
  activate(): void {
    if (this.released) throw new Error('the node has been released');
    this.active = true;
    this.labelInfoPublisher?.publish(this.labelInfo());
    this.input.check();
  }

  /** Closes the input; a frame still running when this is called publishes nothing. */
  deactivate(): void {
    this.active = false;
    this.input.close();
  }

  /**
   * Closes the input, lets the running frame finish (an active node publishes it), then releases
   * timers and publishers; the transport stays open (a managed node's services outlive cleanup).
   */
  release(): Promise<void> {
    if (!this.released) {
      this.input.close();
      this.released = this.pipeline.close().then(() => {
        this.active = false;
        for (const r of this.owned) r.close();
      });
    }
    return this.released;
  }

  labelInfo(): LabelInfoMessage {
    return {
      header: { stamp: this.transport.now(), frame_id: '' },
      class_map: this.engine.metadata.classNames.map((class_name, class_id) => ({ class_id, class_name })),
      threshold: 0,
    };
  }

  /** Stops taking frames, finishes the one running, releases the transport. */
  async close(): Promise<void> {
    await this.release();
    this.transport.close();
  }

  /** Applies vetted changes of dynamic parameters. */
  apply(changes: ParamAssignment[]): void {
    for (const c of changes) {
      if (c.name === 'overlay_alpha') this.pipeline.update({ overlayAlpha: c.value as number });
      const output = DYNAMIC_OUTPUT[c.name];
      if (output) this.pipeline.update({ enabled: { [output]: c.value as boolean } });
    }
    this.input.check(); // an output switched on or off may change whether frames are wanted
  }
}
