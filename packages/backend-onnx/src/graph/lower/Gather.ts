import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

/** Rows of x [V, D] at indices [N] (int32 or int64). */
export function lowerGather(ctx: LowerContext, i: { x: Val; indices: Val }): Val {
  const out = ctx.g.op('Gather', [i.x.name, i.indices.name], { axis: 0 });
  return val(out, i.x.elem, [...i.indices.shape, ...i.x.shape.slice(1)]);
}
