// The outside CDR oracle: @foxglove/rosmsg2-serialization with the ROS 2 message definitions.
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';

const HEADER = `
================================================================================
MSG: std_msgs/Header
builtin_interfaces/Time stamp
string frame_id
================================================================================
MSG: builtin_interfaces/Time
int32 sec
uint32 nanosec
`;

export const DEFINITIONS = {
  image: `std_msgs/Header header
uint32 height
uint32 width
string encoding
uint8 is_bigendian
uint32 step
uint8[] data
${HEADER}`,
  compressedImage: `std_msgs/Header header
string format
uint8[] data
${HEADER}`,
};

function codec(text: string) {
  const defs = parse(text, { ros2: true });
  return { reader: new MessageReader(defs), writer: new MessageWriter(defs) };
}

export const imageCodec = codec(DEFINITIONS.image);
export const compressedImageCodec = codec(DEFINITIONS.compressedImage);

export function writeImage(m: unknown): Buffer {
  return Buffer.from(imageCodec.writer.writeMessage(m));
}
export function writeCompressedImage(m: unknown): Buffer {
  return Buffer.from(compressedImageCodec.writer.writeMessage(m));
}

/** The same message big-endian (encapsulation 0x0000): every 4-byte field reversed. */
export function toBigEndian(le: Uint8Array, fieldOffsets: number[]): Buffer {
  const be = Buffer.from(le);
  be[1] = 0;
  for (const o of fieldOffsets) be.writeUInt32BE(Buffer.from(le).readUInt32LE(o), o);
  return be;
}
