import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

/** Exact GELU as torch.onnx writes it: x · 0.5 · (1 + erf(x / √2)); com.microsoft Gelu behind the option. */
export function lowerGelu(ctx: LowerContext, i: { x: Val }): Val {
  const { g } = ctx;
  const { x } = i;
  if (ctx.gelu === 'contrib') return val(g.op('Gelu', [x.name], {}, 'com.microsoft'), x.elem, x.shape);
  const scaled = g.op('Div', [x.name, g.constScalar('float32', Math.SQRT2)]);
  const onePlus = g.op('Add', [g.op('Erf', [scaled]), g.constScalar('float32', 1)]);
  const out = g.op('Mul', [g.op('Mul', [x.name, onePlus]), g.constScalar('float32', 0.5)]);
  return val(out, x.elem, x.shape);
}
