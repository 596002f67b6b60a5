import {
  JOB,
  type KernelExports,
  NODE_WORKER_SOURCE,
  runChunk,
  SLOT,
  WEB_WORKER_SOURCE,
} from './workerSource.js';

interface Handle {
  terminate(): unknown;
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * `threads - 1` workers plus the calling thread, all taking chunks of one job from a shared counter. The
 * caller works too, then waits for the workers to finish their last chunk (Atomics.wait in Node; a spin
 * where the main thread may not block, i.e. browsers).
 */
export class ThreadPool {
  private readonly ctl: Int32Array;
  private readonly seq: number[];

  private constructor(
    private readonly workers: Handle[],
    control: SharedArrayBuffer,
    private readonly local: KernelExports,
  ) {
    this.ctl = new Int32Array(control);
    this.seq = workers.map(() => 0);
  }

  /** Number of threads including the caller. */
  get size(): number {
    return this.workers.length + 1;
  }

  static async create(
    threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    local: KernelExports,
  ): Promise<ThreadPool> {
    const n = threads - 1;
    const control = new SharedArrayBuffer((JOB + Math.max(1, n) * SLOT) * 4);
    const workers: Handle[] = [];
    const started: Promise<void>[] = [];
    if (isNode) {
      const { Worker } = await import('node:worker_threads');
      for (let index = 0; index < n; index++) {
        const w = new Worker(NODE_WORKER_SOURCE, {
          eval: true,
          workerData: { module, memory, control, index },
        });
        // Idle workers must not keep the process alive.
        w.unref();
        workers.push(w);
        started.push(
          new Promise((resolve, reject) => {
            w.once('message', () => resolve());
            w.once('error', reject);
          }),
        );
      }
    } else {
      const url = URL.createObjectURL(new Blob([WEB_WORKER_SOURCE], { type: 'text/javascript' }));
      for (let index = 0; index < n; index++) {
        const w = new Worker(url);
        workers.push(w);
        started.push(
          new Promise((resolve, reject) => {
            w.onmessage = () => resolve();
            w.onerror = (e) => reject(new Error(`backend-cpu worker failed to start: ${e.message}`));
          }),
        );
        w.postMessage({ module, memory, control, index });
      }
    }
    try {
      await Promise.all(started);
    } catch (e) {
      for (const w of workers) w.terminate();
      throw e;
    }
    return new ThreadPool(workers, control, local);
  }

  /** Runs `chunks` chunks of export `op` with `args` (see workerSource.ts) on every thread; returns when all are done. */
  run(op: number, args: readonly number[], chunks: number): void {
    const { ctl } = this;
    ctl[1] = chunks;
    ctl[2] = op;
    for (let i = 0; i < args.length; i++) ctl[3 + i] = args[i];
    Atomics.store(ctl, 0, 0);
    for (let w = 0; w < this.workers.length; w++) {
      const slot = JOB + w * SLOT;
      this.seq[w] = (this.seq[w] + 1) | 0;
      Atomics.store(ctl, slot, this.seq[w]);
      Atomics.notify(ctl, slot);
    }
    for (let i = Atomics.add(ctl, 0, 1); i < chunks; i = Atomics.add(ctl, 0, 1))
      runChunk(this.local, ctl, i, 0);
    for (let w = 0; w < this.workers.length; w++) {
      const slot = JOB + w * SLOT;
      const want = this.seq[w];
      for (;;) {
        const done = Atomics.load(ctl, slot + 1);
        if (done === want) break;
        if (isNode) Atomics.wait(ctl, slot + 1, done);
      }
    }
  }

  /** Stops every worker; resolves when they have exited. */
  dispose(): Promise<void> {
    const exits: unknown[] = [];
    for (let w = 0; w < this.workers.length; w++) {
      const slot = JOB + w * SLOT;
      this.ctl[slot + 2] = 1;
      Atomics.add(this.ctl, slot, 1);
      Atomics.notify(this.ctl, slot);
      exits.push(this.workers[w].terminate());
    }
    this.workers.length = 0;
    return Promise.all(exits).then(() => undefined);
  }
}
