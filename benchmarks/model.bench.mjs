// Full-size random DistilBERT encoder (768/12/6/3072, fixtures/tools/make_fullsize.py, never committed) at
// batch×seq 1×128, 8×128, 32×64 and 1×512: our backends (cpu, gpu, onnx) beside raw onnxruntime-node on
// our ONNX export and transformers.js's feature-extraction pipeline offline on that same export.
// Each contender runs in its own child process, which also measures its load time, first forward and peak
// RSS (VmHWM after loading and one 1×128 forward). Headline: our throughput as a multiple of the peers'.
//
//   node benchmarks/model.bench.mjs
//   BENCH_THREADS=4 BENCH_SHAPES=1x128,1x512 BENCH_RUNNERS=ort,cpu node benchmarks/model.bench.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORT_ENCODER, MODEL_DIR, prepareFullsize } from './lib/onnx-fullsize.mjs';
import { report } from './lib/report.mjs';

const THREADS = Number(process.env.BENCH_THREADS ?? Math.min(2, availableParallelism()));
const SHAPES = (process.env.BENCH_SHAPES ?? '1x128,8x128,32x64,1x512')
  .split(',')
  .map((s) => s.split('x').map(Number));
/** Timed passes per shape stop after this long (at least one, at most 5, after one warm-up pass). */
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 3000);
const RUNNERS = {
  ort: 'onnxruntime-node (raw, our export)',
  tjs: 'transformers.js feature-extraction (our export)',
  cpu: '@distilbert/backend-cpu',
  onnx: '@distilbert/backend-onnx',
  gpu: '@distilbert/backend-gpu',
};
const sessionOptions = { intraOpNumThreads: THREADS, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
// Workspace packages whose exports hide package.json: read it from the folder.
const versionAt = (dir) => JSON.parse(readFileSync(here(`${dir}/package.json`), 'utf8')).version;

/** Deterministic ids in the ordinary vocabulary range. */
function ids(n, seed) {
  const out = new Int32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 1000 + (s % 29000);
  }
  return out;
}

function peakRssMiB() {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
  return kb / 1024;
}

// ---------------------------------------------------------------------------------------------- child

/** One contender: `load()` makes it ready, `forward(b, s)` runs one batch and reads the output back. */
async function contender(kind) {
  if (kind === 'ort') {
    const ort = await import('onnxruntime-node');
    let session;
    return {
      load: async () => {
        session = await ort.InferenceSession.create(`${EXPORT_ENCODER}onnx/model.onnx`, sessionOptions);
      },
      // What a user of the file does: int64 tensors, run, read the output.
      forward: async (b, s) => {
        const feeds = {
          input_ids: new ort.Tensor('int64', BigInt64Array.from(ids(b * s, b * 1000 + s), BigInt), [b, s]),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(b * s).fill(1n), [b, s]),
        };
        return (await session.run(feeds)).last_hidden_state.data[0];
      },
      info: () => ({}),
    };
  }
  if (kind === 'tjs') {
    const { env, pipeline } = await import('@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = `${dirname(EXPORT_ENCODER.replace(/\/$/, ''))}/`;
    let extractor;
    // "hello" is one token: s − 2 of them plus [CLS] and [SEP] make exactly s tokens.
    const text = (s) =>
      Array(s - 2)
        .fill('hello')
        .join(' ');
    return {
      load: async () => {
        extractor = await pipeline('feature-extraction', basename(EXPORT_ENCODER), {
          dtype: 'fp32',
          local_files_only: true,
          session_options: sessionOptions,
        });
      },
      forward: async (b, s) => {
        const out = await extractor(Array(b).fill(text(s)));
        if (out.dims[1] !== s)
          throw new Error(`transformers.js tokenized to ${out.dims[1]} tokens, not ${s}`);
        return out.data[0];
      },
      info: () => ({}),
    };
  }
  const { loadModel } = await import('@distilbert/core');
  let backend;
  let model;
  const make = {
    cpu: async () => (await import('@distilbert/backend-cpu')).createCpuBackend({ threads: THREADS }),
    onnx: async () => new (await import('@distilbert/backend-onnx')).OnnxBackend(sessionOptions),
    // Not a dependency of this folder: its build, beside core's.
    gpu: async () => (await import(here('../packages/backend-gpu/dist/index.js'))).createGpuBackend(),
  }[kind];
  return {
    load: async () => {
      backend = await make();
      // The folder holds the MLM checkpoint: its unused head is expected, so no note about it.
      model = await loadModel(MODEL_DIR, { backend, architecture: 'DistilBertModel', onWarning: () => {} });
    },
    forward: async (b, s) => {
      const out = await model.forward({
        input_ids: ids(b * s, b * 1000 + s),
        attention_mask: new Int32Array(b * s).fill(1),
        shape: [b, s],
      });
      const data = await out.last_hidden_state.data();
      out.dispose();
      return data[0];
    },
    info: () => {
      const a = backend?.adapterInfo;
      if (!a) return {};
      const text = `${a.description || a.device} (${a.vendor}, ${a.architecture})`;
      return { adapter: text, software: /llvmpipe|lavapipe|swiftshader|software/i.test(text) };
    },
  };
}

async function child(kind) {
  const c = await contender(kind);
  const t0 = performance.now();
  await c.load();
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  await c.forward(1, 128); // also builds lazy sessions / pipelines / shader modules
  const firstMs = performance.now() - t1;
  const rssMiB = peakRssMiB();
  const info = c.info();
  // A software WebGPU adapter (lavapipe) takes seconds per full-size pass: only the smallest shape.
  const shapes = info.software ? SHAPES.filter(([b, s]) => b * s <= 128) : SHAPES;
  const timings = [];
  for (const [b, s] of shapes) {
    // Warm-up pass (on a software adapter the first forward above was the warm-up: passes take seconds).
    if (!(info.software && b === 1 && s === 128)) await c.forward(b, s);
    const t = [];
    const start = performance.now();
    do {
      const t2 = performance.now();
      await c.forward(b, s);
      t.push(performance.now() - t2);
    } while (t.length < 5 && performance.now() - start < MIN_MS);
    t.sort((x, y) => x - y);
    timings.push({ shape: `${b}x${s}`, batch: b, ms: t[Math.floor(t.length / 2)], passes: t.length });
  }
  process.stdout.write(`RESULT ${JSON.stringify({ kind, loadMs, firstMs, rssMiB, info, timings })}\n`);
  process.exit(0); // native runtimes (Dawn, onnxruntime) can keep the loop alive
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
}

// --------------------------------------------------------------------------------------------- parent

await prepareFullsize();
const loadBefore = loadavg()[0];
const results = {};
for (const kind of (process.env.BENCH_RUNNERS ?? 'ort,tjs,cpu,onnx,gpu').split(',')) {
  process.stderr.write(`model.bench: ${RUNNERS[kind]}…\n`);
  try {
    const stdout = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 15 * 60_000,
      maxBuffer: 1 << 24,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
    results[kind] = JSON.parse(line.slice(7));
  } catch (error) {
    results[kind] = { kind, error: (error.stderr || error.message || String(error)).split('\n')[0] };
  }
}

const seqPerS = (r, shape) => {
  const t = r?.timings?.find((x) => x.shape === shape);
  return t ? (t.batch * 1000) / t.ms : undefined;
};
const fmt = (r, shape) => {
  const t = r?.timings?.find((x) => x.shape === shape);
  if (!t) return r?.error ? 'failed' : '—';
  return `${((t.batch * 1000) / t.ms).toFixed(2)} seq/s (${t.ms.toFixed(0)} ms)`;
};
const ratio = (a, b) => (a && b ? `${a / b >= 0.1 ? (a / b).toFixed(2) : (a / b).toPrecision(2)}×` : '—');

const ours = ['cpu', 'onnx', 'gpu'].filter((k) => results[k]);
const forwardRows = [
  [
    'batch×seq',
    'onnxruntime-node raw',
    'transformers.js',
    ...ours.flatMap((k) => [RUNNERS[k], `${k}: ×ORT / ×transformers.js`]),
  ],
];
for (const [b, s] of SHAPES) {
  const shape = `${b}x${s}`;
  const ort = seqPerS(results.ort, shape);
  const tjs = seqPerS(results.tjs, shape);
  forwardRows.push([
    `${b}×${s}`,
    fmt(results.ort, shape),
    fmt(results.tjs, shape),
    ...ours.flatMap((k) => {
      const v = seqPerS(results[k], shape);
      return [fmt(results[k], shape), `${ratio(v, ort)} / ${ratio(v, tjs)}`];
    }),
  ]);
}

const loadRows = [['contender', 'load (ms)', 'first 1×128 forward (ms)', 'peak RSS after it (MiB)']];
for (const [kind, r] of Object.entries(results)) {
  if (r.error) loadRows.push([RUNNERS[kind], `failed: ${r.error}`, '', '']);
  else loadRows.push([RUNNERS[kind], r.loadMs.toFixed(0), r.firstMs.toFixed(0), r.rssMiB.toFixed(0)]);
}

const versions = {
  'onnxruntime-node': versionAt('node_modules/onnxruntime-node'),
  '@huggingface/transformers': versionAt('node_modules/@huggingface/transformers'),
  '@distilbert/core': versionAt('../packages/core'),
};
const adapter = results.gpu?.info?.adapter;
const common = [
  `Load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end${
    Math.max(loadBefore, loadavg()[0]) > availableParallelism() / 2
      ? ': other work shared the machine, so the ratios are indicative only'
      : ''
  }.`,
  `${THREADS} threads for every contender (backend-cpu threads; onnxruntime intra-op threads, graph optimisation 'all').`,
  `Median of up to 5 timed passes (stopping after ${MIN_MS} ms) after one warm-up pass; each contender in its own process, all inputs attended.`,
];
report({
  title: 'Model forward: full-size random DistilBERT encoder (768/12/6/3072), ours vs peers',
  command: 'node benchmarks/model.bench.mjs',
  rows: forwardRows,
  versions,
  notes: [
    ...common,
    'Ours and raw onnxruntime: forward on token ids, last_hidden_state read back. transformers.js: its feature-extraction pipeline on texts that tokenize to exactly seq tokens (its tokenizer time included), offline on our export (onnx/model.onnx).',
    adapter
      ? `backend-gpu adapter: ${adapter}${results.gpu.info.software ? ' — a software rasteriser: only 1×128 is run' : ''}.`
      : 'backend-gpu: no WebGPU adapter result (see the load table).',
  ],
});
report({
  title: 'Model load time and peak RSS: full-size random DistilBERT encoder',
  command: 'node benchmarks/model.bench.mjs',
  rows: loadRows,
  versions,
  notes: [
    'Load: from creating the backend/session to a model ready to run (weights read from model.safetensors, or the .onnx file for the peers). First forward includes lazy session, graph or shader builds.',
    'Peak RSS: VmHWM of the contender’s own process after load and the first 1×128 forward.',
    `Weights: ${MODEL_DIR}model.safetensors (F32, 255 MiB; tied MLM head not loaded), export ${EXPORT_ENCODER}onnx/model.onnx.`,
  ],
});
