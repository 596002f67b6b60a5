import type { BackendPlugin } from '@distilbert/core';
import { BackendError } from '@distilbert/core';
import { CpuBackend } from './CpuBackend.js';
import type { Heap } from './gemm/Heap.js';
import { TsHeap } from './gemm/TsHeap.js';
import { ThreadPool } from './gemm/threadPool.js';
import { relaxedSimdSupported, sharedMemorySupported, WasmHeap, wasmSimdSupported } from './gemm/wasmHeap.js';

export { CpuBackend } from './CpuBackend.js';
export { relaxedSimdSupported, wasmSimdSupported } from './gemm/wasmHeap.js';

/** Which kernels a backend runs (`CpuBackend.gemmKind`). */
export type GemmKind = CpuBackend['gemmKind'];

export interface CpuBackendOptions {
  /** GEMM threads including the calling one. Default: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. 1 runs inline. */
  threads?: number;
  /**
   * Which kernels: `'relaxed'` WebAssembly relaxed SIMD (`f32x4.relaxed_madd`: fused multiply-add where the
   * hardware has it, ~12-25% faster here), `'simd'` WebAssembly SIMD (mul + add, bitwise equal to the TypeScript
   * kernels), `false` the TypeScript kernels. Default (or `true`): the best the host runs, in that order. A
   * path named explicitly that the host lacks throws.
   */
  wasm?: 'relaxed' | 'simd' | boolean;
}

async function pickKernels(wasm: CpuBackendOptions['wasm']): Promise<GemmKind> {
  if (wasm === false) return 'typescript';
  const simd = wasmSimdSupported();
  if (wasm === 'simd' || wasm === 'relaxed') {
    if (!simd)
      throw new BackendError(
        `backend-cpu: wasm: '${wasm}' asked for, but this host has no WebAssembly SIMD; leave 'wasm' unset to fall back to the TypeScript kernels.`,
      );
    if (wasm === 'simd') return 'wasm-simd';
  }
  const relaxed = simd && (await relaxedSimdSupported());
  if (wasm === 'relaxed' && !relaxed)
    throw new BackendError(
      "backend-cpu: wasm: 'relaxed' asked for, but this host has no WebAssembly relaxed SIMD (Chrome >= 114, Node >= 20 via V8's flag, which could not be set here); use wasm: 'simd' or leave 'wasm' unset.",
    );
  return relaxed ? 'wasm-relaxed-simd' : simd ? 'wasm-simd' : 'typescript';
}

async function defaultThreads(): Promise<number> {
  if (typeof process !== 'undefined' && process.versions?.node) {
    const os = await import('node:os');
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
}

/**
 * Creates a CPU backend. Threads need WebAssembly SIMD and SharedArrayBuffer (in browsers: a
 * cross-origin-isolated page); without them it warns once and runs on one thread. Choosing relaxed SIMD on
 * Node 20 turns on V8's `--experimental-wasm-relaxed-simd` flag (see relaxedSimdSupported).
 */
export async function createCpuBackend(options: CpuBackendOptions = {}): Promise<CpuBackend> {
  const kind = await pickKernels(options.wasm);
  let threads = Math.max(1, Math.floor(options.threads ?? (await defaultThreads())));
  if (kind === 'typescript') return new CpuBackend(new TsHeap(), 1, kind);
  const canShare = sharedMemorySupported();
  const isBrowser = typeof process === 'undefined' || !process.versions?.node;
  if (
    threads > 1 &&
    (!canShare || (isBrowser && !(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated))
  ) {
    console.warn(
      '@distilbert/backend-cpu: running on one thread. Worker threads need SharedArrayBuffer; serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp).',
    );
    threads = 1;
  }
  const heap = new WasmHeap(canShare, kind === 'wasm-relaxed-simd');
  if (threads > 1) {
    try {
      heap.pool = await ThreadPool.create(threads, heap.module, heap.memory, heap.exports);
    } catch (cause) {
      console.warn(
        `@distilbert/backend-cpu: worker threads could not start (${String(cause)}); running on one thread.`,
      );
      threads = 1;
    }
  }
  heap.reserveWorkspace();
  return new CpuBackend(heap as Heap, threads, kind);
}

export const backend: BackendPlugin<CpuBackendOptions> = {
  name: 'cpu',
  priority: 2,
  create: (options) => createCpuBackend(options),
};

export default backend;
