// Writes the seed corpora of the libFuzzer targets (native/fuzz/corpus/<target>/), small valid
// inputs that the fuzzer mutates: run again when a format changes.
//   npx tsx native/fuzz/make_corpus.ts
import * as fs from 'fs';
import * as path from 'path';

import { importOnnx } from '../../src/engine/onnx';
import { OnnxBuilder } from '../../test/helpers/onnx-builder';
import { convReluModel, finish, start, unetModel } from '../../test/helpers/onnx-models';
import { encodeSpecFile } from '../tools/dump_spec';

const CORPUS = path.join(__dirname, 'corpus');

function write(target: string, name: string, bytes: Uint8Array): void {
  const dir = path.join(CORPUS, target);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), bytes);
}

/** input -> Q/DQ -> one op -> Q/DQ -> output, one seed per op kind the engine runs. */
function oneOp(opType: string, attrs: Record<string, number | number[] | string>, extra: (b: OnnxBuilder) => string[] = () => []): Uint8Array {
  const b = new OnnxBuilder();
  const { dq } = start(b);
  finish(b, b.op(opType, [dq, ...extra(b)], attrs, 'op'), 0.1, 128);
  return b.build();
}

function specSeeds(): void {
  const models: Record<string, Uint8Array> = {
    conv_relu: convReluModel().build(),
    unet: unetModel().build(),
    maxpool: oneOp('MaxPool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
    avgpool: oneOp('AveragePool', { kernel_shape: [2, 2], strides: [2, 2], count_include_pad: 1 }),
    global_pool: oneOp('GlobalAveragePool', {}),
    resize_linear: oneOp('Resize', { mode: 'linear', coordinate_transformation_mode: 'align_corners' }, (b) => ['', b.float('sc', [4], [1, 1, 2, 0.5])]),
    resize_size: oneOp('Resize', { mode: 'nearest', nearest_mode: 'floor' }, (b) => ['', '', b.int64('sz', [4], [1, 3, 7, 9])]),
    sigmoid: oneOp('Sigmoid', {}),
  };
  for (const [name, onnx] of Object.entries(models)) write('fuzz_spec_file', `${name}.spec`, encodeSpecFile(importOnnx(onnx).spec));
}

function frameSeeds(): void {
  // Header: encoding, width, height, step, net width, net height (u16 LE), flags, alpha, palette.
  const encodings: [string, number, (w: number) => number, (h: number, step: number) => number][] = [
    ['rgb8', 0, (w) => w * 3, (h, s) => h * s],
    ['bgr8', 1, (w) => w * 3, (h, s) => h * s],
    ['rgba8', 2, (w) => w * 4, (h, s) => h * s],
    ['bgra8', 3, (w) => w * 4, (h, s) => h * s],
    ['mono8', 4, (w) => w, (h, s) => h * s],
    ['uyvy', 5, (w) => w * 2, (h, s) => h * s],
    ['yuyv', 6, (w) => w * 2, (h, s) => h * s],
    ['nv21', 7, (w) => w, (h, s) => h * s + Math.ceil(h / 2) * s],
    ['nv24', 8, (w) => w, (h, s) => h * s * 3],
  ];
  const [w, h] = [10, 6];
  for (const [name, code, step, bytes] of encodings) {
    for (const [suffix, pad, flags] of [['', 0, 0b01110], ['_padded_network', 4, 0b11111]] as const) {
      const s = step(w) + pad;
      const header = Buffer.alloc(16);
      header.writeUInt8(code, 0);
      header.writeUInt16LE(w, 1);
      header.writeUInt16LE(h, 3);
      header.writeUInt16LE(s, 5);
      header.writeUInt16LE(16, 7);
      header.writeUInt16LE(12, 9);
      header.writeUInt8(flags, 11);
      header.writeUInt8(100, 12);
      header.writeUInt8(3, 13);
      const pixels = Buffer.from(Array.from({ length: bytes(h, s) }, (_, i) => (i * 29) & 255));
      write('fuzz_frame', `${name}${suffix}`, Buffer.concat([header, pixels]));
    }
  }
}

specSeeds();
frameSeeds();
