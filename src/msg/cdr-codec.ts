// One message type's CDR codec (ROS 2: little-endian, 4-byte encapsulation header), built once
// from our definitions, with errors that name the type instead of a bare RangeError.
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';

import { messageDefinition } from './definitions';

export class CdrCodec<T> {
  private readonly reader: MessageReader<T>;
  private readonly writer: MessageWriter;

  constructor(readonly type: string) {
    const defs = parse(messageDefinition(type), { ros2: true });
    this.reader = new MessageReader<T>(defs);
    this.writer = new MessageWriter(defs);
  }

  encode(message: T): Uint8Array {
    return this.writer.writeMessage(message);
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
    let message: T;
    try {
      message = this.reader.readMessage<T>(bytes);
    } catch (e) {
      throw this.malformed(bytes.length, (e as Error).message);
    }
    // Byte arrays are views into the underlying buffer, so a length field that runs past the end
    // of a view (a message inside a larger chunk) reads neighbouring bytes instead of throwing.
    const used = this.reader.lastReadByteLength();
    if (used > bytes.length) throw this.malformed(bytes.length, `its fields need ${used} bytes`);
    return message;
  }

  private malformed(length: number, why: string): Error {
    return new Error(`${this.type}: cannot decode ${length} bytes, the message is truncated or not this type (${why})`);
  }
}
