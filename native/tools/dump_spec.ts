// Writes the ModelSpec of an ONNX QDQ model, exactly as src/engine imports it, to a flat
// little-endian file that spec_file.cpp reads, so that native tools (attendseg_run_frame, e.g.
// cross-built for aarch64 and run under qemu) execute the real network without Node.
//   npx tsx native/tools/dump_spec.ts model.onnx model.spec
// Layout (every op writes every field; absent parts are written as defaults):
//   "ASPC" u32 version=1
//   u32 tensors, each: str name, i32 channels, f32 scale, i32 zero_point
//   u32 ops, each: u8 kind, str name, u32 n + i32 inputs[n], i32 output, u8 act_min, u8 act_max,
//     conv:   i32 kh kw sh sw pad_top pad_left pad_bottom pad_right dh dw groups,
//             u32 n + i8[n] weights, u32 n + i32[n] bias, u32 n + f32[n] weight_scales
//     pool:   i32 kh kw sh sw pad_top pad_left pad_bottom pad_right, u8 ceil_mode, u8 count_include_pad
//     resize: u8 mode, u8 coord, u8 nearest, f32 scale_h scale_w, i32 out_h out_w size_of
//     lut:    u32 n + u8[n]
//   i32 input, i32 output, f32 mean[3], f32 std[3]
// (str = u32 length + bytes; enums as indices into spec.ts's name lists, which are the C++ enum
// order: test/model/contract.test.ts checks both, and round-trips specs through the native reader)
import * as fs from 'fs';

import { loadAddon } from '../../src/engine/native';
import { importOnnx } from '../../src/engine/onnx';
import { COORD_MODES, NEAREST_MODES, OP_KINDS, RESIZE_MODES } from '../../src/engine/spec';
import type { ModelSpec, OpSpec } from '../../src/engine/spec';

class Writer {
  private chunks: Buffer[] = [];
  u8(v: number): void {
    this.chunks.push(Buffer.from([v]));
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.chunks.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.chunks.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.chunks.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u32(b.length);
    this.chunks.push(b);
  }
  array(a: Int8Array | Uint8Array | Int32Array | Float32Array): void {
    this.u32(a.length);
    // Typed arrays are little-endian on every platform Node runs on.
    this.chunks.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function index(list: readonly string[], v: string, what: string): number {
  const i = list.indexOf(v);
  if (i < 0) throw new Error(`unknown ${what} '${v}'`);
  return i;
}

function writeOp(w: Writer, op: OpSpec): void {
  w.u8(index(OP_KINDS, op.kind, 'op kind'));
  w.str(op.name);
  w.u32(op.inputs.length);
  for (const i of op.inputs) w.i32(i);
  w.i32(op.output);
  w.u8(op.actMin ?? 0);
  w.u8(op.actMax ?? 255);
  const c = op.conv;
  for (const v of c ? [...c.kernel, ...c.stride, ...c.pads, ...c.dilation, c.groups] : [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1])
    w.i32(v);
  w.array(c ? c.weights : new Int8Array(0));
  w.array(c ? c.bias : new Int32Array(0));
  w.array(c ? c.weightScales : new Float32Array(0));
  const p = op.pool;
  for (const v of p ? [...p.kernel, ...p.stride, ...p.pads] : [1, 1, 1, 1, 0, 0, 0, 0]) w.i32(v);
  w.u8(p?.ceilMode ? 1 : 0);
  w.u8(p?.countIncludePad ? 1 : 0);
  const r = op.resize;
  w.u8(r ? index(RESIZE_MODES, r.mode, 'resize mode') : 0);
  w.u8(r ? index(COORD_MODES, r.coord, 'coordinate mode') : 0);
  w.u8(r ? index(NEAREST_MODES, r.nearest, 'nearest mode') : 0);
  w.f32(r?.scales?.[0] ?? 0);
  w.f32(r?.scales?.[1] ?? 0);
  w.i32(r?.size?.[0] ?? 0);
  w.i32(r?.size?.[1] ?? 0);
  w.i32(r?.sizeOf ?? -1);
  w.array(op.lut ?? new Uint8Array(0));
}

export function encodeSpecFile(spec: ModelSpec): Buffer {
  const w = new Writer();
  w.u8(0x41), w.u8(0x53), w.u8(0x50), w.u8(0x43); // "ASPC"
  w.u32(1);
  w.u32(spec.tensors.length);
  for (const t of spec.tensors) {
    w.str(t.name);
    w.i32(t.channels);
    w.f32(t.q.scale);
    w.i32(t.q.zeroPoint);
  }
  w.u32(spec.ops.length);
  for (const op of spec.ops) writeOp(w, op);
  w.i32(spec.input);
  w.i32(spec.output);
  for (const v of spec.norm.mean) w.f32(v);
  for (const v of spec.norm.std) w.f32(v);
  return w.bytes();
}

function main(): void {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: dump_spec.ts model.onnx model.spec');
    process.exit(2);
  }
  const { spec } = importOnnx(fs.readFileSync(input));
  const bytes = encodeSpecFile(spec);
  // Read back as the native tools will, validated: a file they would reject is not written.
  loadAddon().decodeSpecFile(bytes, output);
  fs.writeFileSync(output, bytes);
  console.log(`${output}: ${spec.tensors.length} tensors, ${spec.ops.length} ops`);
}

if (require.main === module) main();
