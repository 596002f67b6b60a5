import type { BackendPlugin } from '@distilbert/core';
import { CpuBackend } from './CpuBackend.js';
import type { Heap } from './gemm/Heap.js';
import { TsHeap } from './gemm/TsHeap.js';
import { ThreadPool } from './gemm/threadPool.js';
import { sharedMemorySupported, WasmHeap, wasmSimdSupported } from './gemm/wasmHeap.js';

export { CpuBackend } from './CpuBackend.js';
export { wasmSimdSupported } from './gemm/wasmHeap.js';

export interface CpuBackendOptions {
  /** GEMM threads including the calling one. Default: os.availableParallelism() in Node, navigator.hardwareConcurrency in browsers. 1 runs inline. */
  threads?: number;
  /** Use the WebAssembly SIMD kernel (default: when the host supports it). false forces the TypeScript GEMM. */
  wasm?: boolean;
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
 * cross-origin-isolated page); without them it warns once and runs on one thread.
 */
export async function createCpuBackend(options: CpuBackendOptions = {}): Promise<CpuBackend> {
  const simd = options.wasm !== false && wasmSimdSupported();
  let threads = Math.max(1, Math.floor(options.threads ?? (await defaultThreads())));
  if (!simd) return new CpuBackend(new TsHeap(), 1, 'typescript');
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
  const heap = new WasmHeap(canShare);
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
  return new CpuBackend(heap as Heap, threads, 'wasm-simd');
}

export const backend: BackendPlugin<CpuBackendOptions> = {
  name: 'cpu',
  priority: 2,
  create: (options) => createCpuBackend(options),
};

export default backend;
