// image/compressed input: format strings as image_transport writes them, jpeg and png decoded
// with sharp, headers carried over; a lossless png segments exactly like the raw image.
import { strict as assert } from 'assert';

import sharp from 'sharp';

import { parseCompressedFormat } from '../../src/msg';
import type { CompressedImageMessage } from '../../src/pipeline/messages';
import { compressedImageCodec, writeCompressedImage, writeImage } from '../helpers/cdr-oracle';
import { imageMessage, readImage, startNode } from '../helpers/pipeline-harness';

describe('compressed input', () => {
  it('reads image_transport format strings', () => {
    assert.deepEqual(parseCompressedFormat('jpeg'), { compression: 'jpeg', sourceEncoding: null });
    assert.deepEqual(parseCompressedFormat('PNG'), { compression: 'png', sourceEncoding: null });
    assert.deepEqual(parseCompressedFormat('bgr8; jpeg compressed bgr8'), { compression: 'jpeg', sourceEncoding: 'bgr8' });
    assert.deepEqual(parseCompressedFormat('rgb8; png compressed rgb8'), { compression: 'png', sourceEncoding: 'rgb8' });
    assert.deepEqual(parseCompressedFormat('mono8; jpeg compressed'), { compression: 'jpeg', sourceEncoding: 'mono8' });
    assert.throws(() => parseCompressedFormat('16UC1; compressedDepth png'), /depth images are not segmented/);
    assert.throws(() => parseCompressedFormat('bgr8; tiff compressed bgr8'), /unsupported CompressedImage format/);
    assert.throws(() => parseCompressedFormat(''), /unsupported CompressedImage format ''/);
  });

  for (const serialized of [true, false]) {
    it(`segments a png exactly like the raw image, header unchanged (${serialized ? 'serialized' : 'message objects'})`, async () => {
      const raw = startNode({ publish_colorized: true });
      const png = startNode({ publish_colorized: true, input_transport: 'compressed', serialized_io: serialized });
      assert.deepEqual(png.t.input, { kind: 'compressed', serialized });
      const m = imageMessage(4, { width: 61, height: 45 });
      const data = await sharp(m.data, { raw: { width: 61, height: 45, channels: 3 } }).png().toBuffer();
      // a bgr8 camera compressed by image_transport: the png itself holds RGB
      const c: CompressedImageMessage = { header: m.header, format: 'bgr8; png compressed bgr8', data };
      raw.t.deliverImage(writeImage(m));
      png.t.deliverCompressedImage(serialized ? writeCompressedImage(c) : compressedImageCodec.reader.readMessage(writeCompressedImage(c)));
      await Promise.all([raw.node.pipeline.idle(), png.node.pipeline.idle()]);
      assert.equal(png.node.pipeline.stats.rejected, 0, png.node.pipeline.stats.lastRejection ?? '');
      for (const out of ['label', 'overlay', 'colorized'] as const) {
        const p = png.t.published[out][0];
        const bytes = Buffer.isBuffer(p) ? p : writeImage(p);
        assert.ok(bytes.equals(raw.t.published[out][0] as Buffer), out);
      }
      await raw.node.close();
      await png.node.close();
    });
  }

  it('decodes a mono jpeg as mono8 and keeps the header', async () => {
    const { t, node } = startNode({ input_transport: 'compressed' });
    const grey = Buffer.alloc(50 * 30);
    for (let i = 0; i < grey.length; ++i) grey[i] = (i * 7) & 255;
    const data = await sharp(grey, { raw: { width: 50, height: 30, channels: 1 } }).jpeg().toBuffer();
    const header = { stamp: { sec: 42, nanosec: 7 }, frame_id: 'mono_cam' };
    t.deliverCompressedImage(writeCompressedImage({ header, format: 'mono8; jpeg compressed mono8', data }));
    await node.pipeline.idle();
    const label = readImage(t.published.label[0]);
    const overlay = readImage(t.published.overlay[0]);
    assert.deepEqual(label.header, header);
    assert.deepEqual([label.width, label.height, overlay.encoding, overlay.step], [50, 30, 'rgb8', 150]);
    await node.close();
  });
});
