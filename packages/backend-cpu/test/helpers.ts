import type { TensorInfo } from '@distilbert/core';
import type { CpuBackend } from '../src/index.js';

/** Deterministic values in [-1, 1) (a small LCG), so failures reproduce. */
export function rand(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

export function tensor(backend: CpuBackend, values: Float32Array | Int32Array, shape: number[]): TensorInfo {
  const dtype = values instanceof Int32Array ? 'int32' : 'float32';
  return { dataId: backend.write(values, shape, dtype), shape, dtype };
}

export function read(backend: CpuBackend, t: TensorInfo): Float32Array {
  return backend.readSync(t.dataId) as Float32Array;
}

/** float64 reference: op(A) [m,k] · op(B) [k,n] for one batch. */
export function refMatMul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = s;
    }
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * Whether this machine's f32x4.relaxed_madd fuses (one rounding): (1 + 2⁻¹²)² − (1 + 2⁻¹¹) is 2⁻²⁴ with
 * one rounding and 0 with two. Needs relaxed SIMD enabled (createCpuBackend does so first).
 */
export async function relaxedMaddFuses(): Promise<boolean> {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const mod = wabt.parseWat(
    'probe',
    `(module (func (export "madd") (param f32 f32 f32) (result f32)
       (f32x4.extract_lane 0 (f32x4.relaxed_madd
         (f32x4.splat (local.get 0)) (f32x4.splat (local.get 1)) (f32x4.splat (local.get 2))))))`,
    { simd: true, relaxed_simd: true },
  );
  const { buffer } = mod.toBinary({});
  mod.destroy();
  const instance = new WebAssembly.Instance(new WebAssembly.Module(buffer as BufferSource));
  const madd = instance.exports.madd as (a: number, b: number, c: number) => number;
  const a = 1 + 2 ** -12;
  return madd(a, a, -(1 + 2 ** -11)) !== 0;
}
