// Every kind of bad frame is counted, logged (throttled) with its reason and skipped; the node
// keeps segmenting the good frames that follow.
import { strict as assert } from 'assert';

import sharp from 'sharp';

import type { InMemoryTransport } from '../../src/pipeline/memory-transport';
import type { SegmentationNode } from '../../src/pipeline/segmentation-node';
import { writeCompressedImage, writeImage } from '../helpers/cdr-oracle';
import { BAD_RAW_IMAGES } from '../helpers/bad-images';
import { imageMessage, rawImage, readImage, startNode } from '../helpers/pipeline-harness';

const header = { stamp: { sec: 5, nanosec: 6 }, frame_id: 'cam' };

async function expectRejected(t: InMemoryTransport, node: SegmentationNode, deliver: () => void, reason: RegExp) {
  const before = node.pipeline.stats.rejected;
  deliver();
  await node.pipeline.idle();
  assert.equal(node.pipeline.stats.rejected, before + 1, `not rejected: ${reason}`);
  assert.match(node.pipeline.stats.lastRejection!, reason);
}

async function expectGoodFrameStillWorks(t: InMemoryTransport, node: SegmentationNode, deliver: () => void) {
  const before = t.published.label.length;
  deliver();
  await node.pipeline.idle();
  assert.equal(t.published.label.length, before + 1, 'the node stopped segmenting after bad input');
}

describe('bad input (in-memory transport)', () => {
  const image = (patch: Record<string, unknown>) => writeImage({ ...imageMessage(1), ...patch });
  const rawCases = BAD_RAW_IMAGES;

  it('rejects each bad raw image with its reason and carries on', async () => {
    const { t, node } = startNode();
    for (const [, make, reason] of rawCases) {
      await expectRejected(t, node, () => t.deliverImage(make()), reason);
      await expectGoodFrameStillWorks(t, node, () => t.deliverImage(rawImage(2)));
    }
    assert.equal(node.pipeline.stats.rejected, rawCases.length);
    await node.close();
  });

  it('rejects the same problems arriving as message objects', async () => {
    const { t, node } = startNode({ serialized_io: false });
    for (const [name, make, reason] of rawCases.slice(0, 7)) {
      const m = readImage(make());
      await expectRejected(t, node, () => t.deliverImage(m), reason);
      assert.ok(name);
    }
    await expectGoodFrameStillWorks(t, node, () => t.deliverImage(imageMessage(3)));
    await node.close();
  });

  it('logs rejections throttled, with the reason and how many were held back', async () => {
    const { t, node } = startNode();
    for (let i = 0; i < 10; ++i) {
      t.deliverImage(image({ encoding: 'bayer_rggb8' }));
      await node.pipeline.idle();
    }
    const warnings = t.logs.filter((l) => l.level === 'warn' && l.message.startsWith('frame rejected'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].message, /^frame rejected: unsupported encoding 'bayer_rggb8'/);
    assert.equal(node.pipeline.stats.rejected, 10);
    await node.close();
  });

  it('rejects bad compressed images with their reason and carries on', async () => {
    const { t, node } = startNode({ input_transport: 'compressed' });
    const rgb = imageMessage(1);
    const raw = { raw: { width: 64, height: 48, channels: 3 as const } };
    const jpeg = await sharp(rgb.data, raw).jpeg().toBuffer();
    const png = await sharp(rgb.data, raw).png().toBuffer();
    const wide = await sharp({ create: { width: 8200, height: 2, channels: 3, background: '#000' } }).png().toBuffer();
    const cases: [string, Uint8Array, RegExp][] = [
      ['jpeg', jpeg.subarray(0, jpeg.length >> 1), /corrupt jpeg data/],
      ['jpeg', Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(400, 0x55)]), /corrupt jpeg data/],
      ['png', png.subarray(0, png.length - 20), /corrupt png data/],
      ['png', jpeg, /format 'png' says png but the data \(\d+ bytes\) is jpeg/],
      ['jpeg', Buffer.from('GIF89a....'), /says jpeg but the data \(10 bytes\) is not a jpeg image/],
      ['tiff', png, /unsupported CompressedImage format 'tiff'/],
      ['16UC1; compressedDepth png', png, /depth images are not segmented/],
      ['png', wide, /png image size 8200x2 is outside 1\.\.8192 a side/],
    ];
    for (const [format, data, reason] of cases) {
      await expectRejected(t, node, () => t.deliverCompressedImage(writeCompressedImage({ header, format, data })), reason);
      await expectGoodFrameStillWorks(t, node, () =>
        t.deliverCompressedImage(writeCompressedImage({ header, format: 'png', data: png })),
      );
    }
    await expectRejected(t, node, () => t.deliverCompressedImage(Buffer.from([0, 1, 0, 0, 9])), /CompressedImage: truncated at field `header\.stamp\.sec` \(needs 4 bytes, 1 left\)/);
    await node.close();
  });
});
