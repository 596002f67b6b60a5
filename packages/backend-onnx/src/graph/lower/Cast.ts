import type { DType } from '@distilbert/core';
import type { Val } from '../GraphBuilder.js';
import { ELEM } from '../proto.js';
import { type LowerContext, val } from './context.js';

/** ONNX Cast truncates float → int toward zero, as the kernel does. */
export function lowerCast(ctx: LowerContext, i: { x: Val }, attrs: { dtype: DType }): Val {
  return val(ctx.g.op('Cast', [i.x.name], { to: ELEM[attrs.dtype] }), attrs.dtype, i.x.shape);
}
