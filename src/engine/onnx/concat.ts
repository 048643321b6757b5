// Concat along channels: DQ each input -> Concat(axis 1) -> Q.
import { attrInt } from './attrs';
import type { Emitted, FuseContext } from './context';
import { nodeError } from './errors';
import type { Node } from './graph';

export function fuseConcat(ctx: FuseContext, node: Node): Emitted {
  const axis = attrInt(node, 'axis', 0);
  if (axis !== 1 && axis !== -3) throw nodeError(node, `Concat on axis ${axis} is not supported (channels only: axis 1)`);
  const names = (node.input ?? []).filter((n) => n);
  if (names.length < 1) throw nodeError(node, 'Concat has no inputs');
  const inputs = names.map((n) => ctx.act(n, node));
  const channels = inputs.reduce((s, i) => s + ctx.tensors[i].channels, 0);
  const kinds = new Set(inputs.map((i) => ctx.spatial[i]));
  if (kinds.size > 1) throw nodeError(node, 'inputs have different spatial sizes (1x1 and full)');
  return { op: { kind: 'Concat', inputs }, channels, spatial: ctx.spatial[inputs[0]] };
}
