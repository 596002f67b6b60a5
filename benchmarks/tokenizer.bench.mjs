// Tokenizer throughput: @distilbert/tokenizer vs Hugging Face's Rust `tokenizers` (official npm binding) vs
// transformers.js, on GLUE sentences, in one run. Needs the built package: cd packages/tokenizer && npx tsc -p tsconfig.build.json
// Run: node tokenizer.bench.mjs   (BENCH_NO_APPEND=1 to skip BENCHMARKS.md)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BertTokenizer } from '@distilbert/tokenizer';
import { AutoTokenizer, env } from '@huggingface/transformers';
import tokenizers from 'tokenizers';
import { report } from './lib/report.mjs';

// Read from node_modules directly: not every package exports its package.json.
const versionOf = (pkg) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version;

const DATA = fileURLToPath(new URL('../fixtures/data/', import.meta.url));
const MODEL_DIR = `${DATA}distilbert-base-uncased`;

const tsv = (file) =>
  readFileSync(`${DATA}glue/${file}`, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
const sst2Dev = tsv('SST-2/dev.tsv').map((r) => r[0]);
const sst2Train = tsv('SST-2/train.tsv').map((r) => r[0]);
const qnliDev = tsv('QNLI/dev.tsv').map((r) => [r[1], r[2]]);
const datasets = [
  ['SST-2 dev', sst2Dev],
  ['SST-2 train', sst2Train],
  ['QNLI dev (pairs)', qnliDev],
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/**
 * Median wall seconds and median CPU seconds (all threads of this process) of `fn(inputs)` over `rounds`
 * passes, after a warm-up pass on the first 2,000 inputs. CPU time keeps the figures meaningful on a shared machine.
 */
async function seconds(fn, inputs, rounds) {
  await fn(inputs.slice(0, 2000));
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    const c = process.cpuUsage();
    const t0 = performance.now();
    await fn(inputs);
    wall.push((performance.now() - t0) / 1000);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** Load time in ms: first call, then median wall and median CPU time (this process) of 5 more. */
async function loadMs(fn, rounds = 5) {
  const t0 = performance.now();
  await fn();
  const cold = performance.now() - t0;
  const wall = [];
  const cpu = [];
  for (let r = 0; r < rounds; r++) {
    const c = process.cpuUsage();
    const t1 = performance.now();
    await fn();
    wall.push(performance.now() - t1);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return `${cold.toFixed(1)} / ${median(wall).toFixed(1)} (CPU ${median(cpu).toFixed(1)})`;
}

// ---- load times
/**
 * First call in a fresh process, as a program sees it: `node` is started for each of `runs` runs, imports the
 * package, loads once and encodes one sentence. Median ms of import, load (wall and CPU) and that first encode.
 */
function freshProcessMs(load, runs = 7) {
  const script = `
    const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
    const t0 = performance.now();
    const { BertTokenizer } = await import('@distilbert/tokenizer');
    const { readFileSync } = await import('node:fs');
    const t1 = performance.now(); const c1 = cpu();
    const tok = await (${load});
    const t2 = performance.now(); const c2 = cpu();
    tok.encode("Hello I'm a [MASK] model.");
    const t3 = performance.now();
    console.log(JSON.stringify([t1 - t0, t2 - t1, c2 - c1, t3 - t2]));`;
  const runsMs = Array.from({ length: runs }, () =>
    JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: fileURLToPath(new URL('.', import.meta.url)),
        env: { ...process.env, MODEL_DIR },
        encoding: 'utf8',
      }),
    ),
  );
  const [imp, wall, cpu, enc] = [0, 1, 2, 3].map((k) => median(runsMs.map((r) => r[k])).toFixed(1));
  return `${wall} (CPU ${cpu}); import ${imp}, first encode ${enc}`;
}
const fresh = {
  vocab: freshProcessMs(
    "BertTokenizer.fromVocab(readFileSync(process.env.MODEL_DIR + '/vocab.txt', 'utf8'))",
  ),
  json: freshProcessMs(
    "BertTokenizer.fromTokenizerJson(readFileSync(process.env.MODEL_DIR + '/tokenizer.json', 'utf8'))",
  ),
  pretrained: freshProcessMs('BertTokenizer.fromPretrained(process.env.MODEL_DIR)'),
};
const vocabTxt = readFileSync(`${MODEL_DIR}/vocab.txt`, 'utf8');
env.allowRemoteModels = false;
env.localModelPath = DATA;
const loads = {
  ours: await loadMs(() => BertTokenizer.fromVocab(readFileSync(`${MODEL_DIR}/vocab.txt`, 'utf8'))),
  oursJson: await loadMs(() => BertTokenizer.fromPretrained(MODEL_DIR)),
  rust: await loadMs(() => tokenizers.Tokenizer.fromFile(`${MODEL_DIR}/tokenizer.json`)),
  tjs: await loadMs(() => AutoTokenizer.from_pretrained('distilbert-base-uncased')),
};
const ours = BertTokenizer.fromVocab(vocabTxt);
const rust = tokenizers.Tokenizer.fromFile(`${MODEL_DIR}/tokenizer.json`);
const tjs = await AutoTokenizer.from_pretrained('distilbert-base-uncased');

// The binding's encodeBatch takes single texts only; pairs go through concurrent encode calls (libuv pool).
const rustBatch = (xs) =>
  typeof xs[0] === 'string' ? rust.encodeBatch(xs) : Promise.all(xs.map((x) => rust.encode(x[0], x[1])));

// ---- agreement (ids) with the Rust library on every input
let mismatches = 0;
for (const [, inputs] of datasets) {
  const want = await rustBatch(inputs);
  inputs.forEach((x, i) => {
    const got = typeof x === 'string' ? ours.encode(x).input_ids : ours.encode(x[0], x[1]).input_ids;
    if (got.join() !== want[i].getIds().join()) mismatches++;
  });
}

// ---- throughput (tokens = ids incl. [CLS]/[SEP], no padding)
const BATCH = 32;
const chunks = (xs, n) =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));
const rows = [
  [
    'dataset',
    'inputs',
    'tokens',
    'implementation',
    'M tokens/s (wall)',
    'vs Rust encodeBatch',
    'M tokens per CPU-second',
  ],
];
for (const [name, inputs] of datasets) {
  const tokens = inputs.reduce(
    (n, x) => n + (typeof x === 'string' ? ours.encode(x) : ours.encode(x[0], x[1])).input_ids.length,
    0,
  );
  const rounds = inputs.length > 10_000 ? 2 : 4;
  const impls = [
    [
      'ours encode (1 thread)',
      (xs) => {
        for (const x of xs) typeof x === 'string' ? ours.encode(x) : ours.encode(x[0], x[1]);
      },
    ],
    [
      `ours encodeBatch (${BATCH}/batch, padded Int32Array)`,
      (xs) => {
        for (const b of chunks(xs, BATCH)) ours.encodeBatch(b);
      },
    ],
    [
      'tokenizers encodeBatch (1024/call, native threads; pairs: 1024 concurrent encode)',
      async (xs) => {
        for (const c of chunks(xs, 1024)) await rustBatch(c);
      },
    ],
    [
      'tokenizers encode (one await per input)',
      async (xs) => {
        for (const x of xs) typeof x === 'string' ? await rust.encode(x) : await rust.encode(x[0], x[1]);
      },
    ],
    [
      'transformers.js encode',
      (xs) => {
        for (const x of xs) typeof x === 'string' ? tjs.encode(x) : tjs.encode(x[0], { text_pair: x[1] });
      },
    ],
  ];
  const results = [];
  for (const [label, fn] of impls) {
    const t = await seconds(fn, inputs, rounds);
    results.push([label, tokens / t.wall, tokens / t.cpu]);
  }
  const base = results[2][1];
  for (const [label, tps, perCpu] of results)
    rows.push([
      name,
      inputs.length,
      tokens,
      label,
      (tps / 1e6).toFixed(2),
      `${(tps / base).toFixed(2)}x`,
      (perCpu / 1e6).toFixed(2),
    ]);
}
rows.push([
  'load ms, fresh process: median of 7 first calls',
  '',
  '',
  `ours fromVocab(vocab.txt) ${fresh.vocab}`,
  '',
  '',
  '',
]);
rows.push(['', '', '', `ours fromTokenizerJson(tokenizer.json) ${fresh.json}`, '', '', '']);
rows.push(['', '', '', `ours fromPretrained(local folder) ${fresh.pretrained}`, '', '', '']);
rows.push([
  'load ms, in this process: first / median of 5 (CPU)',
  '',
  '',
  `ours vocab.txt ${loads.ours}`,
  '',
  '',
  '',
]);
rows.push(['', '', '', `ours fromPretrained (tokenizer.json) ${loads.oursJson}`, '', '', '']);
rows.push(['', '', '', `tokenizers Tokenizer.fromFile ${loads.rust}`, '', '', '']);
rows.push(['', '', '', `transformers.js AutoTokenizer ${loads.tjs}`, '', '', '']);

report({
  title: 'Tokenizer: encode throughput (distilbert-base-uncased WordPiece)',
  command: 'node benchmarks/tokenizer.bench.mjs',
  rows,
  versions: {
    '@distilbert/tokenizer': versionOf('@distilbert/tokenizer'),
    tokenizers: versionOf('tokenizers'),
    '@huggingface/transformers': versionOf('@huggingface/transformers'),
  },
  notes: [
    `ids identical to the Rust library on every input: ${mismatches === 0 ? 'yes' : `NO, ${mismatches} differ`}`,
    'tokens/s counts ids including [CLS]/[SEP], without padding; each figure is the median of 2 (SST-2 train) or 4 timed passes over all inputs, after a warm-up on 2,000.',
    `tokenizers encodeBatch uses the binding's native thread pool (${(await import('node:os')).cpus().length} cores here); everything else runs on one JS thread.`,
    'M tokens per CPU-second divides by the CPU time of all threads of the process: on a busy machine it shows the work done, where wall time also shows waiting for a core.',
    'Load ms, fresh process: a new `node` per run imports the package, loads once (wall, CPU) and encodes one sentence; medians of 7 runs. In this process: wall for the first call (other libraries already loaded) / median wall of 5 more (median CPU ms).',
    `load average during the run: ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')} (1, 5, 15 min)`,
  ],
});
