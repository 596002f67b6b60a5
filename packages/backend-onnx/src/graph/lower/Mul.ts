import type { Val } from '../GraphBuilder.js';
import { broadcast, type LowerContext, val } from './context.js';

/** b's shape is a suffix of a's, which is numpy broadcasting. */
export function lowerMul(ctx: LowerContext, i: { a: Val; b: Val }): Val {
  return val(ctx.g.op('Mul', [i.a.name, i.b.name]), i.a.elem, broadcast(i.a.shape, i.b.shape));
}
