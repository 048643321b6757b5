// Resize (opset 11+/13 form: X, roi, scales, sizes): by constant scales, a constant size, or the
// spatial size of another tensor computed through a Shape subgraph.
import { COORD_MODES, modelLimits, NEAREST_MODES, RESIZE_MODES } from '../spec';
import type { CoordMode, NearestMode, ResizeMode, ResizeSpec } from '../spec';
import { attrInt, attrString } from './attrs';
import type { Emitted, FuseContext } from './context';
import { nodeError } from './errors';
import type { Node } from './graph';
import { evalSymbolic, shapeSource } from './symbolic-shape';

export function fuseResize(ctx: FuseContext, node: Node): Emitted {
  const ins = node.input ?? [];
  const x = ctx.act(ins[0] ?? '', node);
  const channels = ctx.tensors[x].channels;
  const mode = attrString(node, 'mode', 'nearest');
  if (!(RESIZE_MODES as readonly string[]).includes(mode)) throw nodeError(node, `mode '${mode}' is not supported (${RESIZE_MODES.join(' or ')})`);
  const coord = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  if (!(COORD_MODES as readonly string[]).includes(coord)) throw nodeError(node, `coordinate_transformation_mode '${coord}' is not supported`);
  const nearest = attrString(node, 'nearest_mode', 'round_prefer_floor');
  if (!(NEAREST_MODES as readonly string[]).includes(nearest)) throw nodeError(node, `nearest_mode '${nearest}' is not supported`);
  if (attrInt(node, 'exclude_outside', 0) !== 0) throw nodeError(node, 'exclude_outside != 0 is not supported');
  if (ins[1]) ctx.markConst(ins[1]);
  const spec: ResizeSpec = { mode: mode as ResizeMode, coord: coord as CoordMode, nearest: nearest as NearestMode };

  let scales: number[] | undefined;
  if (ins[2]) {
    const s = ctx.g.getConst(ctx.passThrough(ins[2]));
    if (!s) throw nodeError(node, 'scales must be a constant');
    ctx.markConst(ctx.passThrough(ins[2]));
    if (s.data.length > 0) {
      if (s.dtype !== 'float') throw nodeError(node, 'scales must be float');
      scales = Array.from(s.data as Float32Array);
    }
  }
  const sizesName = ins[3];
  if (scales && sizesName) throw nodeError(node, 'both scales and sizes are given');
  if (scales) {
    if (scales.length !== 4 || scales[0] !== 1 || scales[1] !== 1) throw nodeError(node, `scales [${scales.join(', ')}] must be [1, 1, sh, sw]`);
    const max = modelLimits().maxResizeScale;
    const inRange = (s: number): boolean => Math.fround(s) >= Math.fround(1 / max) && Math.fround(s) <= max;
    if (!(inRange(scales[2]) && inRange(scales[3]))) throw nodeError(node, `scales [${scales.join(', ')}] are outside 1/${max}..${max}`);
    spec.scales = [scales[2], scales[3]];
  } else if (sizesName) {
    const v = evalSymbolic(ctx, sizesName);
    if (v.dims.length !== 4) throw nodeError(node, `sizes has ${v.dims.length} elements, expected 4 (N, C, H, W)`);
    const [dn, dc, dh, dw] = v.dims;
    // N and C: constants or dimensions of a tensor with the same batch/channels as the input.
    const isDimLike = (d: typeof dn, axis: number): boolean =>
      'tensor' in d && d.axis === axis && (axis === 0 || ctx.tensors[shapeSource(ctx, d.tensor, node)].channels === channels);
    if (!(('c' in dn && dn.c === 1) || isDimLike(dn, 0))) throw nodeError(node, 'sizes[0] (batch) must be 1 or a batch dimension');
    if (!(('c' in dc && dc.c === channels) || isDimLike(dc, 1))) throw nodeError(node, `sizes[1] must keep the ${channels} channels`);
    if ('c' in dh && 'c' in dw) {
      const max = modelLimits().maxResizeSide;
      if (!(dh.c >= 1 && dh.c <= max && dw.c >= 1 && dw.c <= max)) throw nodeError(node, `size ${dh.c}x${dw.c} is outside 1..${max} a side`);
      spec.size = [dh.c, dw.c];
    } else if ('tensor' in dh && 'tensor' in dw && dh.axis === 2 && dw.axis === 3) {
      const th = shapeSource(ctx, dh.tensor, node);
      const tw = shapeSource(ctx, dw.tensor, node);
      if (th !== tw) throw nodeError(node, 'output height and width come from different tensors');
      spec.sizeOf = th;
    } else {
      throw nodeError(node, 'sizes must be constant or the [H, W] of one tensor (F.interpolate(size=t.shape[2:]))');
    }
  } else {
    throw nodeError(node, 'neither scales nor sizes is given');
  }
  return { op: { kind: 'Resize', inputs: [x], resize: spec }, channels, spatial: 'full' };
}
