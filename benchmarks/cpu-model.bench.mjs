// Full-size DistilBERT encoder (768/12/6/3072) on @distilbert/backend-cpu: sequences/s at 1×128, 8×128,
// 32×64 and 1×512, at 1 and 2 threads (BENCH_THREADS=1,2), on the relaxed-SIMD kernels (the default) and the
// strict SIMD ones, beside onnxruntime-node (same threads) when a full-size ONNX export is found; and peak RSS
// of a fresh process doing one 8×128 forward.
// Weights: fixtures/tools/make_fullsize.py writes them into node_modules/.cache/distilbert-fullsize.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createCpuBackend } from '@distilbert/backend-cpu';
import { loadModel } from '@distilbert/core';
import { report, versionOf } from './lib/report.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}node_modules/.cache/distilbert-fullsize/`;
const weights = `${dir}model.safetensors`;
const SHAPES = [
  [1, 128],
  [8, 128],
  [32, 64],
  [1, 512],
];
const THREADS = (process.env.BENCH_THREADS ?? `1,${Math.min(2, availableParallelism())}`)
  .split(',')
  .map(Number);
// An ONNX export of the same model (inputs input_ids, attention_mask; int64), when the ONNX backend has made one.
const ONNX =
  process.env.DISTILBERT_FULLSIZE_ONNX ??
  [
    `${dir}model.onnx`,
    `${root}node_modules/.cache/distilbert-onnx-bench/export-encoder/onnx/model.onnx`,
  ].find((f) => existsSync(f)) ??
  `${dir}model.onnx`;

function ids(batch, seq, seed) {
  const out = new Int32Array(batch * seq);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 1000 + (s % 29000);
  }
  return out;
}

/**
 * Fastest seconds per call of each function, calls interleaved (ours, ORT, ours, ...) so that both see the
 * same load on a shared machine; the first shape also warms up weights and JIT.
 */
async function timeBoth(fns, calls, warmup) {
  if (warmup) for (const fn of fns) await fn();
  const best = fns.map(() => Number.POSITIVE_INFINITY);
  for (let i = 0; i < calls; i++)
    for (const [j, fn] of fns.entries()) {
      const t0 = performance.now();
      await fn();
      best[j] = Math.min(best[j], (performance.now() - t0) / 1000);
    }
  return best;
}

if (process.argv[2] === '--rss') {
  // child: one 8×128 forward on a fresh process, then its peak resident set
  const backend = await createCpuBackend({ threads: Number(process.argv[3] ?? 2) });
  const model = await loadModel(dir, { backend, architecture: 'DistilBertModel' });
  const out = await model.forward({
    input_ids: ids(8, 128, 1),
    attention_mask: new Int32Array(1024).fill(1),
    shape: [8, 128],
  });
  await out.last_hidden_state.data();
  out.dispose();
  console.log(JSON.stringify({ maxRSS: process.resourceUsage().maxRSS * 1024 }));
  model.dispose();
  backend.dispose();
  process.exit(0);
}

if (!existsSync(weights))
  execFileSync('python3', [`${root}fixtures/tools/make_fullsize.py`, dir], { stdio: 'inherit' });

let ort;
if (existsSync(ONNX)) ort = await import('onnxruntime-node');

let agreement;
const rows = [
  [
    'batch×seq',
    'threads',
    'backend-cpu relaxed seq/s',
    'backend-cpu SIMD seq/s',
    ...(ort ? ['onnxruntime-node seq/s', 'relaxed / ORT', 'SIMD / ORT'] : []),
    'relaxed / SIMD',
  ],
];
for (const threads of THREADS) {
  const backend = await createCpuBackend({ threads });
  if (backend.gemmKind !== 'wasm-relaxed-simd') throw new Error(`default kernels here: ${backend.gemmKind}`);
  const model = await loadModel(dir, { backend, architecture: 'DistilBertModel' });
  const strictBackend = await createCpuBackend({ threads, wasm: 'simd' });
  const strict = await loadModel(dir, { backend: strictBackend, architecture: 'DistilBertModel' });
  const session = ort
    ? await ort.InferenceSession.create(ONNX, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
      })
    : undefined;
  if (session && threads === THREADS[0]) {
    // same model? compare last_hidden_state once
    const input_ids = ids(1, 128, 7);
    const attention_mask = new Int32Array(128).fill(1);
    const out = await model.forward({ input_ids, attention_mask, shape: [1, 128] });
    const ours = await out.last_hidden_state.data();
    out.dispose();
    const theirs = (
      await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(input_ids, BigInt), [1, 128]),
        attention_mask: new ort.Tensor('int64', BigInt64Array.from(attention_mask, BigInt), [1, 128]),
      })
    ).last_hidden_state.data;
    let d = 0;
    for (let i = 0; i < ours.length; i++) d = Math.max(d, Math.abs(ours[i] - theirs[i]));
    agreement = d;
  }
  for (const [index, [b, s]] of SHAPES.entries()) {
    const input_ids = ids(b, s, b * 1000 + s);
    const attention_mask = new Int32Array(b * s).fill(1);
    const calls = b * s >= 1024 ? 2 : 3;
    const fns = [model, strict].map((m) => async () => {
      const out = await m.forward({ input_ids, attention_mask, shape: [b, s] });
      await out.last_hidden_state.data();
      out.dispose();
    });
    if (session) {
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(input_ids, BigInt), [b, s]),
        attention_mask: new ort.Tensor('int64', BigInt64Array.from(attention_mask, BigInt), [b, s]),
      };
      fns.push(() => session.run(feeds));
    }
    const [sec, strictSec, ortSec] = await timeBoth(fns, calls, index === 0);
    const row = [`${b}×${s}`, threads, (b / sec).toFixed(2), (b / strictSec).toFixed(2)];
    if (session)
      row.push((b / ortSec).toFixed(2), (ortSec / sec).toFixed(2), (ortSec / strictSec).toFixed(2));
    row.push((strictSec / sec).toFixed(2));
    rows.push(row);
    console.log(row.join('\t'));
  }
  await session?.release();
  model.dispose();
  backend.dispose();
  strict.dispose();
  strictBackend.dispose();
}

const rss = JSON.parse(
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--rss', String(THREADS.at(-1))], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1),
).maxRSS;
const fileSize = statSync(weights).size;

report({
  title: 'Full-size DistilBERT encoder on backend-cpu',
  command: 'node benchmarks/cpu-model.bench.mjs',
  rows,
  versions: {
    '@distilbert/backend-cpu': versionOf('@distilbert/backend-cpu'),
    ...(ort ? { 'onnxruntime-node': versionOf('onnxruntime-node') } : {}),
  },
  notes: [
    `Peak RSS of a fresh process loading the model and running one 8×128 forward at ${THREADS.at(-1)} threads: ${(rss / 2 ** 20).toFixed(0)} MiB = ${(rss / fileSize).toFixed(2)}× the ${(fileSize / 2 ** 20).toFixed(0)} MiB weight file.`,
    ort
      ? `onnxruntime-node runs ${ONNX.replace(root, '')}; max |diff| of its last_hidden_state from backend-cpu's on one 1×128 input: ${agreement?.toExponential(1)}.`
      : `No full-size ONNX export at ${ONNX} (set DISTILBERT_FULLSIZE_ONNX): onnxruntime-node column omitted.`,
    "relaxed: the default kernels, f32x4.relaxed_madd (fused on this FMA machine; Node 20 via --experimental-wasm-relaxed-simd, set at runtime); SIMD: wasm: 'simd', f32x4 mul + add.",
    'Random ids, no padding; forward + read of last_hidden_state; fastest of 3 calls (2 from 1024 tokens up), relaxed, SIMD and onnxruntime-node interleaved so all see the same machine load; the first shape runs once more first to warm up.',
  ],
});
