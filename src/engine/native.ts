// Loads the compiled addon (built by cmake-js into build/Release during `npm ci`).
import * as fs from 'fs';
import * as path from 'path';

import { environment } from '../env';
import type { ImageMessage } from '../msg/image';
import type { Header } from '../msg/time';
import type { ModelContract, ModelSpec } from './spec';

export interface NativeFrame {
  encoding: string;
  width: number;
  height: number;
  step: number;
  data: Uint8Array;
}

export interface NativeRunOptions {
  networkWidth: number;
  networkHeight: number;
  labelResolution?: 'input' | 'network';
  label?: boolean;
  colorized?: boolean;
  overlay?: boolean;
  overlayAlpha?: number;
  confidence?: boolean;
  palette?: Uint8Array;
}

export interface FrameTiming {
  preprocessMs: number;
  /** The network, the argmax over classes and the confidence (fused into the last op when it is a Resize). */
  networkMs: number;
  /** Label map, colorizing, confidence map and overlay. */
  postprocessMs: number;
}

export interface NativeResult {
  label: Buffer | null;
  colorized: Buffer | null;
  overlay: Buffer | null;
  /** mono8 at the label's size: the winning class's softmax probability x 255 (see SegmentOptions.confidence). */
  confidence: Buffer | null;
  labelWidth: number;
  labelHeight: number;
  overlayWidth: number;
  overlayHeight: number;
  timing: FrameTiming;
}

export interface NetworkOutput {
  data: Buffer;
  height: number;
  width: number;
  channels: number;
}

/** std_msgs/Header (src/msg's). */
export type RosHeader = Header;

export interface NativeEngine {
  /**
   * With `cdrHeader`, each output Buffer is a complete CDR sensor_msgs/Image (mono8 label and
   * confidence, rgb8 colorized and overlay) carrying that header, its pixels written in place by the engine.
   */
  run(frame: NativeFrame, options: NativeRunOptions, cdrHeader?: RosHeader): Promise<NativeResult>;
  runSync(frame: NativeFrame, options: NativeRunOptions, cdrHeader?: RosHeader): NativeResult;
  runNetwork(input: Uint8Array, height: number, width: number): NetworkOutput;
  macs(height: number, width: number): number;
  readonly isa: string;
  readonly threads: number;
  readonly numClasses: number;
}

export interface Addon {
  NativeEngine: new (spec: ModelSpec, options?: { threads?: number; isa?: string; maxActivationMb?: number }) => NativeEngine;
  kernelTables(): { name: string; usable: boolean }[];
  /** The ISA's multiply-accumulate ceiling in GMAC/s with `threads` threads busy at once. */
  int8PeakGmacs(isa: string, threads: number, milliseconds: number): number;
  /** The frame checks of run (size, encoding, step, data length) without a run; throws naming the problem. */
  checkImage(frame: NativeFrame): void;
  /** The largest image side any frame or decoded image may have. */
  readonly maxImageSide: number;
  /** A little-endian CDR sensor_msgs/Image, byte for byte what rmw serializes. */
  encodeImageCdr(message: ImageMessage | Omit<ImageMessage, 'is_bigendian'>): Buffer;
  /** Op kinds, enum names and limits of native/include/attendseg/model.h (frozen). */
  readonly modelContract: ModelContract;
  /**
   * counts[(i % 4) * 65536 + (groundTruth[i] << 8 | prediction[i])] += 1 for every pixel i
   * (src/eval/confusion.ts); counts has 4 x 65536 entries.
   */
  countLabelPairs(prediction: Uint8Array, groundTruth: Uint8Array, counts: Uint32Array): void;
  /** A spec file (native/tools/dump_spec.ts), read and validated as the native tools read it. */
  decodeSpecFile(bytes: Uint8Array, source?: string): ModelSpec;
}

let cached: Addon | undefined;

/** The addon, from ATTENDSEG_ADDON if set, else the package's build folder. */
export function loadAddon(): Addon {
  if (cached) return cached;
  const root = path.resolve(__dirname, '..', '..');
  const candidates = [
    environment().addonPath,
    path.join(root, 'build', 'Release', 'attendseg.node'),
    path.join(root, 'build', 'attendseg.node'),
  ].filter((p): p is string => !!p);
  for (const p of candidates) {
    if (fs.existsSync(p)) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      cached = require(p) as Addon;
      return cached;
    }
  }
  throw new Error(
    `attendseg native addon not found (looked in ${candidates.join(', ')}); build it with "npm run build:native"`,
  );
}
