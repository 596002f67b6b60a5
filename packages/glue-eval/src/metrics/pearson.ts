import { checkSameLength } from './checkSameLength.js';

/** Pearson's r as scipy.stats.pearsonr computes it; NaN when either input is constant. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkSameLength(x, y);
  // scipy's test: a constant input has no correlation (checked exactly, not through a rounded mean)
  if (isConstant(x) || isConstant(y)) return Number.NaN;
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function isConstant(v: ArrayLike<number>): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] !== v[0]) return false;
  return true;
}
