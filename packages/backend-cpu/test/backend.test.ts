import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BackendError, FUSED_KERNELS, REQUIRED_KERNELS } from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import plugin, { backend, createCpuBackend } from '../src/index.js';
import { rand, read, tensor } from './helpers.js';

describe('backend-cpu plugin', () => {
  it("is the 'cpu' plugin with priority 2, as default and named export", () => {
    expect(plugin).toBe(backend);
    expect(backend.name).toBe('cpu');
    expect(backend.priority).toBe(2);
  });

  it('has every required kernel and the three fused ones', async () => {
    const be = await backend.create({ threads: 1 });
    for (const k of [...REQUIRED_KERNELS, ...FUSED_KERNELS]) expect(typeof be.kernels[k]).toBe('function');
    be.dispose();
  });

  it('counts buffers, frees weights from the WASM heap, and refuses use after dispose', async () => {
    const be = await createCpuBackend({ threads: 2 });
    const w = tensor(be, rand(64 * 32, 1), [64, 32]);
    const x = tensor(be, rand(32, 2), [1, 32]);
    const y = be.kernels.Linear!({ x, weight: w }, { activation: 'none' });
    expect(be.memory()).toEqual({ numDataIds: 3, numBytes: (64 * 32 + 32 + 64) * 4 });
    for (const t of [w, x, y]) be.disposeData(t.dataId);
    expect(be.memory().numDataIds).toBe(0);
    be.dispose();
    await be.closed;
    expect(() => be.write(new Float32Array(1), [1], 'float32')).toThrow(BackendError);
    expect(() => read(be, y)).toThrow(BackendError);
  });

  it('a steady workload does not grow the heap', async () => {
    const be = await createCpuBackend({ threads: 2 });
    const w = tensor(be, rand(256 * 128, 3), [256, 128]);
    const step = () => {
      const x = tensor(be, rand(40 * 128, 4), [40, 128]);
      const y = be.kernels.Linear!({ x, weight: w }, { activation: 'gelu' });
      be.disposeData(x.dataId);
      be.disposeData(y.dataId);
    };
    step();
    const heap = be.heap as unknown as { memory: WebAssembly.Memory };
    const bytes = heap.memory.buffer.byteLength;
    for (let i = 0; i < 200; i++) step();
    expect(heap.memory.buffer.byteLength).toBe(bytes);
    be.dispose();
    await be.closed;
  });

  it('the committed src/wasm/generated/gemm.ts is what src/wasm/gemm.wat assembles to', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    // exits 1 and names the stale file if the .wat changed without a rebuild
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
