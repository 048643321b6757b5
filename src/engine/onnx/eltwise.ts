// Add and Mul. Two activations: same shape, or the second broadcast per channel [1,C,1,1] or per
// pixel [1,1,H,W]. One constant operand: folded into a lookup table (per tensor or per channel).
import type { QuantParams } from '../spec';
import type { ActInfo, Emitted, FuseContext } from './context';
import { nodeError } from './errors';
import type { Node } from './graph';
import { actFn, buildLut, Fn } from './lut';

const f32 = Math.fround;

export function fuseEltwise(ctx: FuseContext, node: Node, act: ActInfo | undefined, outQ: QuantParams): Emitted {
  const ins = node.input ?? [];
  if (ins.length !== 2 || !ins[0] || !ins[1]) throw nodeError(node, 'needs exactly two inputs');
  const a = ctx.operand(ins[0], node);
  const b = ctx.operand(ins[1], node);
  const kind = node.opType as 'Add' | 'Mul';
  if (a.kind === 'const' && b.kind === 'const') throw nodeError(node, 'both operands are constants (fold them before export)');
  if (a.kind === 'act' && b.kind === 'act') {
    let [x, y] = [a.tensor, b.tensor];
    const cx = ctx.tensors[x].channels;
    const cy = ctx.tensors[y].channels;
    const gx = ctx.spatial[x] === 'global';
    const gy = ctx.spatial[y] === 'global';
    const swap = (): void => {
      [x, y] = [y, x];
    };
    if (cx === cy && gx === gy) {
      // same shape
    } else if (cx === cy && gx !== gy) {
      if (gx) swap(); // channel broadcast [1,C,1,1] goes second
    } else if (!gx && !gy && (cx === 1 || cy === 1)) {
      if (cx === 1) swap(); // pixel broadcast [1,1,H,W] goes second
    } else {
      throw nodeError(node, `operands of ${cx}${gx ? ' (1x1)' : ''} and ${cy}${gy ? ' (1x1)' : ''} channels cannot be combined (same shape, [1,C,1,1] or [1,1,H,W] broadcast only)`);
    }
    return { op: { kind, inputs: [x, y] }, channels: ctx.tensors[x].channels, spatial: ctx.spatial[x] };
  }
  const [xOp, cOp] = a.kind === 'act' ? [a, b] : [b, a];
  if (xOp.kind !== 'act' || cOp.kind !== 'const') throw nodeError(node, 'internal: operand kinds');
  const x = xOp.tensor;
  const channels = ctx.tensors[x].channels;
  const c = cOp.value;
  const dims = c.dims;
  const n = c.data.length;
  let perChannel: number[];
  const isChannelShape = (dims.length === 4 && dims[0] === 1 && dims[2] === 1 && dims[3] === 1) || (dims.length === 3 && dims[1] === 1 && dims[2] === 1);
  if (n === 1) perChannel = [Number(c.data[0])];
  else if (isChannelShape && n === channels) perChannel = Array.from(c.data as Float32Array);
  else {
    throw nodeError(node, `constant operand '${c.name}' of shape [${dims.join(', ')}] is not a scalar or [1,${channels},1,1]`);
  }
  const post = actFn(act);
  const fns: Fn[] = perChannel.map((k) => {
    const kk = f32(k);
    return kind === 'Add' ? (v: number) => post(f32(v + kk)) : (v: number) => post(f32(v * kk));
  });
  return {
    op: { kind: 'Lut', inputs: [x], lut: buildLut(ctx.tensors[x].q, outQ, fns) },
    channels,
    spatial: ctx.spatial[x],
    actFolded: true,
  };
}
