import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BackendError, FUSED_KERNELS, REQUIRED_KERNELS } from '@distilbert/core';
import { describe, expect, it } from 'vitest';
import plugin, { backend, createCpuBackend, relaxedSimdSupported } from '../src/index.js';
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

  it('the committed src/wasm/generated/gemm.ts and gemmRelaxed.ts are what src/wasm/gemm.wat assembles to', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    // exits 1 and names the stale file if the .wat changed without a rebuild
    const out = execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(out).toContain('generated/gemm.ts');
    expect(out).toContain('generated/gemmRelaxed.ts');
  });

  it('the relaxed build is gemm.wat with its 25 MADD accumulations as f32x4.relaxed_madd and the 2x6 tile on', async () => {
    const { GEMM_WASM_PLAIN } = await import('../src/wasm/generated/gemm.js');
    const { GEMM_RELAXED_WASM_PLAIN } = await import('../src/wasm/generated/gemmRelaxed.js');
    const { default: initWabt } = await import('wabt');
    const wabt = await initWabt();
    const text = (b64: string) => {
      const mod = wabt.readWasm(Buffer.from(b64, 'base64'), {
        simd: true,
        threads: true,
        relaxed_simd: true,
      });
      const wat = mod.toText({});
      mod.destroy();
      return wat;
    };
    const strict = text(GEMM_WASM_PLAIN);
    const relaxed = text(GEMM_RELAXED_WASM_PLAIN);
    const count = (s: string, op: string) => s.split(op).length - 1;
    expect(count(strict, 'f32x4.relaxed_madd')).toBe(0);
    expect(count(relaxed, 'f32x4.relaxed_madd')).toBe(25);
    // each fused op replaces one mul and one add; nothing else changes but the flag of the wide tile
    expect(count(strict, 'f32x4.mul') - count(relaxed, 'f32x4.mul')).toBe(25);
    expect(count(strict, 'f32x4.add') - count(relaxed, 'f32x4.add')).toBe(25);
    const wide = /\(global \(;0;\) i32 \(i32\.const (\d)\)\)/;
    expect(wide.exec(strict)?.[1]).toBe('0');
    expect(wide.exec(relaxed)?.[1]).toBe('1');
  });

  it("wasm: 'relaxed' / 'simd' / false pick the kernels, and the default is the best this host runs", async () => {
    expect(await relaxedSimdSupported()).toBe(true);
    const kinds = [];
    for (const wasm of [undefined, 'relaxed', 'simd', false] as const) {
      const be = await createCpuBackend({ threads: 1, wasm });
      kinds.push(be.gemmKind);
      be.dispose();
    }
    expect(kinds).toEqual(['wasm-relaxed-simd', 'wasm-relaxed-simd', 'wasm-simd', 'typescript']);
  });
});
