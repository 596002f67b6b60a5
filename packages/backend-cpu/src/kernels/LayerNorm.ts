import { ShapeError } from '@distilbert/core';
import type { CpuKernel } from './types.js';

/** Normalises each row of `x` (length d, at `off`) into `out`, statistics in float64. */
export function layerNormRows(
  x: Float32Array,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  epsilon: number,
  d: number,
  out: Float32Array,
): void {
  for (let off = 0; off < x.length; off += d) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[off + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) {
      const c = x[off + i] - mean;
      variance += c * c;
    }
    const inv = 1 / Math.sqrt(variance / d + epsilon);
    for (let i = 0; i < d; i++) out[off + i] = (x[off + i] - mean) * inv * gamma[i] + beta[i];
  }
}

export const LayerNorm: CpuKernel<'LayerNorm'> = (backend, { x, gamma, beta }, { epsilon }) => {
  const d = x.shape[x.shape.length - 1];
  if (gamma.shape[0] !== d || beta.shape[0] !== d) {
    throw new ShapeError(`LayerNorm: gamma/beta must be [${d}], got [${gamma.shape}] and [${beta.shape}].`);
  }
  const xv = backend.f32(x);
  const { info, values: out } = backend.makeOutput(x.shape, 'float32');
  layerNormRows(xv, backend.f32(gamma), backend.f32(beta), epsilon, d, out);
  return info;
};
