import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CpuBackend, createCpuBackend } from '../src/index.js';
import { maxAbsDiff, rand, read, refMatMul, tensor } from './helpers.js';

let wasm1: CpuBackend;
let wasm2: CpuBackend;
let ts: CpuBackend;

beforeAll(async () => {
  wasm1 = await createCpuBackend({ threads: 1 });
  wasm2 = await createCpuBackend({ threads: 2 });
  ts = await createCpuBackend({ wasm: false });
});
afterAll(() => {
  for (const b of [wasm1, wasm2, ts]) b.dispose();
});

function matmul(
  backend: CpuBackend,
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
) {
  const out = backend.kernels.BatchMatMul!(
    { a: tensor(backend, a.slice(), aShape), b: tensor(backend, b.slice(), bShape) },
    { transposeA, transposeB },
  );
  return { shape: out.shape, values: read(backend, out) };
}

describe('GEMM', () => {
  it('runs the WebAssembly SIMD kernel here, and the TypeScript one when asked', () => {
    expect(wasm1.gemmKind).toBe('wasm-simd');
    expect(wasm2.threads).toBe(2);
    expect(ts.gemmKind).toBe('typescript');
  });

  const dims = [1, 7, 13, 65, 127];
  for (const m of dims)
    for (const [n, k] of [
      [1, 13],
      [7, 65],
      [13, 1],
      [65, 127],
      [127, 7],
    ])
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        it(`${m}x${k}x${n} transposeA=${ta} transposeB=${tb} matches float64 on every path`, () => {
          const a = rand(m * k, m * 31 + k);
          const b = rand(k * n, n * 17 + k);
          const ref = refMatMul(a, b, m, n, k, ta, tb);
          const aShape = ta ? [k, m] : [m, k];
          const bShape = tb ? [n, k] : [k, n];
          const results = [wasm1, wasm2, ts].map((be) => matmul(be, a, aShape, b, bShape, ta, tb));
          for (const r of results) {
            expect(r.shape).toEqual([m, n]);
            expect(maxAbsDiff(r.values, ref)).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
          }
          // one reduction order everywhere: WASM 1 thread, 2 threads and the TypeScript GEMM agree bitwise
          expect(results[1].values).toEqual(results[0].values);
          expect(results[2].values).toEqual(results[0].values);
        });
      }

  it('batches: [B,M,K]·[B,K,N], [B,M,K]·[K,N] shared, [M,K]·[B,N,K]ᵀ', () => {
    const [bt, m, k, n] = [3, 5, 9, 6];
    const a = rand(bt * m * k, 3);
    const b = rand(bt * k * n, 4);
    const cases: [number[], number[], boolean, number[]][] = [
      [[bt, m, k], [bt, k, n], false, [bt, m, n]],
      [[bt, m, k], [k, n], false, [bt, m, n]],
      [[m, k], [bt, n, k], true, [bt, m, n]],
    ];
    for (const [as, bs, tb, outShape] of cases) {
      const av = a.subarray(
        0,
        as.reduce((x, y) => x * y),
      );
      const bv = b.subarray(
        0,
        bs.reduce((x, y) => x * y),
      );
      const r = matmul(wasm2, av, as, bv, bs, false, tb);
      expect(r.shape).toEqual(outShape);
      for (let t = 0; t < bt; t++) {
        const at = as.length === 3 ? av.subarray(t * m * k, (t + 1) * m * k) : av;
        const bb = bs.length === 3 ? bv.subarray(t * k * n, (t + 1) * k * n) : bv;
        const ref = refMatMul(at, bb, m, n, k, false, tb);
        expect(maxAbsDiff(r.values.subarray(t * m * n, (t + 1) * m * n), ref)).toBeLessThan(1e-5);
      }
    }
  });

  it('model-sized products are bitwise equal at 1 and 2 threads', () => {
    for (const [m, k, n] of [
      [128, 768, 3072],
      [37, 3072, 768],
      [3, 768, 30522],
    ]) {
      const x = rand(m * k, m);
      const w = rand(n * k, n);
      const run = (be: CpuBackend) =>
        read(
          be,
          be.kernels.Linear!(
            { x: tensor(be, x, [m, k]), weight: tensor(be, w.slice(), [n, k]) },
            { activation: 'none' },
          ),
        );
      const one = run(wasm1);
      const two = run(wasm2);
      expect(two).toEqual(one);
      // spot-check against float64
      for (const [i, j] of [
        [0, 0],
        [m - 1, n - 1],
        [m >> 1, n - 2],
      ]) {
        let s = 0;
        for (let p = 0; p < k; p++) s += x[i * k + p] * w[j * k + p];
        expect(Math.abs(one[i * n + j] - s)).toBeLessThan(1e-4);
      }
    }
  });

  it('fused Linear+bias+GELU and Attention: bitwise equal at 1 and 2 threads, TypeScript path within 1e-6', () => {
    const [b, sq, d, heads, hidden] = [3, 50, 96, 4, 200];
    const x = rand(b * sq * d, 21);
    const w = rand(hidden * d, 22).map((v) => v * 0.3);
    const bias = rand(hidden, 23);
    const q = rand(b * sq * d, 24).map((v) => v * 2);
    const kk = rand(b * sq * d, 25).map((v) => v * 2);
    const v = rand(b * sq * d, 26);
    const mask = new Int32Array(b * sq).map((_, i) => (i % sq < sq - 7 * Math.floor(i / sq) ? 1 : 0));
    const run = (be: CpuBackend) => {
      const lin = be.kernels.Linear!(
        {
          x: tensor(be, x, [b, sq, d]),
          weight: tensor(be, w.slice(), [hidden, d]),
          bias: tensor(be, bias.slice(), [hidden]),
        },
        { activation: 'gelu' },
      );
      const att = be.kernels.Attention!(
        {
          q: tensor(be, q, [b, sq, d]),
          k: tensor(be, kk, [b, sq, d]),
          v: tensor(be, v, [b, sq, d]),
          mask: tensor(be, mask, [b, sq]),
        },
        { numHeads: heads, scale: 1 / Math.sqrt(d / heads) },
      );
      return [read(be, lin), read(be, att)];
    };
    const [lin1, att1] = run(wasm1);
    const [lin2, att2] = run(wasm2);
    const [linTs, attTs] = run(ts);
    expect(lin2).toEqual(lin1);
    expect(att2).toEqual(att1);
    expect(maxAbsDiff(linTs, lin1)).toBeLessThan(1e-6);
    expect(maxAbsDiff(attTs, att1)).toBeLessThan(1e-6);
  });
});
