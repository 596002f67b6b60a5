import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

export function lowerTranspose(ctx: LowerContext, i: { x: Val }, attrs: { perm: readonly number[] }): Val {
  const out = ctx.g.op('Transpose', [i.x.name], { perm: attrs.perm });
  return val(
    out,
    i.x.elem,
    attrs.perm.map((p) => i.x.shape[p]),
  );
}
