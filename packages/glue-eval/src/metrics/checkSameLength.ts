import { GlueEvalError } from '../errors.js';

export function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new GlueEvalError(`labels and predictions differ in length (${a.length} vs ${b.length}).`);
  }
  if (a.length === 0) throw new GlueEvalError('a metric needs at least one example.');
}
