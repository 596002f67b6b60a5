import { GEMM_WASM_PLAIN, GEMM_WASM_SHARED } from '../wasm/generated/gemm.js';
import { GEMM_RELAXED_WASM_PLAIN, GEMM_RELAXED_WASM_SHARED } from '../wasm/generated/gemmRelaxed.js';
import { Allocator } from './allocator.js';
import type { Heap } from './Heap.js';
import type { ThreadPool } from './threadPool.js';
import { type KernelExports, OP_ATTENTION, OP_GEMM } from './workerSource.js';

const PAGE = 65536;
const MAX_PAGES = 65536;

/** Whether this host runs WebAssembly SIMD (a one-instruction probe module). */
export function wasmSimdSupported(): boolean {
  try {
    // (module (func (result v128) (v128.const i32x4 0 0 0 0)))
    return WebAssembly.validate(
      new Uint8Array([
        0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
      ]),
    );
  } catch {
    return false;
  }
}

// (module (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))))
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0,
  253, 133, 2, 11,
]);

function validates(bytes: Uint8Array): boolean {
  try {
    return WebAssembly.validate(bytes as BufferSource);
  } catch {
    return false;
  }
}

let relaxedFlagTried = false;

/**
 * Whether this host runs WebAssembly relaxed SIMD (`f32x4.relaxed_madd`). On by default in Chrome >= 114 and
 * Node >= 22; Node 20 has it behind V8's `--experimental-wasm-relaxed-simd`, which this turns on once
 * (process-wide, worker threads included) when the probe does not validate. It affects only modules compiled
 * afterwards, and enables nothing but relaxed-SIMD instructions.
 */
export async function relaxedSimdSupported(): Promise<boolean> {
  if (validates(RELAXED_PROBE)) return true;
  if (relaxedFlagTried || typeof process === 'undefined' || !process.versions?.node) return false;
  relaxedFlagTried = true;
  try {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return validates(RELAXED_PROBE);
}

export function sharedMemorySupported(): boolean {
  try {
    if (typeof SharedArrayBuffer === 'undefined') return false;
    return (
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer
    );
  } catch {
    return false;
  }
}

function decode(b64: string): Uint8Array {
  if (typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(b64, 'base64'));
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * The WebAssembly memory the GEMM runs in: operands are copied (or, for weights, moved once) into it, and
 * worker threads instantiate the same module on the same shared memory.
 */
export class WasmHeap implements Heap {
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  readonly exports: KernelExports;
  readonly allocator: Allocator;
  /** Workers sharing this memory; set once they have started. */
  pool: ThreadPool | undefined;
  private view: Float32Array;
  private ints: Int32Array;
  /** Per-thread attention scratch (scores + one head of v + GEMM workspace), grown on demand. */
  private scratch = 0;
  private scratchBytes = 0;
  /** Per-thread GEMM workspace (see gemmWorkspace), one fixed size for any K. */
  private ws = 0;

  get stableViews(): boolean {
    return this.shared;
  }

  /**
   * @param shared shared memory (worker threads can join)
   * @param relaxed the relaxed-SIMD build of gemm.wat (f32x4.relaxed_madd in the micro-kernels); needs
   *   relaxedSimdSupported()
   */
  constructor(
    readonly shared: boolean,
    readonly relaxed = false,
  ) {
    const bytes = relaxed
      ? shared
        ? GEMM_RELAXED_WASM_SHARED
        : GEMM_RELAXED_WASM_PLAIN
      : shared
        ? GEMM_WASM_SHARED
        : GEMM_WASM_PLAIN;
    this.module = new WebAssembly.Module(decode(bytes) as BufferSource);
    this.memory = new WebAssembly.Memory(
      shared ? { initial: 16, maximum: MAX_PAGES, shared: true } : { initial: 16, maximum: MAX_PAGES },
    );
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.view = new Float32Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    // Address 0 stays unused so that 0 never names a live block; [64, 528) holds gemm.wat's constants.
    this.allocator = new Allocator(CONSTANTS_END, (bytes) => this.ensure(bytes));
  }

  /** A float32 view of the whole memory (renewed after the memory grows). */
  get f32(): Float32Array {
    if (this.view.byteLength !== this.memory.buffer.byteLength)
      this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  get i32(): Int32Array {
    if (this.ints.byteLength !== this.memory.buffer.byteLength)
      this.ints = new Int32Array(this.memory.buffer);
    return this.ints;
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.ceil((bytes - have) / PAGE);
    // Grow by at least a quarter so that a growing workload does not grow page by page.
    this.memory.grow(Math.min(Math.max(pages, Math.ceil(have / PAGE / 4)), MAX_PAGES - have / PAGE));
  }

  /** Copies `values` into a fresh block; returns its byte address. */
  put(values: Float32Array | Int32Array): number {
    const ptr = this.allocator.alloc(values.length * 4);
    (values instanceof Int32Array ? this.i32 : this.f32).set(values, ptr >> 2);
    return ptr;
  }

  alloc(bytes: number): number {
    return this.allocator.alloc(bytes);
  }

  release(ptr: number): void {
    this.allocator.release(ptr);
  }

  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    lda: number,
    ldb: number,
    ldc: number,
    bias = 0,
    act = 0,
  ) {
    const { pool } = this;
    const perThread = gemmWorkspace(K_BLOCK, M_BLOCK);
    if (!this.ws) this.reserveWorkspace();
    const threads = pool ? Math.min(pool.size, n >> 3) : 1;
    // Below ~2 MFLOP a wake-up costs more than it saves.
    if (!pool || threads < 2 || 2 * m * n * k < 1 << 21) {
      this.exports.gemm_nt_ep(a, b, c, m, n, k, lda, ldb, ldc, M_BLOCK, bias, act, this.ws);
      return;
    }
    // Chunks of columns (rows of B, a multiple of the register tile's 4, or 12 for the relaxed build's 6 and 4),
    // about 6 per thread, taken from a shared counter; each thread applies the epilogue to its chunk while it
    // is in cache. Every element's sum is the same whoever computes it.
    const tile = this.relaxed ? 12 : 4;
    const chunk = Math.max(this.relaxed ? 24 : 16, Math.ceil(n / (threads * 6) / tile) * tile);
    pool.run(
      OP_GEMM,
      [a, b, c, m, n, k, lda, ldb, ldc, M_BLOCK, bias, act, chunk, this.ws, perThread],
      Math.ceil(n / chunk),
    );
  }

  /**
   * Allocates the GEMM workspace of every thread (once the pool is attached): done up front so that no later
   * product grows the memory while a kernel holds views of it.
   */
  reserveWorkspace(): void {
    if (!this.ws) this.ws = this.alloc(gemmWorkspace(K_BLOCK, M_BLOCK) * (this.pool?.size ?? 1));
  }

  attention(
    q: number,
    k: number,
    v: number,
    mask: number,
    ctx: number,
    b: number,
    s: number,
    d: number,
    heads: number,
  ) {
    const threads = this.pool?.size ?? 1;
    const perThread = (s * s + (d / heads) * s) * 4 + gemmWorkspace(Math.max(s, d / heads), 64);
    if (this.scratchBytes < perThread * threads) {
      if (this.scratch) this.release(this.scratch);
      this.scratchBytes = perThread * threads;
      this.scratch = this.alloc(this.scratchBytes);
    }
    const pairs = b * heads;
    if (!this.pool || pairs < 2) {
      this.exports.attention(q, k, v, mask, ctx, s, d, heads, 0, pairs, this.scratch);
      return;
    }
    // One (batch, head) pair per chunk, computed whole by one thread in its own scratch.
    this.pool.run(OP_ATTENTION, [q, k, v, mask, ctx, s, d, heads, this.scratch, perThread], pairs);
  }

  /** Stops the worker threads (the returned promise settles when they have exited). */
  dispose(): Promise<void> {
    const done = this.pool?.dispose() ?? Promise.resolve();
    this.pool = undefined;
    return done;
  }
}

/**
 * Bytes of gemm_nt's per-thread workspace: up to 6 rows of B packed, up to K_BLOCK values of k each, then the
 * accumulators of mb + 1 rows x 6 columns (96 bytes a row; the relaxed build's 2x6 tile computes an odd last
 * row as a pair) between blocks of K; 64 bytes of slack for alignment.
 */
function gemmWorkspace(k: number, mb: number): number {
  return 24 * Math.min(k, K_BLOCK) + 96 * (mb + 1) + 64;
}

/** End of the constant table that gemm.wat's data segment writes at byte 64 (its allocator starts here). */
const CONSTANTS_END = 576;

/** Values of k per packed block of B ($kb in gemm.wat): 6 rows of 768 floats (18 KiB) stay in L1. */
const K_BLOCK = 768;

/**
 * Rows of A per cache block: 192 rows of up to K_BLOCK floats (576 KiB) stay in L2 while B passes over them
 * 4 rows at a time; B is read from memory once per block (measured ~2-8% faster than 64 rows at M = 1024).
 */
const M_BLOCK = 192;
