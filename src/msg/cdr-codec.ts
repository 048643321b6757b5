// One message type's CDR codec (ROS 2: plain CDR, 4-byte encapsulation header), built once from
// our definitions as @foxglove/rosmsg parses them. Both directions walk the parsed definition here
// rather than through @foxglove/rosmsg2-serialization, whose reader reads past a view's end, takes
// strings without their NUL and reports a bare RangeError, and whose writer sizes a string by its
// UTF-16 length (so 'kamera-é' loses its last character): every refusal here names the type and
// the field, and strings are written as UTF-8 with their byte length.
import { parse } from '@foxglove/rosmsg';

import { messageDefinition } from './definitions';

type MessageDefinition = ReturnType<typeof parse>[number];
type MessageDefinitionField = MessageDefinition['definitions'][number];

/** Size in bytes (and CDR alignment) of each fixed-size primitive. */
const PRIMITIVE_SIZE: Record<string, number> = {
  bool: 1, byte: 1, char: 1, int8: 1, uint8: 1,
  int16: 2, uint16: 2,
  int32: 4, uint32: 4, float32: 4,
  int64: 8, uint64: 8, float64: 8,
};

/** Writes (or, without a buffer, only measures) CDR little-endian, the way rmw writes it. */
class FieldWriter {
  offset = 4;
  private readonly view: DataView | undefined;
  private readonly utf8 = new TextEncoder();

  constructor(private readonly out?: Uint8Array) {
    this.view = out && new DataView(out.buffer, out.byteOffset, out.byteLength);
  }

  private at(align: number, size: number): number {
    const at = this.offset + ((align - ((this.offset - 4) % align)) % align);
    this.offset = at + size;
    return at;
  }

  primitive(type: string, value: unknown): void {
    if (type === 'string') return this.string(typeof value === 'string' ? value : '');
    if (type === 'time' || type === 'duration') {
      const t = (value ?? {}) as { sec?: number; nanosec?: number };
      this.primitive('int32', t.sec ?? 0);
      this.primitive('uint32', t.nanosec ?? 0);
      return;
    }
    const size = PRIMITIVE_SIZE[type];
    if (size === undefined) throw new Error(`type ${type} is not written by this encoder`);
    const at = this.at(size, size);
    const v = this.view;
    if (!v) return;
    const n = value ?? 0;
    switch (type) {
      case 'bool': v.setUint8(at, n ? 1 : 0); break;
      case 'int8': v.setInt8(at, Number(n)); break;
      case 'byte': case 'char': case 'uint8': v.setUint8(at, Number(n)); break;
      case 'int16': v.setInt16(at, Number(n), true); break;
      case 'uint16': v.setUint16(at, Number(n), true); break;
      case 'int32': v.setInt32(at, Number(n), true); break;
      case 'uint32': v.setUint32(at, Number(n), true); break;
      case 'float32': v.setFloat32(at, Number(n), true); break;
      case 'int64': v.setBigInt64(at, BigInt(n as number), true); break;
      case 'uint64': v.setBigUint64(at, BigInt(n as number), true); break;
      default: v.setFloat64(at, Number(n), true);
    }
  }

  length(count: number): void {
    this.primitive('uint32', count);
  }

  private string(s: string): void {
    const bytes = this.utf8.encode(s);
    this.length(bytes.length + 1);
    const at = this.at(1, bytes.length + 1);
    this.out?.set(bytes, at); // the NUL is the buffer's zero
  }

  bytes(data: ArrayLike<number>): void {
    const at = this.at(1, data.length);
    this.out?.set(data, at);
  }
}

class FieldReader {
  private offset = 4; // after the encapsulation header; alignment counts from here
  private readonly view: DataView;
  private readonly utf8 = new TextDecoder('utf8');

  constructor(
    private readonly bytes: Uint8Array,
    private readonly littleEndian: boolean,
    private readonly fail: (field: string, why: string) => Error,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Aligns to `align` and makes sure `size` bytes follow, else a truncation naming `field`. */
  private take(field: string, align: number, size: number): number {
    const at = this.offset + ((align - ((this.offset - 4) % align)) % align);
    if (at + size > this.bytes.length) {
      throw this.fail(field, `truncated at field \`${field}\` (needs ${size} bytes, ${Math.max(0, this.bytes.length - at)} left)`);
    }
    this.offset = at + size;
    return at;
  }

  primitive(field: string, type: string): unknown {
    if (type === 'string') return this.string(field);
    // @foxglove/rosmsg turns builtin_interfaces/Time and Duration into these.
    if (type === 'time' || type === 'duration') {
      return { sec: this.primitive(`${field}.sec`, 'int32'), nanosec: this.primitive(`${field}.nanosec`, 'uint32') };
    }
    const size = PRIMITIVE_SIZE[type];
    if (size === undefined) throw this.fail(field, `field \`${field}\` has type ${type}, which this decoder does not read`);
    const at = this.take(field, size, size);
    const v = this.view;
    const le = this.littleEndian;
    switch (type) {
      case 'bool': return v.getUint8(at) !== 0;
      case 'int8': return v.getInt8(at);
      case 'byte': case 'char': case 'uint8': return v.getUint8(at);
      case 'int16': return v.getInt16(at, le);
      case 'uint16': return v.getUint16(at, le);
      case 'int32': return v.getInt32(at, le);
      case 'uint32': return v.getUint32(at, le);
      case 'float32': return v.getFloat32(at, le);
      case 'int64': return v.getBigInt64(at, le);
      case 'uint64': return v.getBigUint64(at, le);
      default: return v.getFloat64(at, le);
    }
  }

  /** A sequence's element count (its uint32 length prefix). */
  length(field: string): number {
    return this.view.getUint32(this.take(field, 4, 4), this.littleEndian);
  }

  /** Refuses a count that the bytes left cannot hold, before anything is allocated for it. */
  fits(field: string, count: number, minElementBytes: number): void {
    const left = this.bytes.length - this.offset;
    if (count * minElementBytes > left) {
      throw this.fail(field, `truncated at field \`${field}\` (${count} elements need at least ${count * minElementBytes} bytes, ${left} left)`);
    }
  }

  /** A CDR string: uint32 length with the NUL, the bytes, the NUL. Length 0 is "" as rmw reads it. */
  private string(field: string): string {
    const n = this.length(field);
    if (n === 0) return '';
    const at = this.take(field, 1, n);
    if (this.bytes[at + n - 1] !== 0) throw this.fail(field, `field \`${field}\`: a string of ${n} bytes without its terminating NUL`);
    return this.utf8.decode(this.bytes.subarray(at, at + n - 1));
  }

  /** uint8/byte arrays stay views into the message; other primitives are read one by one. */
  primitiveArray(field: string, type: string, count: number): unknown {
    if (type === 'uint8' || type === 'byte' || type === 'char') {
      const at = this.take(field, 1, count);
      return this.bytes.subarray(at, at + count);
    }
    // Checked as a whole first, so a huge count fails before any element is read.
    this.fits(field, count, PRIMITIVE_SIZE[type] ?? 4);
    return Array.from({ length: count }, (_, i) => this.primitive(`${field}[${i}]`, type));
  }
}

export class CdrCodec<T> {
  private readonly definitions: Map<string, MessageDefinitionField[]>;
  private readonly root: MessageDefinitionField[];

  constructor(readonly type: string) {
    const defs: MessageDefinition[] = parse(messageDefinition(type), { ros2: true });
    this.root = defs[0].definitions;
    this.definitions = new Map(defs.map((d) => [d.name ?? '', d.definitions]));
  }

  /** Little-endian CDR; missing fields are written as zero, '' or empty, as rclnodejs does. */
  encode(message: T): Uint8Array {
    const size = new FieldWriter();
    this.write(size, this.root, message as Record<string, unknown>);
    const out = new Uint8Array(size.offset);
    out[1] = 1; // CDR little-endian
    this.write(new FieldWriter(out), this.root, message as Record<string, unknown>);
    return out;
  }

  private write(w: FieldWriter, fields: MessageDefinitionField[], msg: Record<string, unknown> | undefined): void {
    const data = fields.filter((f) => f.isConstant !== true);
    if (data.length === 0) w.primitive('uint8', 0);
    for (const f of data) {
      const value = msg?.[f.name];
      if (f.isArray === true) {
        const items = (Array.isArray(value) || ArrayBuffer.isView(value) ? value : []) as ArrayLike<unknown>;
        const count = f.arrayLength ?? items.length;
        if (f.arrayLength === undefined) w.length(count);
        if (f.isComplex === true) {
          const nested = this.definitions.get(f.type)!;
          for (let i = 0; i < count; i++) this.write(w, nested, items[i] as Record<string, unknown>);
        } else if ((f.type === 'uint8' || f.type === 'byte' || f.type === 'char') && items.length === count) {
          w.bytes(items as ArrayLike<number>);
        } else {
          for (let i = 0; i < count; i++) w.primitive(f.type, items[i]);
        }
      } else if (f.isComplex === true) {
        this.write(w, this.definitions.get(f.type)!, value as Record<string, unknown>);
      } else {
        w.primitive(f.type, value);
      }
    }
  }

  /** Decodes without copying: byte arrays in the result are views into `bytes`. */
  decode(bytes: Uint8Array): T {
    if (bytes.length < 4) throw new Error(`${this.type}: ${bytes.length} bytes is shorter than the CDR encapsulation header`);
    // Representation id: 0x0000 CDR big-endian, 0x0001 CDR little-endian (what ROS 2 writes).
    if (bytes[0] !== 0 || bytes[1] > 1) {
      throw new Error(
        `${this.type}: unsupported CDR encapsulation 0x${bytes[0].toString(16).padStart(2, '0')}${bytes[1].toString(16).padStart(2, '0')} ` +
          '(expected plain CDR, 0x0000 or 0x0001)',
      );
    }
    const reader = new FieldReader(bytes, bytes[1] === 1, (_field, why) => new Error(`${this.type}: ${why}`));
    return this.struct(reader, this.root, '') as T;
  }

  private struct(r: FieldReader, fields: MessageDefinitionField[], prefix: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const data = fields.filter((f) => f.isConstant !== true);
    // An empty .msg gets one uint8 member in IDL (ROS 2's legacy interface conversion).
    if (data.length === 0) r.primitive(`${prefix}structure_needs_at_least_one_member`, 'uint8');
    for (const f of data) {
      const name = `${prefix}${f.name}`;
      if (f.isComplex === true) {
        const nested = this.definitions.get(f.type);
        if (!nested) throw new Error(`${this.type}: no definition of ${f.type} (field \`${name}\`)`);
        if (f.isArray === true) {
          const count = f.arrayLength ?? r.length(name);
          r.fits(name, count, 1);
          out[f.name] = Array.from({ length: count }, (_, i) => this.struct(r, nested, `${name}[${i}].`));
        } else {
          out[f.name] = this.struct(r, nested, `${name}.`);
        }
      } else if (f.isArray === true) {
        out[f.name] = r.primitiveArray(name, f.type, f.arrayLength ?? r.length(name));
      } else {
        out[f.name] = r.primitive(name, f.type);
      }
    }
    return out;
  }
}
