// Loads the compiled addon (built by cmake-js into build/Release during `npm ci`).
import * as fs from 'fs';
import * as path from 'path';

import type { ModelSpec } from './spec';

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

/** std_msgs/Header as rclnodejs and @foxglove/rosmsg2-serialization spell it. */
export interface RosHeader {
  stamp: { sec: number; nanosec: number };
  frame_id: string;
}

/** A sensor_msgs/Image (fields as in the message definition). */
export interface ImageMessage {
  header: RosHeader;
  height: number;
  width: number;
  encoding: string;
  is_bigendian: number;
  step: number;
  data: Uint8Array;
}

/** A parsed CDR sensor_msgs/Image: `data` is bytes [dataOffset, dataOffset + dataLength) of the buffer. */
export interface ImageCdrView extends Omit<ImageMessage, 'data'> {
  dataOffset: number;
  dataLength: number;
}

export interface CompressedImageCdrView {
  header: RosHeader;
  format: string;
  dataOffset: number;
  dataLength: number;
}

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
  /** Reads a CDR sensor_msgs/Image without copying its data; throws naming the malformed field. */
  parseImageCdr(buffer: Uint8Array): ImageCdrView;
  parseCompressedImageCdr(buffer: Uint8Array): CompressedImageCdrView;
  /** A little-endian CDR sensor_msgs/Image, byte for byte what rmw serializes. */
  encodeImageCdr(message: ImageMessage | Omit<ImageMessage, 'is_bigendian'>): Buffer;
}

let cached: Addon | undefined;

/** The addon, from ATTENDSEG_ADDON if set, else the package's build folder. */
export function loadAddon(): Addon {
  if (cached) return cached;
  const root = path.resolve(__dirname, '..', '..');
  const candidates = [
    process.env.ATTENDSEG_ADDON,
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
