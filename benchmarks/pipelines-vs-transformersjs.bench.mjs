// fill-mask and feature-extraction over 256 real SST-2 dev sentences: @distilbert/pipelines on the onnx
// backend vs transformers.js's pipelines on our ONNX export of the same full-size model, batch 1 and 16,
// same onnxruntime thread count. Goals (issue 9): fill-mask ≥ 2×, feature-extraction ≥ 1.3× transformers.js's
// best batch setting.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname } from 'node:path';
import { OnnxBackend } from '@distilbert/backend-onnx';
import { pipeline } from '@distilbert/pipelines';
import { env, pipeline as tjsPipeline } from '@huggingface/transformers';
import {
  EXPORT_ENCODER,
  EXPORT_MLM,
  MODEL_DIR,
  prepareFullsize,
  sst2Sentences,
  withMask,
} from './lib/onnx-fullsize.mjs';
import { report, versionOf } from './lib/report.mjs';

// Packages whose exports hide package.json: read it from the workspace link.
const pkgVersion = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

const THREADS = Number(process.env.BENCH_THREADS ?? Math.min(2, availableParallelism()));
const N = Number(process.env.BENCH_TEXTS ?? 256);
const sessionOptions = { intraOpNumThreads: THREADS, interOpNumThreads: 1, graphOptimizationLevel: 'all' };

await prepareFullsize();
const sentences = sst2Sentences(N);
const masked = sentences.map(withMask);
env.allowRemoteModels = false;

async function seconds(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

async function chunks(texts, size, fn) {
  for (let i = 0; i < texts.length; i += size) await fn(texts.slice(i, i + size));
}

const results = [];
for (const task of ['fill-mask', 'feature-extraction']) {
  const texts = task === 'fill-mask' ? masked : sentences;
  const callOptions = task === 'fill-mask' ? { top_k: 5 } : { pooling: 'mean', normalize: true };
  const exportDir = task === 'fill-mask' ? EXPORT_MLM : EXPORT_ENCODER;
  env.localModelPath = `${dirname(exportDir.replace(/\/$/, ''))}/`;
  const tjs = await tjsPipeline(task, basename(exportDir), {
    dtype: 'fp32',
    local_files_only: true,
    session_options: sessionOptions,
  });
  const backend = new OnnxBackend(sessionOptions);
  const configs = [];
  for (const batch of [1, 16]) {
    const ours = await pipeline(task, MODEL_DIR, { backend, batchSize: batch });
    await ours(texts.slice(0, 4), callOptions); // warm-up: traces and builds the session
    await tjs(texts.slice(0, batch), callOptions);
    configs.push({ batch, ours, tOurs: 0, tTjs: 0 });
  }
  // Every configuration runs each half of the texts in turn, so load changes on a shared machine hit all alike.
  const half = Math.ceil(texts.length / 2);
  for (const part of [texts.slice(0, half), texts.slice(half)]) {
    for (const c of configs) {
      c.tOurs += await seconds(() => c.ours(part, callOptions));
      c.tTjs += await seconds(() =>
        chunks(part, c.batch, (x) => tjs(x.length === 1 ? x[0] : x, callOptions)),
      );
    }
  }
  for (const c of configs) {
    results.push({ task, batch: c.batch, ours: N / c.tOurs, tjs: N / c.tTjs });
    c.ours.dispose();
  }
  await tjs.dispose();
  backend.dispose();
}

const rows = [
  [
    'task',
    'batch',
    'transformers.js (texts/s)',
    '@distilbert/pipelines + onnx (texts/s)',
    'vs transformers.js best batch',
  ],
];
for (const r of results) {
  const best = Math.max(...results.filter((x) => x.task === r.task).map((x) => x.tjs));
  rows.push([r.task, r.batch, r.tjs.toFixed(1), r.ours.toFixed(1), `${(r.ours / best).toFixed(2)}×`]);
}
report({
  title: 'pipelines on backend-onnx vs transformers.js (same ONNX export, full-size random DistilBERT)',
  command: 'node benchmarks/pipelines-vs-transformersjs.bench.mjs',
  rows,
  versions: {
    '@huggingface/transformers': pkgVersion('@huggingface/transformers'),
    'onnxruntime-node': versionOf('onnxruntime-node'),
  },
  notes: [
    `${N} SST-2 dev sentences in file order, run as two halves, each through every configuration in turn; fill-mask replaces each sentence's middle word by [MASK], top_k 5; feature-extraction mean-pools and normalises.`,
    `${THREADS} intra-op threads on both sides. transformers.js runs onnx/model.onnx of our export (fill-mask: the MLM export; feature-extraction: the bare-encoder export); ours traces the same graph from model.safetensors.`,
    'Ours sorts texts by length into batches and projects only the [MASK] rows onto the vocabulary; transformers.js pads each batch of 16 in input order and projects every position.',
  ],
});
