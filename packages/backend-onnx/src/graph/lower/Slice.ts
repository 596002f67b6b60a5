import { OnnxExportError } from '../../errors.js';
import { isStatic } from '../dims.js';
import type { Val } from '../GraphBuilder.js';
import { type LowerContext, val } from './context.js';

/**
 * x[begin : begin + size] per axis. An axis taken whole stays dynamic (end = "to the end"); a partial
 * slice must have constant bounds (the [CLS] row, a logit column).
 */
export function lowerSlice(
  ctx: LowerContext,
  i: { x: Val },
  attrs: { begin: readonly number[]; size: readonly number[] },
): Val {
  const { g } = ctx;
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  i.x.shape.forEach((dim, axis) => {
    const begin = attrs.begin[axis];
    const size = attrs.size[axis];
    if (begin === 0 && size === dim) return;
    if (!isStatic(g.dim(begin)) || !isStatic(g.dim(size))) {
      throw new OnnxExportError(
        `Slice of axis ${axis} [${begin}, +${size}) depends on a dynamic size; only whole dynamic axes can be exported.`,
      );
    }
    starts.push(begin);
    ends.push(begin + size);
    axes.push(axis);
  });
  if (axes.length === 0) return val(g.op('Identity', [i.x.name]), i.x.elem, i.x.shape);
  const out = g.op('Slice', [i.x.name, g.constInt64(starts), g.constInt64(ends), g.constInt64(axes)]);
  return val(out, i.x.elem, attrs.size);
}
