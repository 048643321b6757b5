// Batch segmentation without ROS: a bag's image topic into a bag of output topics (each message
// with its input's header) or PNG files; an image folder or a single image into PNG files.
import * as fs from 'fs';
import * as path from 'path';

import type { ChunkCompression } from '../bag/chunk-compression';
import { BAG_DEFAULTS, createBag } from '../bag/create-bag';
import { ensureDir } from '../bag/ensure-dir';
import { openBag } from '../bag/open-bag';
import type { BagWriter, StorageId } from '../bag/types';
import type { Engine, SegmentOptions } from '../engine/engine';
import { IMAGE_TYPE } from '../msg/definitions';
import { encodeImage } from '../msg/image';
import { decodeInput, inputFrame, outputImages, InputImage, OutputImages } from '../msg/segment-message';
import { formatStamp, timeToNs } from '../msg/time';
import { DEFAULT_OUTPUT_TOPICS, findTopic, imageTopic } from './bag-topics';
import { runFrames, LoopFrame } from './frame-loop';
import { IMAGE_EXTENSIONS, listImages, readImageFile, stem, writePng } from './image-files';
import { LatencyRecorder, LatencySummary } from './latency';

export type OutputName = 'label' | 'overlay' | 'colorized' | 'confidence';
export const OUTPUT_NAMES: readonly OutputName[] = ['label', 'overlay', 'colorized', 'confidence'];

export interface SegmentRunOptions {
  engine: Engine;
  input: string;
  output: string;
  /** 'bag' (default for bag input) or 'png' (the only choice for images). */
  outputFormat?: 'bag' | 'png';
  bagFormat?: StorageId;
  /** MCAP chunk compression of the output bag (default none; sqlite3: none only). */
  bagCompression?: ChunkCompression;
  imageTopic?: string;
  outputs: OutputName[];
  topics?: Partial<Record<OutputName, string>>;
  /** Input topics copied unchanged into the output bag (e.g. the ground truth). */
  copyTopics?: string[];
  segment?: SegmentOptions;
  onProgress?: (done: number, total: number) => void;
}

export interface SegmentRunResult {
  frames: number;
  wallSeconds: number;
  fps: number;
  latency: LatencySummary | null;
  output: string;
  skipped: string[];
  /** Frames that could not be decoded (or read), each with its reason; the run went on without them. */
  rejected: string[];
}

type InputKind = 'bag' | 'folder' | 'image';

export function inputKind(p: string): InputKind {
  if (!fs.existsSync(p)) throw new Error(`input ${p} does not exist`);
  if (fs.statSync(p).isFile()) {
    if (IMAGE_EXTENSIONS.includes(path.extname(p).toLowerCase())) return 'image';
    return 'bag';
  }
  const entries = fs.readdirSync(p);
  if (entries.includes('metadata.yaml') || entries.some((f) => f.endsWith('.mcap') || f.endsWith('.db3'))) return 'bag';
  return 'folder';
}

interface BagFrame {
  /** For errors: which frame. */
  name: string;
  /** For PNG output: index and stamp. */
  base: string;
  input: InputImage;
  logTime: bigint;
}

function engineOptions(o: SegmentRunOptions): SegmentOptions {
  return {
    ...o.segment,
    label: o.outputs.includes('label'),
    overlay: o.outputs.includes('overlay'),
    colorized: o.outputs.includes('colorized'),
    confidence: o.outputs.includes('confidence'),
  };
}

async function writePngs(dir: string, base: string, out: OutputImages): Promise<void> {
  for (const [name, msg] of Object.entries(out)) {
    if (!msg) continue;
    await writePng(path.join(dir, `${base}_${name}.png`), msg.data, msg.width, msg.height, msg.encoding === 'mono8' ? 1 : 3);
  }
}

export async function segment(o: SegmentRunOptions): Promise<SegmentRunResult> {
  if (o.outputs.length === 0) throw new Error(`no outputs chosen (${OUTPUT_NAMES.join(', ')})`);
  const kind = inputKind(o.input);
  const format = o.outputFormat ?? (kind === 'bag' ? 'bag' : 'png');
  if (format === 'bag' && kind !== 'bag') {
    throw new Error('segmenting image files writes PNG files; make a bag of them first with bag-from-folder');
  }
  if (format === 'png' && (o.bagCompression ?? BAG_DEFAULTS.compression) !== 'none') {
    throw new Error(`compression '${o.bagCompression}' applies to an output bag, and this run writes PNG files`);
  }
  if (format === 'png') {
    if (fs.existsSync(o.output) && !fs.statSync(o.output).isDirectory()) throw new Error(`output ${o.output} is not a folder`);
    ensureDir(o.output, 'output folder');
  }
  return kind === 'bag' ? segmentBag(o, format) : segmentFiles(o, kind);
}

async function segmentFiles(o: SegmentRunOptions, kind: InputKind): Promise<SegmentRunResult> {
  const files = kind === 'image' ? [o.input] : listImages(o.input);
  const latency = new LatencyRecorder();
  const rejected: string[] = [];
  async function* frames(): AsyncGenerator<LoopFrame<string>> {
    for (const f of files) {
      let frame;
      try {
        frame = await readImageFile(f);
      } catch (e) {
        rejected.push((e as Error).message);
        continue;
      }
      yield { frame, context: f };
    }
  }
  const header = { stamp: { sec: 0, nanosec: 0 }, frame_id: '' };
  let done = 0;
  const loop = await runFrames(o.engine, frames(), engineOptions(o), (f) => f, async ({ result, context, latencyMs }) => {
    latency.add(latencyMs);
    await writePngs(o.output, stem(context), outputImages(result, header));
    o.onProgress?.(++done, files.length);
  });
  return summary(loop.frames, loop.wallMs, latency, o.output, [], rejected);
}

async function segmentBag(o: SegmentRunOptions, format: 'bag' | 'png'): Promise<SegmentRunResult> {
  const bag = await openBag(o.input);
  let writer: BagWriter | undefined;
  try {
    const topicNames: Record<OutputName, string> = { ...DEFAULT_OUTPUT_TOPICS };
    for (const [k, v] of Object.entries(o.topics ?? {})) if (v) topicNames[k as OutputName] = v;
    const copies = (o.copyTopics ?? []).map((t) => findTopic(bag, t, 'copied'));
    const image = imageTopic(bag, o.imageTopic, [...copies.map((c) => c.name), ...Object.values(topicNames)]);
    if (format === 'bag') {
      writer = await createBag(o.output, { format: o.bagFormat, compression: o.bagCompression });
      for (const name of o.outputs) await writer.addTopic({ name: topicNames[name], type: IMAGE_TYPE });
      for (const c of copies) {
        await writer.addTopic({ name: c.name, type: c.type, offeredQosProfiles: c.offeredQosProfiles, typeDescriptionHash: c.typeDescriptionHash, definition: c.definition });
      }
    }
    const w = writer;
    const rejected: string[] = [];
    const copyNames = new Set(copies.map((c) => c.name));
    async function* frames(): AsyncGenerator<LoopFrame<BagFrame>> {
      let index = 0;
      for await (const m of bag.messages({ topics: [image.name, ...copyNames] })) {
        if (copyNames.has(m.topic)) {
          if (w) await w.write(m.topic, m.logTime, m.data, m.publishTime);
          if (m.topic !== image.name) continue;  // the image topic itself may be copied too
        }
        // An undecodable frame is left out and reported at the end; the rest are still segmented.
        const at = `message on ${image.name} received at ${formatStamp(m.logTime)}`;
        let input: InputImage;
        try {
          input = decodeInput(image.type, m.data);
        } catch (e) {
          rejected.push(`${at}: ${(e as Error).message}`);
          continue;
        }
        const name = `frame stamped ${formatStamp(timeToNs(input.message.header.stamp))} on ${image.name}`;
        let frame;
        try {
          frame = await inputFrame(input, name);
        } catch (e) {
          rejected.push((e as Error).message);
          continue;
        }
        const base = `${String(index++).padStart(6, '0')}_${timeToNs(input.message.header.stamp)}`;
        yield { frame, context: { name, base, input, logTime: m.logTime } };
      }
    }
    const latency = new LatencyRecorder();
    let done = 0;
    const loop = await runFrames(o.engine, frames(), engineOptions(o), (c) => c.name, async ({ result, context, latencyMs }) => {
      latency.add(latencyMs);
      const out = outputImages(result, context.input.message.header);
      if (w) {
        for (const name of o.outputs) await w.write(topicNames[name], context.logTime, encodeImage(out[name]!));
      } else {
        await writePngs(o.output, context.base, out);
      }
      o.onProgress?.(++done, image.messageCount);
    });
    await writer?.close();
    return summary(loop.frames, loop.wallMs, latency, o.output, bag.problems, rejected);
  } catch (e) {
    await writer?.discard();
    throw e;
  } finally {
    await bag.close();
  }
}

function summary(frames: number, wallMs: number, latency: LatencyRecorder, output: string, skipped: string[], rejected: string[]): SegmentRunResult {
  return { frames, wallSeconds: wallMs / 1000, fps: frames > 0 ? frames / (wallMs / 1000) : 0, latency: latency.summary(), output, skipped, rejected };
}
