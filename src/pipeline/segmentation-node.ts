// The segmentation node over any Transport: parameters, the one model, and a CameraChannel per
// camera (outputs, input, label info, diagnostics), all on one engine. Everything here runs the
// same under ROS (src/ros) and in memory (tests, bench).
import * as path from 'path';

import { defaultModelPath } from '../engine/default-model';
import { Engine, EngineOptions } from '../engine/engine';
import { CameraChannel } from './camera-channel';
import { cameraTopics } from './camera-topics';
import type { EngineInfo } from './diagnostics';
import type { FramePipeline, FrameSettings } from './frame-pipeline';
import { FrameScheduler } from './frame-scheduler';
import type { LabelInfoMessage } from './messages';
import { loadPalette } from './palette';
import { ParamAssignment, PARAMS, ParamValue, Settings, settingsFrom, vetParameters } from './params';
import type { OutputName, QosSettings, Releasable, Transport } from './transport';

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
    readonly settings: Readonly<Settings>,
    /** One per camera, in the order of the `cameras` parameter; one with the node's own names without it. */
    readonly cameras: readonly CameraChannel[],
    private readonly owned: Releasable[],
  ) {}

  /** The frame path of the first camera (the only one without the `cameras` parameter). */
  get pipeline(): FramePipeline {
    return this.cameras[0].pipeline;
  }

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
    const topics = cameraTopics(settings.cameras, transport.nodeName);

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
    // publish nothing and count no subscriber, so no output wants frames and the inputs stay closed.
    let node: SegmentationNode | undefined;
    const owned: Releasable[] = [];
    const qos: QosSettings = { preset: settings.qos, depth: settings.qosDepth };
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
    const scheduler = new FrameScheduler();
    const cameras = topics.map(
      (t) =>
        new CameraChannel(t, {
          transport,
          engine,
          scheduler,
          frameSettings,
          qos,
          inputKind: settings.inputTransport === 'compressed' ? 'compressed' : 'image',
          serialized: settings.serializedIo,
          live: () => node?.active === true,
          // a node being released keeps its timers until the running frame is done, but takes no more frames
          taking: () => !node?.released,
          own: (r) => (owned.push(r), r),
        }),
    );
    node = new SegmentationNode(transport, engine, settings, cameras, owned);
    owned.push(transport.every(options.lazyInputPeriodMs ?? 500, () => node!.checkInputs()));

    const diagnostics = transport.advertiseDiagnostics();
    owned.push(diagnostics);
    const info: EngineInfo = { isa: engine.isa, threads: engine.threads, model: modelPath, networkWidth, networkHeight };
    owned.push(
      transport.every(options.diagnosticsPeriodMs ?? 1000, () => {
        if (!node!.active) return;
        diagnostics.publish({
          header: { stamp: transport.now(), frame_id: '' },
          status: cameras.map((c) => c.diagnostics(info)),
        });
      }),
    );
    const inputs = cameras.map((c) => c.inputTopic).join(', ');
    transport.log.info(
      `segmenting ${inputs} (${settings.inputTransport}, qos ${settings.qos}/${settings.qosDepth}; each subscribed while ` +
        `one of its outputs has a subscriber) with ` +
        `${path.basename(modelPath)}: ${engine.numClasses} classes, network ${networkWidth}x${networkHeight}, ` +
        `${engine.isa} x${engine.threads} threads`,
    );
    return node;
  }

  /** Publishes the label info and takes frames while an output has a subscriber. */
  activate(): void {
    if (this.released) throw new Error('the node has been released');
    this.active = true;
    const info = this.labelInfo();
    for (const c of this.cameras) c.publishLabelInfo(info);
    this.checkInputs();
  }

  /** Closes the inputs; a frame still running when this is called publishes nothing. */
  deactivate(): void {
    this.active = false;
    for (const c of this.cameras) c.input.close();
  }

  /**
   * Closes the inputs, lets the running frame finish (an active node publishes it), then releases
   * timers and publishers; the transport stays open (a managed node's services outlive cleanup).
   */
  release(): Promise<void> {
    if (!this.released) {
      for (const c of this.cameras) c.input.close();
      this.released = Promise.all(this.cameras.map((c) => c.pipeline.close())).then(() => {
        this.active = false;
        for (const r of this.owned) r.close();
      });
    }
    return this.released;
  }

  /** Resolves once no camera has a frame running or waiting. */
  async idle(): Promise<void> {
    while (this.cameras.some((c) => !c.pipeline.isIdle)) await Promise.all(this.cameras.map((c) => c.pipeline.idle()));
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

  /** Applies vetted changes of dynamic parameters, to every camera. */
  apply(changes: ParamAssignment[]): void {
    for (const c of changes)
      for (const { pipeline } of this.cameras) {
        if (c.name === 'overlay_alpha') pipeline.update({ overlayAlpha: c.value as number });
        const output = DYNAMIC_OUTPUT[c.name];
        if (output) pipeline.update({ enabled: { [output]: c.value as boolean } });
      }
    this.checkInputs(); // an output switched on or off may change whether frames are wanted
  }

  /** Opens or closes each camera's input to match what its outputs want now. */
  checkInputs(): void {
    for (const c of this.cameras) c.input.check();
  }
}
