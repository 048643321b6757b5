// MaxPool, AveragePool, GlobalAveragePool: DQ -> pool -> Q.
import { attrInt, attrInts } from './attrs';
import type { Emitted, FuseContext } from './context';
import { modelLimits } from '../spec';
import { poolWindowLimits, windowGeometry } from './conv';
import { nodeError } from './errors';
import type { Node } from './graph';

export function fusePool(ctx: FuseContext, node: Node): Emitted {
  const padded = node.opType === 'AveragePool' ? ctx.actWithPad(node.input?.[0] ?? '', node) : undefined;
  const x = padded ? padded.x : ctx.act(node.input?.[0] ?? '', node);
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
  const geo = windowGeometry(node, undefined, poolWindowLimits());
  const ceilMode = attrInt(node, 'ceil_mode', 0) !== 0;
  let countIncludePad = node.opType === 'AveragePool' && attrInt(node, 'count_include_pad', 0) !== 0;
  if (padded && padded.pads.some((p) => p > 0)) {
    // Zeros from a folded Pad always count: fine when the pool's own pads count too or are zero.
    if (!countIncludePad && geo.pads.some((p) => p > 0)) {
      throw nodeError(node, 'a Pad in front of an AveragePool with count_include_pad=0 and its own pads cannot be folded');
    }
    countIncludePad = true;
    geo.pads = geo.pads.map((p, i) => p + padded.pads[i]) as typeof geo.pads;
    const { maxPad } = modelLimits();
    if (geo.pads.some((p) => p > maxPad)) throw nodeError(node, `pads [${geo.pads.join(', ')}] exceed ${maxPad}`);
  }
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
