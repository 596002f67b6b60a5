import { InputError, MASK_FILL, ShapeError } from '@distilbert/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CpuBackend, createCpuBackend } from '../src/index.js';
import { erf } from '../src/math.js';
import { maxAbsDiff, rand, read, tensor } from './helpers.js';

let be: CpuBackend;
beforeAll(async () => {
  be = await createCpuBackend({ threads: 2 });
});
afterAll(() => be.dispose());

const k = () => be.kernels;
const t = (v: Float32Array | Int32Array, shape: number[]) => tensor(be, v, shape);
const geluRef = (x: number) => 0.5 * x * (1 + erfRef(x / Math.SQRT2));
// erf in float64: Maclaurin series up to |x| = 3 (terms stay below 1e4, so ~1e-12 error), beyond it the
// asymptotic series of erfc (relative error ~1e-4 of an erfc below 2.3e-5).
function erfRef(x: number): number {
  const z = Math.abs(x);
  if (z > 3) {
    const u = 1 / (2 * z * z);
    const erfc =
      (Math.exp(-z * z) / (z * Math.sqrt(Math.PI))) * (1 - u + 3 * u * u - 15 * u ** 3 + 105 * u ** 4);
    return Math.sign(x) * (1 - erfc);
  }
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

describe('elementwise kernels', () => {
  it('erf is within 2.5e-7 of the series everywhere on [-6, 6]', () => {
    let d = 0;
    for (let x = -6; x <= 6; x += 0.001) d = Math.max(d, Math.abs(erf(x) - erfRef(x)));
    expect(d).toBeLessThan(2.5e-7);
  });

  it('Gelu (exact erf form, not tanh), Relu, Tanh', () => {
    const x = rand(1000, 5).map((v) => v * 6);
    const g = read(be, k().Gelu!({ x: t(x, [10, 100]) }, {}));
    expect(maxAbsDiff(g, Array.from(x, geluRef))).toBeLessThan(2e-6);
    // the tanh approximation differs by ~1e-4 somewhere on this range: make sure that is not what we run
    const tanhGelu = (v: number) =>
      0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    expect(maxAbsDiff(g, Array.from(x, tanhGelu))).toBeGreaterThan(1e-4);
    expect(read(be, k().Relu!({ x: t(x, [1000]) }, {}))).toEqual(Float32Array.from(x, (v) => Math.max(v, 0)));
    expect(maxAbsDiff(read(be, k().Tanh!({ x: t(x, [1000]) }, {})), Array.from(x, Math.tanh))).toBeLessThan(
      1e-7,
    );
  });

  it('Add and Mul broadcast a suffix-shaped b (bias, scalar)', () => {
    const a = rand(24, 1);
    const b = rand(4, 2);
    const sum = read(be, k().Add!({ a: t(a, [2, 3, 4]), b: t(b, [4]) }, {}));
    expect(sum).toEqual(Float32Array.from(a, (v, i) => v + b[i % 4]));
    const prod = read(be, k().Mul!({ a: t(a, [2, 3, 4]), b: t(new Float32Array([0.5]), []) }, {}));
    expect(prod).toEqual(Float32Array.from(a, (v) => v * 0.5));
    expect(() => k().Add!({ a: t(a, [2, 3, 4]), b: t(b.subarray(0, 3), [3]) }, {})).toThrow(ShapeError);
  });

  it('Cast truncates toward zero and back', () => {
    const c = k().Cast!({ x: t(new Float32Array([1.9, -1.9, 0, 7]), [4]) }, { dtype: 'int32' });
    expect(c.dtype).toBe('int32');
    expect(Array.from(be.readSync(c.dataId))).toEqual([1, -1, 0, 7]);
    const f = k().Cast!({ x: t(new Int32Array([3, -2]), [2]) }, { dtype: 'float32' });
    expect(be.readSync(f.dataId)).toEqual(new Float32Array([3, -2]));
  });
});

describe('layout kernels', () => {
  it('Gather rows, and a typed error for ids outside the table', () => {
    const x = rand(5 * 3, 3);
    const g = k().Gather!({ x: t(x, [5, 3]), indices: t(new Int32Array([4, 0, 4]), [3]) }, {});
    expect(g.shape).toEqual([3, 3]);
    expect(Array.from(read(be, g))).toEqual([
      ...x.subarray(12, 15),
      ...x.subarray(0, 3),
      ...x.subarray(12, 15),
    ]);
    expect(() => k().Gather!({ x: t(x, [5, 3]), indices: t(new Int32Array([5]), [1]) }, {})).toThrow(
      InputError,
    );
  });

  it('Transpose by any permutation (rank 4, heads split and merge)', () => {
    const shape = [2, 3, 4, 5];
    const x = rand(120, 4);
    const perm = [0, 2, 1, 3];
    const out = k().Transpose!({ x: t(x, shape) }, { perm });
    expect(out.shape).toEqual([2, 4, 3, 5]);
    const v = read(be, out);
    for (let a = 0; a < 2; a++)
      for (let b = 0; b < 3; b++)
        for (let c = 0; c < 4; c++)
          for (let d = 0; d < 5; d++)
            expect(v[((a * 4 + c) * 3 + b) * 5 + d]).toBe(x[((a * 3 + b) * 4 + c) * 5 + d]);
    const back = k().Transpose!({ x: out }, { perm: [3, 2, 1, 0] });
    expect(back.shape).toEqual([5, 3, 4, 2]);
    expect(read(be, back)[1]).toBe(x[((1 * 3 + 0) * 4 + 0) * 5 + 0]);
  });

  it('Slice any box', () => {
    const x = rand(60, 6);
    const out = k().Slice!({ x: t(x, [3, 4, 5]) }, { begin: [1, 0, 2], size: [2, 3, 2] });
    expect(out.shape).toEqual([2, 3, 2]);
    const v = read(be, out);
    let i = 0;
    for (let a = 1; a < 3; a++)
      for (let b = 0; b < 3; b++) for (let c = 2; c < 4; c++) expect(v[i++]).toBe(x[(a * 4 + b) * 5 + c]);
    expect(() => k().Slice!({ x: t(x, [3, 4, 5]) }, { begin: [2, 0, 0], size: [2, 1, 1] })).toThrow(
      ShapeError,
    );
  });
});

function layerNormRef(
  x: ArrayLike<number>,
  g: ArrayLike<number>,
  b: ArrayLike<number>,
  d: number,
  eps: number,
) {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length; r += d) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[r + i] / d;
    let v = 0;
    for (let i = 0; i < d; i++) v += (x[r + i] - mean) ** 2 / d;
    for (let i = 0; i < d; i++) out[r + i] = ((x[r + i] - mean) / Math.sqrt(v + eps)) * g[i] + b[i];
  }
  return out;
}

describe('normalisation and softmax', () => {
  it('LayerNorm and AddLayerNorm (eps 1e-12, biased variance)', () => {
    const d = 768;
    const x = rand(4 * d, 7).map((v) => v * 3 + 1);
    const r = rand(4 * d, 8);
    const g = rand(d, 9).map((v) => 1 + v * 0.1);
    const b = rand(d, 10).map((v) => v * 0.05);
    const ln = read(
      be,
      k().LayerNorm!({ x: t(x, [4, d]), gamma: t(g, [d]), beta: t(b, [d]) }, { epsilon: 1e-12 }),
    );
    expect(maxAbsDiff(ln, layerNormRef(x, g, b, d, 1e-12))).toBeLessThan(2e-6);
    const sum = Float32Array.from(x, (v, i) => v + r[i]);
    const aln = read(
      be,
      k().AddLayerNorm!(
        { x: t(x, [4, d]), residual: t(r, [4, d]), gamma: t(g, [d]), beta: t(b, [d]) },
        { epsilon: 1e-12 },
      ),
    );
    expect(maxAbsDiff(aln, layerNormRef(sum, g, b, d, 1e-12))).toBeLessThan(2e-6);
  });

  it('Softmax with a key mask: finfo.min fill, fully masked rows uniform (never NaN)', () => {
    const [b, h, s] = [2, 3, 5];
    const x = rand(b * h * s * s, 11).map((v) => v * 10);
    const mask = new Int32Array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    const out = read(be, k().Softmax!({ x: t(x, [b, h, s, s]), mask: t(mask, [b, s]) }, {}));
    for (let row = 0; row < b * h * s; row++) {
      const bi = Math.floor(row / (h * s));
      const m = mask.subarray(bi * s, bi * s + s);
      const vals = Array.from(x.subarray(row * s, row * s + s), (v, i) => (m[i] ? v : MASK_FILL));
      const max = Math.max(...vals);
      const e = vals.map((v) => Math.exp(v - max));
      const z = e.reduce((p, q) => p + q);
      expect(
        maxAbsDiff(
          out.subarray(row * s, row * s + s),
          e.map((v) => v / z),
        ),
      ).toBeLessThan(1e-7);
    }
    expect(out.subarray(b * h * s * s - s)).toEqual(new Float32Array(s).fill(0.2));
  });
});

function attentionRef(
  q: Float32Array,
  kk: Float32Array,
  v: Float32Array,
  mask: Int32Array,
  b: number,
  s: number,
  d: number,
  nh: number,
) {
  const hd = d / nh;
  const out = new Float64Array(b * s * d);
  for (let bi = 0; bi < b; bi++)
    for (let h = 0; h < nh; h++)
      for (let i = 0; i < s; i++) {
        const sc = new Float64Array(s);
        for (let j = 0; j < s; j++) {
          let dot = 0;
          for (let c = 0; c < hd; c++)
            dot += q[(bi * s + i) * d + h * hd + c] * kk[(bi * s + j) * d + h * hd + c];
          sc[j] = mask[bi * s + j] ? dot / Math.sqrt(hd) : MASK_FILL;
        }
        const max = Math.max(...sc);
        let z = 0;
        for (let j = 0; j < s; j++) z += sc[j] = Math.exp(sc[j] - max);
        for (let c = 0; c < hd; c++) {
          let acc = 0;
          for (let j = 0; j < s; j++) acc += (sc[j] / z) * v[(bi * s + j) * d + h * hd + c];
          out[(bi * s + i) * d + h * hd + c] = acc;
        }
      }
  return out;
}

describe('fused kernels', () => {
  for (const activation of ['none', 'gelu', 'relu', 'tanh'] as const) {
    it(`Linear with bias and ${activation} epilogue on [2, 7, 37] · [13, 37]ᵀ`, () => {
      const [m, kk, n] = [14, 37, 13];
      const x = rand(m * kk, 12);
      const w = rand(n * kk, 13);
      const bias = rand(n, 14);
      const act = {
        none: (v: number) => v,
        gelu: geluRef,
        relu: (v: number) => Math.max(v, 0),
        tanh: Math.tanh,
      }[activation];
      const out = k().Linear!(
        { x: t(x, [2, 7, kk]), weight: t(w, [n, kk]), bias: t(bias, [n]) },
        { activation },
      );
      expect(out.shape).toEqual([2, 7, n]);
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = bias[j];
          for (let p = 0; p < kk; p++) s += x[i * kk + p] * w[j * kk + p];
          ref[i * n + j] = act(s);
        }
      expect(maxAbsDiff(read(be, out), ref)).toBeLessThan(1e-5);
    });
  }

  it('Linear reuses the cached weight after its first use; reading the weight back is unchanged', () => {
    const w = rand(8 * 4, 15);
    const weight = t(w.slice(), [8, 4]);
    const x = t(rand(4, 16), [1, 4]);
    const a = read(be, k().Linear!({ x, weight }, { activation: 'none' }));
    const b = read(be, k().Linear!({ x, weight }, { activation: 'none' }));
    expect(b).toEqual(a);
    expect(be.readSync(weight.dataId)).toEqual(w);
  });

  for (const [b, s, d, nh] of [
    [2, 9, 32, 4],
    [1, 33, 64, 2],
  ]) {
    it(`Attention [${b}, ${s}, ${d}] with ${nh} heads and padded keys matches float64`, () => {
      const q = rand(b * s * d, 17).map((v) => v * 3);
      const kk = rand(b * s * d, 18).map((v) => v * 3);
      const v = rand(b * s * d, 19);
      const mask = new Int32Array(b * s).map((_, i) => (i % s < s - 1 - (i < s ? 0 : 3) ? 1 : 0));
      const out = k().Attention!(
        { q: t(q, [b, s, d]), k: t(kk, [b, s, d]), v: t(v, [b, s, d]), mask: t(mask, [b, s]) },
        { numHeads: nh, scale: 1 / Math.sqrt(d / nh) },
      );
      expect(out.shape).toEqual([b, s, d]);
      expect(maxAbsDiff(read(be, out), attentionRef(q, kk, v, mask, b, s, d, nh))).toBeLessThan(2e-6);
    });
  }
});
