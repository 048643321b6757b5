// MaxPool, AveragePool, GlobalAveragePool: DQ -> pool -> Q.
import { attrInt, attrInts } from './attrs';
import type { Emitted, FuseContext } from './context';
import { windowGeometry } from './conv';
import { nodeError } from './errors';
import type { Node } from './graph';

export function fusePool(ctx: FuseContext, node: Node): Emitted {
  const x = ctx.act(node.input?.[0] ?? '', node);
  const channels = ctx.tensors[x].channels;
  if (node.opType === 'GlobalAveragePool') {
    return { op: { kind: 'GlobalAveragePool', inputs: [x] }, channels, spatial: 'global' };
  }
  if (node.opType === 'MaxPool') {
    const dil = attrInts(node, 'dilations');
    if (dil && dil.some((d) => d !== 1)) throw nodeError(node, `dilations [${dil.join(', ')}] are not supported`);
    if (attrInt(node, 'storage_order', 0) !== 0) throw nodeError(node, 'storage_order != 0 is not supported');
    const idx = node.output?.[1];
    if (idx && ctx.g.consumersOf(idx).length > 0) throw nodeError(node, 'the Indices output is not supported');
  }
  const geo = windowGeometry(node, undefined);
  const ceilMode = attrInt(node, 'ceil_mode', 0) !== 0;
  const countIncludePad = node.opType === 'AveragePool' && attrInt(node, 'count_include_pad', 0) !== 0;
  return {
    op: {
      kind: node.opType as 'MaxPool' | 'AveragePool',
      inputs: [x],
      pool: { kernel: geo.kernel, stride: geo.stride, pads: geo.pads, ceilMode, countIncludePad },
    },
    channels,
    spatial: 'full',
  };
}
