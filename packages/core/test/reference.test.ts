import { engine, getBackend, ops, ShapeError, type Tensor } from '@distilbert/core';
import { createReferenceBackend } from '@distilbert/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { erf } from '../src/testing/reference/kernels/erf.js';

// The reference is what other backends are judged by, so its kernels are checked here against
// values computed by hand or by a high-precision library (mpmath for erf).
const backend = createReferenceBackend();
afterAll(() => backend.dispose());
const t = (values: number[], shape: number[]) => engine.makeTensor(backend, new Float32Array(values), shape);
const ints = (values: number[], shape: number[]) => engine.makeTensor(backend, new Int32Array(values), shape);
const read = (x: Tensor) => Array.from(x.dataSync());

describe('reference backend', () => {
  it('erf matches high-precision values to ~1e-15', () => {
    const cases: [number, number][] = [
      [0, 0],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [-3, -0.9999779095030014],
      [4.5, 0.9999999998033839],
    ];
    for (const [x, want] of cases) expect(Math.abs(erf(x) - want)).toBeLessThan(2e-15);
  });

  it('Gelu is the exact erf form, not the tanh approximation', () => {
    const y = read(ops.gelu(t([1, -1, 0, 3], [4])));
    expect(y[0]).toBeCloseTo(0.8413447460685429, 7);
    expect(y[1]).toBeCloseTo(-0.15865525393145707, 7);
    expect(y[2]).toBe(0);
    expect(y[3]).toBeCloseTo(2.9959502, 6);
  });

  it('BatchMatMul with transposes and a shared rank-2 operand', () => {
    const a = t([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = t([1, 0, 0, 1, 1, 1], [3, 2]);
    expect(read(ops.matMul(a, b))).toEqual([4, 5, 10, 11]);
    expect(read(ops.matMul(a, a, false, true))).toEqual([14, 32, 32, 77]);
    expect(read(ops.matMul(a, a, true, false))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
    const batch = t([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    const out = ops.matMul(batch, b);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(read(out)).toEqual([4, 5, 10, 11, 16, 17, 22, 23]);
  });

  it('Softmax masks keys with finfo.min: a fully masked row is uniform, never NaN', () => {
    const x = t([1, 2, 3, 1, 2, 3], [2, 1, 3]);
    const y = read(ops.softmax(x, ints([1, 1, 0, 0, 0, 0], [2, 3])));
    const e = Math.exp(1);
    expect(y[0]).toBeCloseTo(1 / (1 + e), 7);
    expect(y[1]).toBeCloseTo(e / (1 + e), 7);
    expect(y[2]).toBe(0);
    expect(y.slice(3)).toEqual([1 / 3, 1 / 3, 1 / 3].map(Math.fround));
  });

  it('LayerNorm uses the biased variance and epsilon inside the root', () => {
    const y = read(ops.layerNorm(t([1, 2, 3, 4], [1, 4]), t([1, 1, 1, 2], [4]), t([0, 0, 0, 1], [4]), 0));
    const sd = Math.sqrt(1.25);
    expect(y[0]).toBeCloseTo(-1.5 / sd, 6);
    expect(y[3]).toBeCloseTo((2 * 1.5) / sd + 1, 6);
    expect(read(ops.layerNorm(t([5, 5], [1, 2]), t([1, 1], [2]), t([0.5, 0.5], [2]), 1e-12))).toEqual([
      0.5, 0.5,
    ]);
  });

  it('Transpose, Slice, Cast, Add, Mul, Relu, Tanh, Gather', () => {
    const x = t([0, 1, 2, 3, 4, 5], [2, 3]);
    expect(read(ops.transpose(x, [1, 0]))).toEqual([0, 3, 1, 4, 2, 5]);
    expect(read(ops.slice(x, [0, 1], [2, 2]))).toEqual([1, 2, 4, 5]);
    const c = ops.cast(t([1.9, -1.9, 2.5], [3]), 'int32');
    expect(c.dtype).toBe('int32');
    expect(read(c)).toEqual([1, -1, 2]);
    expect(read(ops.add(x, t([10, 20, 30], [3])))).toEqual([10, 21, 32, 13, 24, 35]);
    expect(read(ops.mul(x, t([2], [])))).toEqual([0, 2, 4, 6, 8, 10]);
    expect(read(ops.relu(t([-1, 0, 2], [3])))).toEqual([0, 0, 2]);
    expect(read(ops.tanh(t([0.5], [1])))[0]).toBeCloseTo(Math.tanh(0.5), 7);
    expect(read(ops.gather(x, ints([1, 1, 0], [3])))).toEqual([3, 4, 5, 3, 4, 5, 0, 1, 2]);
    expect(() => ops.gather(x, ints([2], [1]))).toThrow(ShapeError);
  });

  it('is registered as "reference" when @distilbert/core/testing is imported', async () => {
    const b = await getBackend('reference');
    expect(b.name).toBe('reference');
    expect(Object.keys(b.kernels)).toHaveLength(12);
  });
});
