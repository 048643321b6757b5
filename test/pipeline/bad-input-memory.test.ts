// An unattended node fed bad frames for hours must not grow: 10,000 rejected frames of every kind
// (decode errors, engine checks, oversize declarations) leave the JavaScript heap and the
// buffers outside it where the first 1,000 left them.
import { strict as assert } from 'assert';
import * as v8 from 'v8';
import * as vm from 'vm';

import { writeCompressedImage, writeImage } from '../helpers/cdr-oracle';
import { imageMessage, rawImage, startNode } from '../helpers/pipeline-harness';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function retainedBytes(): number {
  for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

async function expectFlat(
  node: ReturnType<typeof startNode>['node'],
  deliver: (i: number) => void,
): Promise<void> {
  const feed = async (n: number) => {
    for (let i = 0; i < n; i++) {
      deliver(i);
      await node.pipeline.idle();
    }
  };
  await feed(1000);
  const warm = retainedBytes();
  const rejectedBefore = node.pipeline.stats.rejected;
  await feed(10_000);
  const after = retainedBytes();
  assert.equal(node.pipeline.stats.rejected - rejectedBefore, 10_000, 'every bad frame is rejected');
  const grown = after - warm;
  assert.ok(grown < 4 * 1024 * 1024, `retained memory grew by ${(grown / 1048576).toFixed(1)} MiB over 10,000 bad frames`);
  await node.close();
}

describe('bad input: memory stays flat over 10,000 bad frames through the node', function () {
  this.timeout(300_000);
  const header = { stamp: { sec: 1, nanosec: 2 }, frame_id: 'cam' };

  it('raw Image messages: bad encoding, step, truncation, size, CDR', async () => {
    const { t, node } = startNode();
    const good = imageMessage(1);
    const image = (patch: Record<string, unknown>) => writeImage({ ...good, ...patch });
    const bad: Buffer[] = [
      image({ encoding: '32FC1' }),
      image({ step: 64 * 3 - 1 }),
      image({ data: good.data.subarray(0, 64 * 3 * 47) }),
      image({ width: 9000, height: 1, step: 27000, data: new Uint8Array(27000) }),
      rawImage(1).subarray(0, 100),
      Buffer.alloc(0),
    ];
    await expectFlat(node, (i) => t.deliverImage(bad[i % bad.length]));
  });

  it('CompressedImage messages: not an image, cut JPEG, format mismatch', async () => {
    const { t, node } = startNode({ input_transport: 'compressed' });
    const bad: Buffer[] = [
      writeCompressedImage({ header, format: 'png', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }),
      writeCompressedImage({ header, format: 'jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) }),
      writeCompressedImage({ header, format: 'png', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) }),
      Buffer.alloc(3),
    ];
    await expectFlat(node, (i) => t.deliverCompressedImage(bad[i % bad.length]));
  });
});
