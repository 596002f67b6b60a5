import { engine } from '@distilbert/core';
import { expect, it } from 'vitest';
import { create } from 'webgpu';
import { createGpuBackend } from '../src/index.js';
import { maxAbsDiff, rand } from './setup.js';

it('adopts an injected GPUDevice (default limits), and leaves it alive when the backend is disposed', async (ctx) => {
  // Dawn's instance must stay referenced while its devices live (collecting it crashes the process).
  const dawn = create([]);
  const adapter = await dawn.requestAdapter();
  if (!adapter) {
    if (process.env.CI) throw new Error('No WebGPU adapter in CI (install lavapipe).');
    return ctx.skip('no WebGPU adapter');
  }
  const device = await adapter.requestDevice();
  const backend = await createGpuBackend({ device });
  expect(backend.device).toBe(device);
  const x = engine.makeTensor(backend, new Float32Array([1, -2, 3, -4]), [4]);
  expect(await engine.runKernel('Relu', { x }, {}).data()).toEqual(new Float32Array([1, 0, 3, 0]));

  // A default device has 16 KiB of workgroup memory: attention (hd 64) and the big GEMM tiles must fit it
  // and agree with the backend on its own, maximal-limits device.
  expect(device.limits.maxComputeWorkgroupStorageSize).toBe(16384);
  const own = await createGpuBackend();
  const [b, s, d] = [2, 70, 128];
  const q = rand(b * s * d, 1);
  const k = rand(b * s * d, 2);
  const v = rand(b * s * d, 3);
  const w = rand(d * 512, 4);
  const mask = new Int32Array(b * s).fill(1);
  const run = async (be: typeof own) => {
    const t = (a: Float32Array | Int32Array, shape: number[]) => engine.makeTensor(be, a, shape);
    const ctxOut = engine.runKernel(
      'Attention',
      { q: t(q, [b, s, d]), k: t(k, [b, s, d]), v: t(v, [b, s, d]), mask: t(mask, [b, s]) },
      { numHeads: 2, scale: 0.125 },
    );
    const lin = engine.runKernel(
      'Linear',
      { x: t(rand(4096 * d, 5), [4096, d]), weight: t(w, [512, d]) } as never,
      { activation: 'none' },
    );
    return [await ctxOut.data(), await lin.data()];
  };
  const [a1, l1] = await run(backend);
  const [a2, l2] = await run(own);
  expect(maxAbsDiff(a1, a2)).toBeLessThan(1e-6);
  expect(maxAbsDiff(l1, l2)).toBeLessThan(1e-4);
  own.dispose();
  backend.dispose();
  let lost = false;
  void device.lost.then(() => {
    lost = true;
  });
  const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  await device.queue.onSubmittedWorkDone();
  expect(buffer.size).toBe(16);
  expect(lost).toBe(false);
  device.destroy();
  expect(dawn).toBeDefined();
}, 120_000);
