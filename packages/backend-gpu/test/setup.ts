import { createGpuBackend, type GpuBackend } from '../src/index.js';

/**
 * Opens the gpu backend for a test file. Without an adapter the tests are skipped locally, but in CI
 * (CI=true, where lavapipe is installed) that is a failure: a GPU suite that silently skips proves nothing.
 */
export async function openGpu(): Promise<GpuBackend | undefined> {
  try {
    return await createGpuBackend();
  } catch (error) {
    if (process.env.CI) throw error;
    console.warn(`[backend-gpu tests] no WebGPU adapter, skipping: ${(error as Error).message}`);
    return undefined;
  }
}

// max |a − b| (NaN when a value is NaN, Infinity when lengths differ: neither passes a tolerance check).
export { maxAbsDiff } from '@distilbert/core/testing';

/** Deterministic uniform values in [lo, hi) (mulberry32). */
export function rand(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** float64 erf: Taylor series, exact to ~1e-12 for the |x| ≤ 4.5 the tests use; ±1 beyond. */
export function erf64(x: number): number {
  if (Math.abs(x) > 4.5) return Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

export const gelu64 = (x: number): number => 0.5 * x * (1 + erf64(x / Math.SQRT2));
