import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';
import { additiveMask } from './mask.js';

/** Softmax over the last axis, with the key mask added as finfo.min (same result as the kernel's fill). */
export function lowerSoftmax(ctx: LowerContext, i: { x: Val; mask?: Val }): Val {
  const { g } = ctx;
  const scores = i.mask ? g.op('Add', [i.x.name, additiveMask(ctx, i.mask, i.x.shape.length)]) : i.x.name;
  return val(g.op('Softmax', [scores], { axis: -1 }), i.x.elem, i.x.shape);
}
