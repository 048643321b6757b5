// Serialized sensor_msgs/Image messages a broken driver or an attacker could send, each with the
// reason the node gives when it rejects them: the node's bad-input tests deliver them through the
// in-memory transport and on a real ROS 2 graph.
import { writeImage } from './cdr-oracle';
import { imageMessage, rawImage } from './pipeline-harness';

const image = (patch: Record<string, unknown>) => writeImage({ ...imageMessage(1), ...patch });

export const BAD_RAW_IMAGES: [name: string, make: () => Buffer, reason: RegExp][] = [
  ['unknown encoding', () => image({ encoding: '32FC1' }), /unsupported encoding '32FC1'/],
  ['encoding with a NUL and trailing bytes', () => image({ encoding: 'rgb8\0x' }), /unsupported encoding 'rgb8\\x00x'/],
  ['step too small', () => image({ step: 64 * 3 - 1 }), /step 191 is too small for 64 rgb8 pixels \(needs >= 192\)/],
  ['truncated data', () => image({ data: imageMessage(1).data.subarray(0, 64 * 3 * 47) }), /image data is truncated/],
  ['zero width', () => image({ width: 0, step: 0, data: new Uint8Array(0) }), /image size 0x48 is outside 1\.\.8192/],
  ['zero height', () => image({ height: 0, data: new Uint8Array(0) }), /image size 64x0 is outside 1\.\.8192/],
  ['oversized', () => image({ width: 9000, height: 1, step: 27000, data: new Uint8Array(27000) }), /image size 9000x1 is outside 1\.\.8192/],
  ['truncated message', () => rawImage(1).subarray(0, 100), /sensor_msgs\/msg\/Image: truncated at field `data` \(needs \d+ bytes, \d+ left\)/],
  ['empty message', () => Buffer.alloc(0), /shorter than the CDR encapsulation header/],
  ['foreign encapsulation', () => Buffer.from([0, 3, 0, 0, ...rawImage(1).subarray(4)]), /unsupported CDR encapsulation 0x0003/],
];
