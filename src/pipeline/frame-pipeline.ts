// One camera's frame path: its newest frame waits for the engine, older ones are dropped and
// counted (a slow engine never builds a backlog, and what is published is as fresh as possible);
// the shared FrameScheduler decides which camera's waiting frame runs next. Bad frames are
// counted, logged (throttled) with the reason and skipped; nothing an input does stops it.
import type { Engine } from '../engine/engine';
import type { NativeResult } from '../engine/native';
import { inboundFrame } from '../msg/segment-message';
import type { FrameGeometry } from './camera-info';
import type { FrameScheduler, SchedulerLane } from './frame-scheduler';
import type { ImageMessage, RosHeader } from './messages';
import { PipelineStats } from './stats';
import { Throttle } from './throttle';
import {
  ImagePublisher,
  InboundCompressedImage,
  InboundImage,
  Logger,
  OUTPUT_NAMES,
  OutputName,
} from './transport';

type InboundFrame = Awaited<ReturnType<typeof inboundFrame>>;

export type Inbound =
  | { kind: 'image'; message: InboundImage }
  | { kind: 'compressed'; message: InboundCompressedImage };

export interface FrameSettings {
  networkWidth: number;
  networkHeight: number;
  labelResolution: 'input' | 'network';
  overlayAlpha: number;
  palette: Uint8Array;
  /** Outputs switched on; each still runs only while it has a subscriber. */
  enabled: Record<OutputName, boolean>;
  /** Publish whole CDR messages written by the engine (true) or message objects. */
  serialized: boolean;
}

const LOG_PERIOD_MS = 5000;

export class FramePipeline implements SchedulerLane {
  readonly stats: PipelineStats;
  private running = false;
  private waiting: { input: Inbound; at: number } | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly throttle: Throttle;
  /** Called after each published frame (for ~/camera_info). */
  onPublished: ((frame: FrameGeometry) => void) | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly scheduler: FrameScheduler,
    private readonly outputs: Record<OutputName, ImagePublisher>,
    private settings: FrameSettings,
    private readonly log: Logger,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.stats = new PipelineStats(clock);
    this.throttle = new Throttle(LOG_PERIOD_MS, clock);
    scheduler.add(this);
  }

  get current(): Readonly<FrameSettings> {
    return this.settings;
  }

  /** Takes effect from the next frame that starts. */
  update(patch: Partial<Omit<FrameSettings, 'enabled'>> & { enabled?: Partial<Record<OutputName, boolean>> }): void {
    this.settings = { ...this.settings, ...patch, enabled: { ...this.settings.enabled, ...patch.enabled } };
  }

  submit(input: Inbound): void {
    if (this.closed) return;
    this.stats.onReceived();
    if (this.waiting) this.stats.dropped++;
    this.waiting = { input, at: this.clock() };
    this.scheduler.wake();
  }

  get isIdle(): boolean {
    return !this.running && !this.waiting;
  }

  /** Resolves once none of this camera's frames is running or waiting. */
  idle(): Promise<void> {
    if (!this.running && !this.waiting) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new frames, forgets the waiting one and lets the running one finish. */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting = null;
    if (!this.running) for (const w of this.idleWaiters.splice(0)) w();
    await this.idle();
  }

  startWaiting(): Promise<void> | null {
    const next = this.waiting;
    if (!next) return null;
    this.waiting = null;
    this.running = true;
    return this.process(next.input, next.at)
      .catch((e) => this.log.error(`frame pipeline: ${(e as Error).message}`)) // a bug must not stall the engine
      .then(() => {
        this.running = false;
        if (!this.waiting) for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  /** The outputs that are switched on and have a subscriber: frames are worth taking while any is. */
  wanted(): OutputName[] {
    return OUTPUT_NAMES.filter((n) => this.settings.enabled[n] && this.outputs[n].subscriberCount() > 0);
  }

  // Never throws: every failure is counted and logged here.
  private async process(input: Inbound, at: number): Promise<void> {
    const wanted = this.wanted();
    if (wanted.length === 0) {
      this.stats.skipped++;
      return;
    }
    const s = this.settings;
    let decoded: InboundFrame;
    let result: NativeResult;
    try {
      decoded = await inboundFrame(input);
      const options = {
        networkWidth: s.networkWidth,
        networkHeight: s.networkHeight,
        labelResolution: s.labelResolution,
        overlayAlpha: s.overlayAlpha,
        palette: s.palette,
        label: wanted.includes('label'),
        overlay: wanted.includes('overlay'),
        colorized: wanted.includes('colorized'),
        confidence: wanted.includes('confidence'),
      };
      result = s.serialized
        ? await this.engine.runCdr(decoded.frame, decoded.header, options)
        : await this.engine.run(decoded.frame, options);
    } catch (e) {
      const reason = (e as Error).message;
      this.stats.onRejected(reason);
      this.throttle.run('rejected', (n) =>
        this.log.warn(`frame rejected: ${reason}${n ? ` (${n} more rejected since the last report)` : ''}`),
      );
      return;
    }
    try {
      for (const name of wanted) this.outputs[name].publish(this.outbound(name, result, decoded.header, s.serialized));
      const t = result.timing;
      this.stats.onPublished(this.clock() - at, t.preprocessMs + t.networkMs + t.postprocessMs);
      this.onPublished?.(this.geometry(decoded, s));
    } catch (e) {
      this.throttle.run('publish', () => this.log.error(`publishing failed: ${(e as Error).message}`));
    }
  }

  private geometry(decoded: InboundFrame, s: FrameSettings): FrameGeometry {
    const { width, height } = decoded.frame;
    const network = s.labelResolution === 'network';
    return {
      header: decoded.header,
      imageWidth: width,
      imageHeight: height,
      width: network ? s.networkWidth : width,
      height: network ? s.networkHeight : height,
    };
  }

  private outbound(name: OutputName, r: NativeResult, header: RosHeader, serialized: boolean): Buffer | ImageMessage {
    const data = r[name];
    if (!data) throw new Error(`the engine returned no ${name} image`);
    if (serialized) return data;
    const [width, height] = name === 'overlay' ? [r.overlayWidth, r.overlayHeight] : [r.labelWidth, r.labelHeight];
    const channels = name === 'label' || name === 'confidence' ? 1 : 3;
    return {
      header,
      height,
      width,
      encoding: channels === 1 ? 'mono8' : 'rgb8',
      is_bigendian: 0,
      step: width * channels,
      data,
    };
  }
}
