/**
 * The worker's program, as source text so that it runs from a TypeScript checkout, a bundle or dist alike
 * (Node: `new Worker(src, { eval: true })`; browsers: a Blob URL). It instantiates the kernel module on the
 * shared memory, then sleeps on its control slot; on a job it takes chunks of work from a shared counter
 * (Atomics.add) until none is left, so a thread that is slowed down (another process on its core) does less
 * and nobody waits for it. Each chunk is computed whole by one thread, so the split never changes results.
 *
 * Control layout (Int32): the job at [0, JOB): [0] next chunk, [1] number of chunks, [2] op, [3 ..] the op's
 * arguments; then one SLOT per worker: [0] job sequence number, [1] last finished sequence number, [2] 1 = quit.
 */
export const JOB = 32;
export const SLOT = 16;
/**
 * gemm_nt_ep by column chunks. Arguments: a, b, c, m, n, k, lda, ldb, ldc, mb, bias, act, chunk (columns),
 * workspace, workspace bytes per thread.
 */
export const OP_GEMM = 2;
/** attention by (batch, head) pair. Arguments: q, k, v, mask, ctx, s, d, heads, scratch, scratch bytes per thread. */
export const OP_ATTENTION = 3;

/**
 * Runs chunk `i` of the job in `ctl` on thread `thread` (0 = the caller). The workers get this function's
 * source text, so it must stay self-contained: literals only, no imports or module constants.
 */
export function runChunk(x: KernelExports, ctl: Int32Array, i: number, thread: number): void {
  const op = ctl[2];
  if (op === 2) {
    const chunk = ctl[15];
    const n = ctl[7];
    const ldb = ctl[10];
    const j0 = i * chunk;
    const bias = ctl[13];
    x.gemm_nt_ep(
      ctl[3],
      ctl[4] + j0 * ldb * 4,
      ctl[5] + j0 * 4,
      ctl[6],
      Math.min(chunk, n - j0),
      ctl[8],
      ctl[9],
      ldb,
      ctl[11],
      ctl[12],
      bias && bias + j0 * 4,
      ctl[14],
      ctl[16] + thread * ctl[17],
    );
  } else if (op === 3) {
    x.attention(
      ctl[3],
      ctl[4],
      ctl[5],
      ctl[6],
      ctl[7],
      ctl[8],
      ctl[9],
      ctl[10],
      i,
      i + 1,
      ctl[11] + thread * ctl[12],
    );
  }
}

export interface KernelExports {
  gemm_nt_ep(...args: number[]): void;
  attention(...args: number[]): void;
}

const body = `
const runChunk = ${runChunk.toString()};
function start(init, ready) {
  const ctl = new Int32Array(init.control);
  const slot = ${JOB} + init.index * ${SLOT};
  const x = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;
  ready();
  let seen = 0;
  for (;;) {
    Atomics.wait(ctl, slot, seen);
    seen = Atomics.load(ctl, slot);
    if (ctl[slot + 2] === 1) break;
    for (let i = Atomics.add(ctl, 0, 1); i < ctl[1]; i = Atomics.add(ctl, 0, 1)) runChunk(x, ctl, i, init.index + 1);
    Atomics.store(ctl, slot + 1, seen);
    Atomics.notify(ctl, slot + 1);
  }
}
`;

export const NODE_WORKER_SOURCE = `${body}
const { parentPort, workerData } = require('node:worker_threads');
start(workerData, () => parentPort.postMessage('ready'));
`;

export const WEB_WORKER_SOURCE = `${body}
self.onmessage = (e) => start(e.data, () => self.postMessage('ready'));
`;
