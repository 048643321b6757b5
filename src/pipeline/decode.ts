// Inbound messages to engine frames plus the header to pass on. Serialized images are parsed
// natively and their pixels stay where they arrived: the frame is a view into the CDR buffer.
import { loadAddon, NativeFrame } from '../engine/native';
import { decodeCompressed } from './compressed';
import type { RosHeader } from './messages';
import type { InboundCompressedImage, InboundImage } from './transport';

export interface DecodedFrame {
  frame: NativeFrame;
  header: RosHeader;
}

function bytes(data: Uint8Array | number[]): Uint8Array {
  // rclnodejs hands out plain arrays when typed arrays are disabled; the engine needs bytes
  return data instanceof Uint8Array ? data : Uint8Array.from(data);
}

export function decodeImage(m: InboundImage): DecodedFrame {
  if (Buffer.isBuffer(m)) {
    const v = loadAddon().parseImageCdr(m);
    const data = m.subarray(v.dataOffset, v.dataOffset + v.dataLength);
    return { frame: { encoding: v.encoding, width: v.width, height: v.height, step: v.step, data }, header: v.header };
  }
  const { encoding, width, height, step } = m;
  return { frame: { encoding, width, height, step, data: bytes(m.data) }, header: m.header };
}

export async function decodeCompressedImage(m: InboundCompressedImage): Promise<DecodedFrame> {
  if (Buffer.isBuffer(m)) {
    const v = loadAddon().parseCompressedImageCdr(m);
    const frame = await decodeCompressed(v.format, m.subarray(v.dataOffset, v.dataOffset + v.dataLength));
    return { frame, header: v.header };
  }
  return { frame: await decodeCompressed(m.format, bytes(m.data)), header: m.header };
}
