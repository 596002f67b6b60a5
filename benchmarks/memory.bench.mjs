// Memory: peak resident set (VmHWM) of a fresh process loading the full-size DistilBERT encoder on
// @distilbert/backend-cpu and running one 8×128 forward, against the weight file's size (target < 1.6×);
// then 1,000 fill-mask pipeline calls on the tiny fixture model, with RSS and engine.memory() before and
// after (target: no growth). Each part runs in its own child process so its figures start from a clean slate.
// Weights: fixtures/tools/make_fullsize.py writes them into node_modules/.cache/distilbert-fullsize.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { report } from './lib/report.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const dir = `${root}node_modules/.cache/distilbert-fullsize/`;
const weights = `${dir}model.safetensors`;
const tinyMlm = `${root}fixtures/models/tiny-distilbert-mlm`;
const CALLS = Number(process.env.BENCH_PIPELINE_CALLS ?? 1000);
const MiB = 2 ** 20;

/** VmRSS and VmHWM (peak) of this process, in bytes. */
function rss() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

function ids(batch, seq, seed) {
  const out = new Int32Array(batch * seq);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 1000 + (s % 29000);
  }
  return out;
}

async function childFullsize() {
  const { createCpuBackend } = await import('@distilbert/backend-cpu');
  const { loadModel } = await import('@distilbert/core');
  const backend = await createCpuBackend({ threads: Number(process.env.BENCH_THREADS ?? 2) });
  const baseline = rss();
  const model = await loadModel(dir, { backend, architecture: 'DistilBertModel' });
  const loaded = rss();
  // With --expose-gc: anything the load left for the GC collected at once. Equal to the plain run when the
  // backend lets the loader read straight into its own memory (KernelBackend.allocateForWrite).
  if (globalThis.gc) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 100)); // array buffers are freed by a background sweep
  }
  const collected = rss();
  writeFileSync('/proc/self/clear_refs', '5'); // resets VmHWM: the next peak is the forward's own
  const out = await model.forward({
    input_ids: ids(8, 128, 1),
    attention_mask: new Int32Array(1024).fill(1),
    shape: [8, 128],
  });
  await out.last_hidden_state.data();
  out.dispose();
  const forward = rss();
  model.dispose();
  backend.dispose();
  return { baseline, loaded, collected, forward };
}

async function childPipeline() {
  const { pipeline } = await import('@distilbert/pipelines');
  const { engine } = await import('@distilbert/core');
  const unmasker = await pipeline('fill-mask', tinyMlm, { backend: 'cpu' });
  const text = 'the capital of france is [MASK].';
  // Warm-up: JIT, tokenizer caches and the allocator's first arenas are not growth.
  for (let i = 0; i < 50; i++) await unmasker(text);
  // RSS after a gc every tenth of the run: a single before/after pair mostly measures when V8 last collected.
  const samples = [];
  const sample = () => {
    globalThis.gc?.();
    samples.push(rss().rss);
  };
  sample();
  const before = engine.memory();
  for (let i = 1; i <= CALLS; i++) {
    await unmasker(text);
    if (i % (CALLS / 10) === 0) sample();
  }
  const after = engine.memory();
  unmasker.dispose();
  return { samples, before, after };
}

if (process.argv[2] === '--child') {
  const part = process.argv[3];
  const result = part === 'fullsize' ? await childFullsize() : await childPipeline();
  console.log(JSON.stringify(result));
  process.exit(0);
}

if (!existsSync(weights))
  execFileSync('python3', [`${root}fixtures/tools/make_fullsize.py`, dir], { stdio: 'inherit' });

const child = (part, flags = []) =>
  JSON.parse(
    execFileSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', part], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .at(-1),
  );

const fileBytes = statSync(weights).size;
const full = child('fullsize');
const fullGc = child('fullsize', ['--expose-gc']);
const pipe = child('pipeline', ['--expose-gc']);
const median3 = (xs) => [...xs].sort((a, b) => a - b)[1];
const first = pipe.samples[0];
const last = pipe.samples.at(-1);
const growth = median3(pipe.samples.slice(-3)) - median3(pipe.samples.slice(0, 3));
// VmHWM is reset after loading, so the process's peak is the larger of the load's and the forward's.
const peakOf = (r) => Math.max(r.loaded.peak, r.forward.peak);
const mib = (b) => (b / MiB).toFixed(1);
const ratio = (b) => `${(b / fileBytes).toFixed(2)}×`;

report({
  title: 'Memory: full-size DistilBERT on backend-cpu (peak RSS) and 1,000 fill-mask calls (growth)',
  command: 'node benchmarks/memory.bench.mjs',
  versions: {
    '@distilbert/core': JSON.parse(readFileSync(`${root}packages/core/package.json`, 'utf8')).version,
  },
  rows: [
    ['measure', 'RSS MiB', 'peak RSS MiB', 'peak / weight file'],
    ['weight file (model.safetensors)', mib(fileBytes), '', '1.00×'],
    ['fullsize: process baseline', mib(full.baseline.rss), mib(full.baseline.peak), ''],
    ['fullsize: after loadModel', mib(full.loaded.rss), mib(full.loaded.peak), ratio(full.loaded.peak)],
    [
      'fullsize: forward 8×128 (peak of the process)',
      mib(full.forward.rss),
      mib(peakOf(full)),
      ratio(peakOf(full)),
    ],
    ['fullsize, gc after load: after gc', mib(fullGc.collected.rss), '', ''],
    [
      'fullsize, gc after load: forward 8×128 (its own peak)',
      mib(fullGc.forward.rss),
      mib(fullGc.forward.peak),
      ratio(fullGc.forward.peak),
    ],
    [`pipeline: first / last of ${pipe.samples.length} samples`, `${mib(first)} / ${mib(last)}`, '', ''],
    [
      'pipeline: min / max sample',
      `${mib(Math.min(...pipe.samples))} / ${mib(Math.max(...pipe.samples))}`,
      '',
      '',
    ],
  ],
  notes: [
    `Target: fullsize peak < 1.6 × file = ${mib(1.6 * fileBytes)} MiB; measured ${mib(peakOf(full))} MiB (${ratio(peakOf(full))}); with the load's buffers collected first (--expose-gc) the forward peaks at ${mib(fullGc.forward.peak)} MiB (${ratio(fullGc.forward.peak)}).`,
    `engine.memory() before → after ${CALLS} fill-mask calls: ${JSON.stringify(pipe.before)} → ${JSON.stringify(pipe.after)}.`,
    `RSS growth over ${CALLS} calls (median of the last 3 samples − median of the first 3, each after gc): ${mib(growth)} MiB.`,
  ],
});
