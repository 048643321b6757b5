// The engine's public TypeScript API: load an ONNX QDQ model, then segment frames natively.
import * as fs from 'fs';

import { importOnnx } from './onnx';
import { loadAddon, NativeEngine, NativeFrame, NativeResult, NetworkOutput, RosHeader } from './native';
import { paramDefault } from '../pipeline/params';
import type { ModelMetadata } from './spec';

export interface EngineOptions {
  /** Worker threads, caller included; 0: all online cores. Default: the node's `threads`. */
  threads?: number;
  /** Kernel set: 'auto' (default), 'scalar', 'avx2', 'avxvnni', 'avx512vnni', 'neon', 'neon_dotprod'. */
  isa?: string;
  /**
   * Activation memory (MiB) one network input size may plan, arena and scratch together; a model
   * or size past it is an error naming the largest tensor when the plan is built. 0: no limit.
   * Default: the node's `max_activation_mb`.
   */
  maxActivationMb?: number;
}

export type Frame = NativeFrame;

export interface SegmentOptions {
  /** Network input size; defaults to the model's metadata. */
  networkWidth?: number;
  networkHeight?: number;
  /** Label map (and colorized image) at the input image's resolution or the network's (default: the node's `label_resolution`). */
  labelResolution?: 'input' | 'network';
  label?: boolean;
  colorized?: boolean;
  overlay?: boolean;
  /** Weight of the class colour in the overlay, 0..1 (default: the node's `overlay_alpha`). */
  overlayAlpha?: number;
  /**
   * A mono8 map at the label's size (default false): per pixel, the winning class's softmax
   * probability over the network's dequantized output x 255, rounded (in integers, within 1 of
   * the float softmax; kernels.h ArgmaxArgs). Computed with the argmax; nothing when off.
   */
  confidence?: boolean;
  /** rgb triplets; defaults to the model's palette. */
  palette?: Uint8Array;
}

export type SegmentationResult = NativeResult;

export class Engine {
  private constructor(
    private readonly native: NativeEngine,
    readonly metadata: ModelMetadata,
  ) {}

  /** Reads, checks and prepares a model file. Throws with the reason if it cannot be used. */
  static fromFile(modelPath: string, options: EngineOptions = {}): Engine {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(modelPath);
    } catch (e) {
      throw new Error(`cannot read model file ${modelPath}: ${(e as Error).message}`);
    }
    return Engine.fromBytes(bytes, options);
  }

  static fromBytes(bytes: Uint8Array, options: EngineOptions = {}): Engine {
    const { spec, metadata } = importOnnx(bytes);
    const addon = loadAddon();
    const native = new addon.NativeEngine(spec, {
      threads: options.threads ?? paramDefault<number>('threads'),
      isa: options.isa ?? 'auto',
      maxActivationMb: options.maxActivationMb ?? paramDefault<number>('max_activation_mb'),
    });
    return new Engine(native, metadata);
  }

  /** Segments one frame on a worker thread. */
  run(frame: Frame, options: SegmentOptions = {}): Promise<SegmentationResult> {
    return this.native.run(frame, this.nativeOptions(options));
  }

  /**
   * Segments one frame on a worker thread into ready-to-publish CDR sensor_msgs/Image messages
   * carrying `header`: label, colorized, overlay and confidence are whole serialized messages.
   */
  runCdr(frame: Frame, header: RosHeader, options: SegmentOptions = {}): Promise<SegmentationResult> {
    return this.native.run(frame, this.nativeOptions(options), header);
  }

  /** The same as run, blocking the calling thread (tools and tests). */
  runSync(frame: Frame, options: SegmentOptions = {}): SegmentationResult {
    return this.native.runSync(frame, this.nativeOptions(options));
  }

  /** The network alone on an NHWC uint8 tensor already quantized for the model's input. */
  runNetwork(input: Uint8Array, height: number, width: number): NetworkOutput {
    return this.native.runNetwork(input, height, width);
  }

  /** Multiply-accumulates of one frame at this network size. */
  macs(height: number, width: number): number {
    return this.native.macs(height, width);
  }

  get isa(): string {
    return this.native.isa;
  }
  get threads(): number {
    return this.native.threads;
  }
  get numClasses(): number {
    return this.native.numClasses;
  }

  private nativeOptions(o: SegmentOptions) {
    return {
      networkWidth: o.networkWidth ?? this.metadata.inputWidth,
      networkHeight: o.networkHeight ?? this.metadata.inputHeight,
      labelResolution: o.labelResolution ?? paramDefault<'input' | 'network'>('label_resolution'),
      label: o.label ?? true,
      colorized: o.colorized ?? false,
      overlay: o.overlay ?? true,
      overlayAlpha: o.overlayAlpha ?? paramDefault<number>('overlay_alpha'),
      confidence: o.confidence ?? false,
      palette: o.palette ?? this.metadata.palette,
    };
  }
}

/** Kernel sets built into the addon and whether this CPU runs them. */
export function kernelTables(): { name: string; usable: boolean }[] {
  return loadAddon().kernelTables();
}
