import { engine, InputError, MASK_FILL, type Tensor } from '@distilbert/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GpuBackend } from '../src/index.js';
import { chooseTile } from '../src/kernels/gemmDot.js';
import { erf64, gelu64, maxAbsDiff, openGpu, rand } from './setup.js';

// Every kernel against a float64 loop on random data, at sizes that hit the vec4 and scalar paths and
// partial tiles.

let gpu: GpuBackend | undefined;
beforeAll(async () => {
  gpu = await openGpu();
});
afterAll(() => gpu?.dispose());

const t = (v: Float32Array | Int32Array, shape: number[]): Tensor => engine.makeTensor(gpu!, v, shape);
const read = async (x: Tensor) => Array.from(await x.data());

function matmul64(
  a: Float32Array,
  b: Float32Array,
  batch: number,
  m: number,
  n: number,
  k: number,
  tA: boolean,
  tB: boolean,
  sharedA: boolean,
  sharedB: boolean,
): number[] {
  const out: number[] = [];
  for (let z = 0; z < batch; z++) {
    const oa = sharedA ? 0 : z * m * k;
    const ob = sharedB ? 0 : z * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = tA ? a[oa + p * m + i] : a[oa + i * k + p];
          const bv = tB ? b[ob + j * k + p] : b[ob + p * n + j];
          s += av * bv;
        }
        out.push(s);
      }
  }
  return out;
}

describe('gpu kernels vs float64', () => {
  it('finds an adapter (fails in CI without one)', (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter'); // only reachable outside CI
    console.log('adapter:', gpu.adapterInfo);
    expect(gpu.adapterInfo.vendor || gpu.adapterInfo.description).not.toBe('');
  });

  const cases: [number, number, number, number, boolean, boolean, boolean, boolean][] = [
    // batch, m, n, k, transA, transB, sharedA, sharedB
    [1, 5, 7, 3, false, false, false, false],
    [1, 64, 96, 32, false, true, false, false],
    [2, 37, 37, 37, false, false, false, false],
    [3, 70, 8, 130, false, true, false, false],
    [2, 8, 70, 130, true, false, false, false],
    [2, 33, 65, 17, true, true, false, false],
    [4, 16, 20, 12, false, false, false, true],
    [3, 9, 12, 16, false, false, true, false],
    [2, 128, 128, 8, false, true, false, false],
  ];
  for (const [batch, m, n, k, tA, tB, sA, sB] of cases) {
    it(`BatchMatMul ${batch}×${m}×${n}×${k} tA=${tA} tB=${tB} sharedA=${sA} sharedB=${sB}`, async (ctx) => {
      if (!gpu) return ctx.skip('no WebGPU adapter');
      const a = rand((sA ? 1 : batch) * m * k, m * 7 + k);
      const b = rand((sB ? 1 : batch) * k * n, n * 13 + k);
      const aShape = tA ? [k, m] : [m, k];
      const bShape = tB ? [n, k] : [k, n];
      const at = t(a, sA ? aShape : [batch, ...aShape]);
      const bt = t(b, sB ? bShape : [batch, ...bShape]);
      const y = engine.runKernel('BatchMatMul', { a: at, b: bt }, { transposeA: tA, transposeB: tB });
      expect(y.shape).toEqual([batch, m, n]);
      const want = matmul64(a, b, batch, m, n, k, tA, tB, sA, sB);
      expect(maxAbsDiff(await read(y), want)).toBeLessThan(2e-6 * Math.sqrt(k));
      for (const x of [at, bt, y]) x.dispose();
    });
  }

  // Linear-layout products (A · Bᵀ, K % 4 == 0) at sizes that pick each register tile of gemmDot.ts.
  for (const [batch, m, n, k, rm, rn] of [
    [160, 130, 120, 8, 8, 8],
    [100, 100, 100, 12, 8, 4],
    [50, 100, 100, 12, 4, 4],
    [1, 64, 96, 32, 2, 4],
  ]) {
    it(`A·Bᵀ ${batch}×${m}×${n}×${k} on the ${rm}×${rn} register tile`, async (ctx) => {
      if (!gpu) return ctx.skip('no WebGPU adapter');
      expect(chooseTile(m, n, batch, gpu.device.limits.maxComputeWorkgroupStorageSize)).toEqual({ rm, rn });
      const a = rand(batch * m * k, 41);
      const b = rand(batch * n * k, 42);
      const y = engine.runKernel(
        'BatchMatMul',
        { a: t(a, [batch, m, k]), b: t(b, [batch, n, k]) },
        { transposeA: false, transposeB: true },
      );
      const want = matmul64(a, b, batch, m, n, k, false, true, false, false);
      expect(maxAbsDiff(await read(y), want)).toBeLessThan(1e-5);
    });
  }

  it('never picks a register tile larger than the workgroup memory of a default (16 KiB) device', () => {
    expect(chooseTile(4096, 3072, 1, 16384)).toEqual({ rm: 8, rn: 4 });
    expect(chooseTile(4096, 3072, 1, 32768)).toEqual({ rm: 8, rn: 8 });
  });

  for (const act of ['none', 'gelu', 'relu', 'tanh'] as const) {
    for (const [m, n, k] of [
      [10, 37, 32],
      [130, 32, 37],
      [4, 768, 64],
    ]) {
      it(`Linear ${m}×${k}→${n} + bias, ${act}`, async (ctx) => {
        if (!gpu) return ctx.skip('no WebGPU adapter');
        const x = rand(m * k, 1 + n, -2, 2);
        const w = rand(n * k, 2 + m);
        const bias = rand(n, 3);
        const y = engine.runKernel(
          'Linear',
          { x: t(x, [2, m / 2, k]), weight: t(w, [n, k]), bias: t(bias, [n]) },
          { activation: act },
        );
        expect(y.shape).toEqual([2, m / 2, n]);
        const f = {
          none: (v: number) => v,
          gelu: gelu64,
          relu: (v: number) => Math.max(0, v),
          tanh: Math.tanh,
        }[act];
        const want = matmul64(x, w, 1, m, n, k, false, true, false, false).map((v, i) => f(v + bias[i % n]));
        expect(maxAbsDiff(await read(y), want)).toBeLessThan(1e-5);
      });
    }
  }

  it('Gelu is the exact erf form (not tanh) across the range', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const x = new Float32Array(2001).map((_, i) => -10 + i / 100);
    const y = await read(engine.runKernel('Gelu', { x: t(x, [x.length]) }, {}));
    expect(maxAbsDiff(y, Array.from(x, gelu64))).toBeLessThan(5e-7);
    // tanh-GELU differs by up to ~5e-4 here: the check above would catch it.
    expect(erf64(1)).toBeCloseTo(0.8427007929497149, 14);
  });

  it('Relu and Tanh (vec4 and scalar sizes, large |x|)', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    for (const n of [12, 13]) {
      const x = rand(n, n, -30, 30);
      expect(
        maxAbsDiff(
          await read(engine.runKernel('Relu', { x: t(x, [n]) }, {})),
          Array.from(x, (v) => Math.max(v, 0)),
        ),
      ).toBe(0);
      expect(
        maxAbsDiff(await read(engine.runKernel('Tanh', { x: t(x, [n]) }, {})), Array.from(x, Math.tanh)),
      ).toBeLessThan(1e-6);
    }
  });

  it('Add and Mul broadcast a suffix (bias, scalar) and work on int32', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    for (const [shape, bShape] of [
      [[3, 8], [8]],
      [[3, 5], [5]],
      [[2, 3, 4], []],
      [[7], []],
      [
        [2, 6],
        [2, 6],
      ],
    ] as [number[], number[]][]) {
      const n = shape.reduce((x, y) => x * y, 1);
      const bn = bShape.reduce((x, y) => x * y, 1);
      const a = rand(n, 5);
      const b = rand(bn, 6);
      const sum = await read(engine.runKernel('Add', { a: t(a, shape), b: t(b, bShape) }, {}));
      const prod = await read(engine.runKernel('Mul', { a: t(a, shape), b: t(b, bShape) }, {}));
      expect(sum).toEqual(Array.from(a, (v, i) => Math.fround(v + b[i % bn])));
      expect(prod).toEqual(Array.from(a, (v, i) => Math.fround(v * b[i % bn])));
    }
    const ints = await read(
      engine.runKernel(
        'Add',
        { a: t(new Int32Array([1, 2, 3, 4]), [2, 2]), b: t(new Int32Array([10, 20]), [2]) },
        {},
      ),
    );
    expect(ints).toEqual([11, 22, 13, 24]);
    expect(() => engine.runKernel('Add', { a: t(rand(6, 1), [2, 3]), b: t(rand(2, 1), [2]) }, {})).toThrow(
      /suffix/,
    );
  });

  for (const [rows, d] of [
    [5, 32],
    [3, 768],
    [4, 37],
  ]) {
    it(`LayerNorm and AddLayerNorm ${rows}×${d}`, async (ctx) => {
      if (!gpu) return ctx.skip('no WebGPU adapter');
      const x = rand(rows * d, d, -3, 5);
      const r = rand(rows * d, d + 1);
      const g = rand(d, 7, 0.9, 1.1);
      const b = rand(d, 8, -0.1, 0.1);
      const ln = (v: ArrayLike<number>) => {
        const out: number[] = [];
        for (let i = 0; i < rows; i++) {
          const row = Array.from({ length: d }, (_, j) => v[i * d + j]);
          const mean = row.reduce((s, y) => s + y, 0) / d;
          const vr = row.reduce((s, y) => s + (y - mean) ** 2, 0) / d;
          for (let j = 0; j < d; j++) out.push(((row[j] - mean) / Math.sqrt(vr + 1e-12)) * g[j] + b[j]);
        }
        return out;
      };
      const inputs = { x: t(x, [rows, d]), gamma: t(g, [d]), beta: t(b, [d]) };
      const y1 = await read(engine.runKernel('LayerNorm', inputs, { epsilon: 1e-12 }));
      expect(maxAbsDiff(y1, ln(x))).toBeLessThan(5e-6);
      const y2 = await read(
        engine.runKernel('AddLayerNorm', { ...inputs, residual: t(r, [rows, d]) }, { epsilon: 1e-12 }),
      );
      expect(maxAbsDiff(y2, ln(Array.from(x, (v, i) => v + r[i])))).toBeLessThan(5e-6);
    });
  }

  function softmax64(
    x: ArrayLike<number>,
    rows: number,
    sk: number,
    live: (row: number, j: number) => boolean,
  ) {
    const out: number[] = [];
    for (let i = 0; i < rows; i++) {
      const v = Array.from({ length: sk }, (_, j) => (live(i, j) ? x[i * sk + j] : MASK_FILL));
      const mx = Math.max(...v);
      const e = v.map((y) => Math.exp(y - mx));
      const s = e.reduce((p, q) => p + q, 0);
      out.push(...e.map((y) => y / s));
    }
    return out;
  }

  it('Softmax with a key mask; a fully masked row is uniform, not NaN', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const [b, h, s] = [3, 2, 70];
    const x = rand(b * h * s * s, 11, -8, 8);
    const mask = new Int32Array(b * s).map((_, i) => {
      const row = Math.floor(i / s);
      return row === 0 ? 1 : row === 1 ? +(i % s < 50) : 0;
    });
    const y = await read(engine.runKernel('Softmax', { x: t(x, [b, h, s, s]), mask: t(mask, [b, s]) }, {}));
    const want = softmax64(x, b * h * s, s, (row, j) => mask[Math.floor(row / (h * s)) * s + j] !== 0);
    expect(maxAbsDiff(y, want)).toBeLessThan(1e-6);
    expect(y[y.length - 1]).toBeCloseTo(1 / s, 7);
    const plain = await read(engine.runKernel('Softmax', { x: t(x.subarray(0, 2 * s), [2, s]) }, {}));
    expect(
      maxAbsDiff(
        plain,
        softmax64(x, 2, s, () => true),
      ),
    ).toBeLessThan(1e-6);
  });

  for (const [b, s, heads, hd] of [
    [2, 7, 4, 8],
    [2, 130, 2, 64],
    [1, 40, 3, 12],
  ]) {
    it(`Attention B=${b} S=${s} H=${heads} hd=${hd} (masked keys, a fully masked row)`, async (ctx) => {
      if (!gpu) return ctx.skip('no WebGPU adapter');
      const d = heads * hd;
      const q = rand(b * s * d, 21, -2, 2);
      const k = rand(b * s * d, 22, -2, 2);
      const v = rand(b * s * d, 23);
      // batch 0: last third of keys masked; batch 1: everything masked (uniform average).
      const mask = new Int32Array(b * s).map((_, i) => +(i < s && i % s < s - Math.floor(s / 3)));
      const scale = 1 / Math.sqrt(hd);
      const y = await read(
        engine.runKernel(
          'Attention',
          { q: t(q, [b, s, d]), k: t(k, [b, s, d]), v: t(v, [b, s, d]), mask: t(mask, [b, s]) },
          { numHeads: heads, scale },
        ),
      );
      const want = new Array<number>(b * s * d).fill(0);
      for (let z = 0; z < b; z++)
        for (let h = 0; h < heads; h++)
          for (let i = 0; i < s; i++) {
            const scores = Array.from({ length: s }, (_, j) => {
              if (!mask[z * s + j]) return MASK_FILL;
              let acc = 0;
              for (let e = 0; e < hd; e++)
                acc += Math.fround(q[(z * s + i) * d + h * hd + e] * scale) * k[(z * s + j) * d + h * hd + e];
              return acc;
            });
            const mx = Math.max(...scores);
            const p = scores.map((x) => Math.exp(x - mx));
            const sum = p.reduce((x, y) => x + y, 0);
            for (let e = 0; e < hd; e++) {
              let acc = 0;
              for (let j = 0; j < s; j++) acc += (p[j] / sum) * v[(z * s + j) * d + h * hd + e];
              want[(z * s + i) * d + h * hd + e] = acc;
            }
          }
      expect(maxAbsDiff(y, want)).toBeLessThan(2e-6);
    });
  }

  it('Transpose and Slice (float32 and int32), Cast both ways', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const x = rand(2 * 3 * 4 * 5, 31);
    const y = engine.runKernel('Transpose', { x: t(x, [2, 3, 4, 5]) }, { perm: [0, 2, 1, 3] });
    expect(y.shape).toEqual([2, 4, 3, 5]);
    const want: number[] = [];
    for (let a = 0; a < 2; a++)
      for (let c = 0; c < 4; c++)
        for (let b = 0; b < 3; b++) for (let e = 0; e < 5; e++) want.push(x[((a * 3 + b) * 4 + c) * 5 + e]);
    expect(await read(y)).toEqual(want);
    const s = engine.runKernel(
      'Slice',
      { x: t(x, [2, 3, 4, 5]) },
      { begin: [1, 0, 2, 1], size: [1, 3, 1, 3] },
    );
    const wantS: number[] = [];
    for (let b = 0; b < 3; b++) for (let e = 1; e < 4; e++) wantS.push(x[((1 * 3 + b) * 4 + 2) * 5 + e]);
    expect(await read(s)).toEqual(wantS);
    const ints = t(new Int32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const ti = engine.runKernel('Transpose', { x: ints }, { perm: [1, 0] });
    expect(ti.dtype).toBe('int32');
    expect(await read(ti)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(await read(engine.runKernel('Slice', { x: ints }, { begin: [0, 1], size: [2, 1] }))).toEqual([
      2, 5,
    ]);
    const f = t(new Float32Array([1.9, -1.9, 2.5, -0.5, 1e6, 0]), [6]);
    const i = engine.runKernel('Cast', { x: f }, { dtype: 'int32' });
    expect(await i.data()).toEqual(new Int32Array([1, -1, 2, 0, 1000000, 0]));
    expect(await read(engine.runKernel('Cast', { x: ints }, { dtype: 'float32' }))).toEqual([
      1, 2, 3, 4, 5, 6,
    ]);
  });

  it('Gather rows (vec4 and scalar widths); rejects ids outside the table', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    for (const d of [8, 5]) {
      const table = rand(10 * d, d);
      const ids = new Int32Array([3, 0, 9, 3]);
      const y = engine.runKernel('Gather', { x: t(table, [10, d]), indices: t(ids, [2, 2]) }, {});
      expect(y.shape).toEqual([2, 2, d]);
      expect(await read(y)).toEqual(
        Array.from(ids).flatMap((id) => Array.from(table.subarray(id * d, id * d + d))),
      );
    }
    expect(() =>
      engine.runKernel('Gather', { x: t(rand(20, 1), [4, 5]), indices: t(new Int32Array([1, 4]), [2]) }, {}),
    ).toThrow(InputError);
  });

  it('pools buffers: repeating a computation keeps live buffers and bytes constant', async (ctx) => {
    if (!gpu) return ctx.skip('no WebGPU adapter');
    const w = t(rand(32 * 32, 1), [32, 32]);
    const step = async () => {
      const y = engine.tidy(() => {
        const x = t(rand(4 * 32, 2), [4, 32]);
        return engine.runKernel(
          'Linear',
          { x, weight: w, bias: undefined as unknown as Tensor },
          { activation: 'gelu' },
        );
      });
      await y.data();
      y.dispose();
    };
    await step();
    const before = gpu.memory();
    for (let i = 0; i < 50; i++) await step();
    const after = gpu.memory();
    expect(after).toEqual(before);
    expect(before.numPooledBuffers).toBeGreaterThan(0);
  });
});
