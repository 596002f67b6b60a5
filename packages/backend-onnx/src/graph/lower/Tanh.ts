import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

export function lowerTanh(ctx: LowerContext, i: { x: Val }): Val {
  return val(ctx.g.op('Tanh', [i.x.name]), i.x.elem, i.x.shape);
}
