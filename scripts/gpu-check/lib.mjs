// Shared by the GPU check and benchmarks/gpu.bench.mjs. Runs on the BUILT packages (dist/), no vitest, no
// network: the GPU machine gets node_modules and dist carried over.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as gpuPkg from '../../packages/backend-gpu/dist/index.js';
// Relative imports of the built packages, so that pack.mjs can bundle these scripts into one file each.
import * as core from '../../packages/core/dist/index.js';
import * as fixtures from '../../packages/core/dist/testing/fixtures.js';

export { core, fixtures, gpuPkg };

/** The checkout's root: $GPU_CHECK_ROOT, else the nearest folder above this file that has fixtures/models. */
function findRoot() {
  if (process.env.GPU_CHECK_ROOT) return process.env.GPU_CHECK_ROOT;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'fixtures/models')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
export const ROOT = findRoot();
export const FIXTURES = join(ROOT, 'fixtures/models');

/**
 * onnxruntime-node: beside this file (the pack's node_modules), else from the benchmarks or backend-onnx
 * workspace (where it is installed); undefined if none.
 */
export function loadOrt() {
  const from = [
    import.meta.url,
    ...['benchmarks/', 'packages/backend-onnx/', ''].map((d) => join(ROOT, d, 'package.json')),
  ];
  for (const f of from) {
    try {
      return createRequire(f)('onnxruntime-node');
    } catch {}
  }
  return undefined;
}

export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Number.NaN : d;
  }
  return m;
}

/** Deterministic token ids (a real-looking spread over the vocabulary) for throughput runs. */
export function syntheticInputs(batch, seq, vocab = 30522) {
  const ids = new Int32Array(batch * seq);
  let s = 12345;
  for (let i = 0; i < ids.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    ids[i] = 1000 + (s % (vocab - 1000));
  }
  for (let b = 0; b < batch; b++) {
    ids[b * seq] = 101;
    ids[b * seq + seq - 1] = 102;
  }
  return { input_ids: ids, attention_mask: new Int32Array(batch * seq).fill(1), shape: [batch, seq] };
}

/** Calls fn until minMs have passed (at least `minIters`), after `warmup` calls; returns ms per call (median of 3 rounds). */
export async function timeMs(fn, { warmup = 2, minMs = 1500, minIters = 3, rounds: nRounds = 3 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const rounds = [];
  for (let r = 0; r < nRounds; r++) {
    let n = 0;
    const t0 = performance.now();
    while (n < minIters || performance.now() - t0 < minMs / nRounds) {
      await fn();
      n++;
    }
    rounds.push((performance.now() - t0) / n);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)];
}

/** timeMs settings for software adapters (seconds per pass): one warm-up, one timed call. */
export const QUICK = { warmup: 1, minIters: 1, rounds: 1, minMs: 0 };

/** `timing` options may be timeMs settings or a function (batch, index in batches) → settings. */
const timingFor = (t) => (typeof t === 'function' ? t : () => t);

/**
 * Our backend's throughput on the bare encoder (last_hidden_state) of the model in `dir`. Two timings per
 * shape: until the GPU has finished (`sync`, what torch.cuda.synchronize measures) and including reading
 * last_hidden_state back to the host (what onnxruntime-node returns). `measure: ['read']` times only the
 * latter; `capture: true` keeps the last pass's last_hidden_state as `row.data` (for parity with ORT).
 */
export async function oursThroughput(
  dir,
  {
    batches,
    seq = 128,
    minMs = 1500,
    f16 = false,
    log = console.log,
    onRow = () => {},
    quick = false,
    timing: timingOverride, // timeMs settings, or (batch, index) => settings
    measure = quick ? ['sync'] : ['sync', 'read'],
    capture = false,
  } = {},
) {
  // quick: one warm-up and one timed call, no readback timing (software adapters take seconds per pass)
  const timingOf = timingFor(timingOverride ?? (quick ? QUICK : { minMs }));
  const backend = await gpuPkg.createGpuBackend({ f16 });
  const model = await core.loadModel(dir, { backend, architecture: 'DistilBertModel' });
  const rows = [];
  try {
    for (const [i, b] of batches.entries()) {
      const inputs = syntheticInputs(b, seq);
      const timing = timingOf(b, i);
      let output;
      let kept; // the last synced pass's outputs, read back after the timing
      const sync = measure.includes('sync')
        ? await timeMs(async () => {
            const out = await model.forward(inputs);
            await backend.sync();
            if (capture) {
              kept?.dispose();
              kept = out;
            } else out.dispose();
          }, timing)
        : undefined;
      if (kept) {
        output = await kept.last_hidden_state.data();
        kept.dispose();
      }
      const read = measure.includes('read')
        ? await timeMs(async () => {
            const out = await model.forward(inputs);
            const data = await out.last_hidden_state.data();
            if (capture) output = data;
            out.dispose();
          }, timing)
        : undefined;
      const ms = sync ?? read;
      const row = { batch: b, seq, msSync: sync, msRead: read, seqPerSec: (b * 1000) / ms };
      if (capture) Object.defineProperty(row, 'data', { value: output, enumerable: false });
      log(
        `ours${f16 ? ' f16' : ''} ${b}×${seq}: ${sync?.toFixed(2) ?? '-'} ms (sync), ${read?.toFixed(2) ?? '-'} ms (with readback), ${row.seqPerSec.toFixed(1)} seq/s`,
      );
      rows.push(row);
      onRow(row, rows);
    }
    return { adapter: backend.adapterInfo, f16: backend.f16, rows };
  } finally {
    model.dispose();
    backend.dispose();
  }
}

/** onnxruntime-node on an ONNX export with execution provider `ep` ('webgpu', 'cpu', ...). */
export async function ortThroughput(
  onnxPath,
  {
    ep = 'webgpu',
    batches,
    seq = 128,
    minMs = 1500,
    log = console.log,
    onRow = () => {},
    quick = false,
    timing: timingOverride,
    capture = false,
  } = {},
) {
  const timingOf = timingFor(timingOverride ?? (quick ? QUICK : { minMs }));
  const ort = loadOrt();
  if (!ort) throw new Error('onnxruntime-node is not installed (benchmarks workspace).');
  const session = await ort.InferenceSession.create(onnxPath, { executionProviders: [ep] });
  const rows = [];
  const wanted = session.outputNames.includes('last_hidden_state')
    ? ['last_hidden_state']
    : [session.outputNames[0]];
  for (const [i, b] of batches.entries()) {
    const timing = timingOf(b, i);
    const { input_ids, attention_mask } = syntheticInputs(b, seq);
    const feeds = {};
    const i64 = (v) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [b, seq]);
    if (session.inputNames.includes('input_ids')) feeds.input_ids = i64(input_ids);
    if (session.inputNames.includes('attention_mask')) feeds.attention_mask = i64(attention_mask);
    let last;
    const ms = await timeMs(async () => {
      last = await session.run(feeds, wanted);
    }, timing);
    log(
      `onnxruntime ${ep} ${b}×${seq}: ${ms.toFixed(2)} ms, ${((b * 1000) / ms).toFixed(1)} seq/s (output ${wanted[0]})`,
    );
    const row = { batch: b, seq, ms, seqPerSec: (b * 1000) / ms, output: wanted[0] };
    if (capture) Object.defineProperty(row, 'data', { value: last[wanted[0]].data, enumerable: false });
    rows.push(row);
    onRow(row, rows);
  }
  await session.release?.();
  return { ep, rows };
}

/** Where an ONNX export of the model in `dir` would be (HF/Optimum layout first); undefined if none. */
export async function findOnnx(dir) {
  for (const p of ['onnx/model.onnx', 'model.onnx']) if (existsSync(join(dir, p))) return join(dir, p);
  return undefined;
}
