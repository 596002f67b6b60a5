import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

export function lowerRelu(ctx: LowerContext, i: { x: Val }): Val {
  return val(ctx.g.op('Relu', [i.x.name]), i.x.elem, i.x.shape);
}
