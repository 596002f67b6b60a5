import '@distilbert/core/testing'; // registers the 'reference' backend
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProgram } from '../src/cli.js';
import { loadTaskData } from '../src/data.js';
import { accuracy } from '../src/metrics/index.js';
import { writeReports } from '../src/reports/write.js';
import { type GlueRun, runGlue } from '../src/runner.js';
import { parseSuite } from '../src/suite.js';
import { TASKS } from '../src/tasks.js';
import { GLUE, mnliDevFiles, model, permutedMnli } from './helpers/models.js';
import { writeParquet } from './helpers/writeParquet.js';

const LIMIT = 150;
const tmp = (p: string) => mkdtempSync(join(tmpdir(), p));
const binary = (labels: [string, string]) => ({
  model: model('sst2'),
  labelMap: { NEGATIVE: labels[0], POSITIVE: labels[1] },
});

// The fixture checkpoints are random: the metrics are near chance; what is checked is the plumbing.
describe('a real run on the GLUE dev files with the fixture checkpoints (reference backend)', () => {
  let run: GlueRun;
  let out: string;
  beforeAll(async () => {
    const suite = parseSuite({
      cola: binary(['unacceptable', 'acceptable']),
      sst2: model('sst2'),
      mrpc: binary(['not_equivalent', 'equivalent']),
      stsb: model('stsb'),
      qnli: binary(['entailment', 'not_entailment']),
      rte: binary(['entailment', 'not_entailment']),
      wnli: binary(['not_entailment', 'entailment']),
    });
    // The reference backend is slow (float64, naive loops): every task runs on its first LIMIT examples
    // (WNLI has only 71); SST-2 runs in full on the cpu backend below.
    run = await runGlue(suite, { backend: 'reference', data: GLUE, limit: LIMIT });
    out = tmp('glue-report-');
    await writeReports(run, out);
  }, 600_000);

  it('scores every task present, on every example', () => {
    expect(run.failures).toEqual([]);
    expect(run.results.map((r) => [r.displayName, r.examples])).toEqual([
      ['CoLA', LIMIT],
      ['SST-2', LIMIT],
      ['MRPC', LIMIT],
      ['STS-B', LIMIT],
      ['QNLI', LIMIT],
      ['RTE', LIMIT],
      ['WNLI', 71],
    ]);
    for (const r of run.results) {
      expect(r.backend).toBe('reference');
      expect(r.examplesPerSecond).toBeGreaterThan(0);
      expect(r.predictions).toHaveLength(r.examples);
      for (const v of Object.values(r.metrics)) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('confusion matrices hold the gold label counts of the rows read', async () => {
    for (const r of run.results.filter((x) => x.confusion)) {
      const { examples } = await loadTaskData(TASKS[r.task], 'dev', { data: GLUE, limit: LIMIT });
      const gold = r.taskLabels.map((_, k) => examples.filter((e) => e.label === k).length);
      expect(r.confusion!.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(gold);
    }
    // WNLI is read in full: its real label balance (data/SOURCES.md)
    expect(run.results.find((r) => r.task === 'wnli')!.confusion!.map((row) => row[0] + row[1])).toEqual([
      40, 31,
    ]);
  });

  it('metrics agree with the predictions (accuracy = diagonal of the confusion matrix)', () => {
    const sst2 = run.results.find((r) => r.task === 'sst2')!;
    const [[tn, fp], [fn, tp]] = sst2.confusion!;
    expect(sst2.metrics.accuracy).toBe((tn + tp) / LIMIT);
    expect(sst2.metrics.accuracy).toBe(accuracy(sst2.labels, sst2.predictions));
    const mrpc = run.results.find((r) => r.task === 'mrpc')!;
    const [[, mfp], [mfn, mtp]] = mrpc.confusion!;
    expect(mrpc.metrics.f1).toBeCloseTo((2 * mtp) / (2 * mtp + mfp + mfn), 15);
    expect(mrpc.score).toBeCloseTo((mrpc.metrics.f1! + mrpc.metrics.accuracy!) / 2, 15);
    expect(fp + fn).toBe(LIMIT - tn - tp);
    const stsb = run.results.find((r) => r.task === 'stsb')!;
    expect(stsb.confusion).toBeUndefined();
    expect(new Set(stsb.predictions).size).toBeGreaterThan(100); // raw regression outputs, not classes
    expect(stsb.metrics.pearson).toBeGreaterThanOrEqual(-1);
  });

  it('writes the JSON report with metrics, model ids, backend, versions and timings', () => {
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.results).toHaveLength(7);
    expect(json.results[0]).toMatchObject({
      task: 'cola',
      model: model('sst2'),
      backend: 'reference',
      labelAlignment: 'label-map',
    });
    expect(json.results[0].predictions).toBeUndefined();
    expect(json.versions.glueEval).toMatch(/^\d+\.\d+\.\d+/);
    expect(json.results[1].seconds).toBeGreaterThan(0);
  });

  it('writes the Markdown table laid out like the model card, published numbers beside ours', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('| | MNLI | QQP | QNLI | SST-2 | CoLA | STS-B | MRPC | RTE | WNLI |');
    expect(md).toContain(
      '| DistilBERT (model card) | 82.2 | 88.5 | 89.2 | 91.3 | 51.3 | 85.8 | 87.5 | 59.9 | - |',
    );
    const ours = md
      .split('\n')
      .find((l) => l.startsWith('| this run |'))!
      .split('|')
      .map((c) => c.trim());
    const sst2 = run.results.find((r) => r.task === 'sst2')!;
    expect(ours[2]).toBe('-'); // no MNLI here
    expect(ours[5]).toBe((sst2.score * 100).toFixed(1));
    expect(md).toMatch(/GLUE score: \*\*[\d.-]+\*\* over 7 of 9 tasks: not comparable/);
  });

  it('writes a self-contained HTML report with the bar chart and a confusion matrix per classification task', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<svg [^>]*role="img"/);
    expect(html.match(/<table class="cm">/g)).toHaveLength(6);
    expect(html).not.toMatch(/<script|<link|src=/);
    expect(html).toContain('SST-2 DistilBERT (model card): 91.3');
  });

  it("predictions equal the pipelines package's text-classification on the same SST-2 inputs", async () => {
    const { pipeline } = await import('@distilbert/pipelines');
    const classify = await pipeline('text-classification', model('sst2'), { backend: 'reference' });
    const sst2 = run.results.find((r) => r.task === 'sst2')!;
    const { examples } = await loadTaskData(TASKS.sst2, 'dev', { data: GLUE, limit: LIMIT });
    const names = ['NEGATIVE', 'POSITIVE'];
    const outputs = (await classify(examples.map((e) => e.textA))) as { label: string }[];
    expect(outputs).toHaveLength(LIMIT);
    expect(outputs.map((o) => o.label)).toEqual(sst2.predictions.map((p) => names[p]));
  });

  it("STS-B scores equal the pipeline's raw outputs on the same sentence pairs", async () => {
    // the tiny SST-2 checkpoint says POSITIVE everywhere, so the regression head is the sharper check
    const { pipeline } = await import('@distilbert/pipelines');
    const score = await pipeline('text-classification', model('stsb'), { backend: 'reference' });
    const stsb = run.results.find((r) => r.task === 'stsb')!;
    const { examples } = await loadTaskData(TASKS.stsb, 'dev', { data: GLUE, limit: LIMIT });
    const outputs = (await score(
      examples.map((e) => ({ text: e.textA, text_pair: e.textB! })),
      { function_to_apply: 'none' },
    )) as { score: number }[];
    const diffs = outputs.map((o, i) => Math.abs(o.score - stsb.predictions[i]));
    expect(Math.max(...diffs)).toBeLessThan(1e-5);
    expect(new Set(stsb.predictions.map((p) => p.toFixed(4))).size).toBeGreaterThan(100);
  });
});

describe('SST-2 dev in full on the cpu backend', () => {
  it('scores all 872 sentences and agrees with the reference backend where both ran', async () => {
    const cpu = await runGlue(parseSuite({ sst2: model('sst2') }), { backend: 'cpu', data: GLUE });
    expect(cpu.failures).toEqual([]);
    const r = cpu.results[0];
    expect(r.backend).not.toBe('reference');
    expect(r.examples).toBe(872);
    expect(r.confusion!.map((row) => row[0] + row[1])).toEqual([428, 444]); // data/SOURCES.md
    const ref = await runGlue(parseSuite({ sst2: model('sst2') }), {
      backend: 'reference',
      data: GLUE,
      limit: 100,
    });
    expect(r.predictions.slice(0, 100)).toEqual(ref.results[0].predictions);
    console.log(
      `SST-2 dev on ${r.backend}: ${r.examplesPerSecond.toFixed(1)} ex/s, accuracy ${r.metrics.accuracy}`,
    );
  }, 300_000);
});

describe('determinism and batching', () => {
  it('gives the same predictions on a second run and with another batch size', async () => {
    const suite = parseSuite({ rte: binary(['entailment', 'not_entailment']) });
    const a = await runGlue(suite, { backend: 'reference', data: GLUE, limit: 60 });
    const b = await runGlue(suite, { backend: 'reference', data: GLUE, limit: 60 });
    const c = await runGlue(suite, { backend: 'reference', data: GLUE, limit: 60, batchSize: 7 });
    expect(b.results[0].predictions).toEqual(a.results[0].predictions);
    expect(b.results[0].metrics).toEqual(a.results[0].metrics);
    expect(c.results[0].predictions).toEqual(a.results[0].predictions);
  });
});

describe('label mapping on MNLI', () => {
  const glue = tmp('glue-mnli-');
  mkdirSync(join(glue, 'MNLI'));
  mnliDevFiles(glue, 45);

  it('a checkpoint with permuted id2label gets the same predictions and accuracy', async () => {
    const permuted = permutedMnli([2, 0, 1]);
    const a = await runGlue(parseSuite({ mnli: model('mnli') }), { backend: 'reference', data: glue });
    const b = await runGlue(parseSuite({ mnli: permuted }), { backend: 'reference', data: glue });
    expect(a.failures).toEqual([]);
    expect(a.results.map((r) => r.displayName)).toEqual(['MNLI-m', 'MNLI-mm']);
    expect(b.results[0].modelLabels).toEqual(['contradiction', 'entailment', 'neutral']);
    expect(b.results[0].predictions).toEqual(a.results[0].predictions);
    expect(b.results[0].metrics.accuracy).toBe(a.results[0].metrics.accuracy);
    // the permutation has no fixed point: read in index order, every prediction would have changed
    const permutedIndex = a.results[0].predictions.map((p) =>
      b.results[0].modelLabels.indexOf(TASKS.mnli.labels[p]),
    );
    expect(permutedIndex.every((raw, i) => raw !== a.results[0].predictions[i])).toBe(true);
    // MNLI's task score is the mean of matched and mismatched
    expect(a.average.taskScores.mnli).toBeCloseTo((a.results[0].score + a.results[1].score) / 2, 15);
  });

  it('refuses a 2-label model, and the report of the other tasks is still written', async () => {
    const out = tmp('glue-refused-');
    const run = await runGlue(parseSuite({ mnli: model('sst2'), sst2: model('sst2') }), {
      backend: 'reference',
      data: glue,
      onTaskDone: (r) => writeReports(r, out).then(() => undefined),
    });
    expect(run.failures.map((f) => f.error)).toContain(
      `${model('sst2')} has 2 label(s) (NEGATIVE, POSITIVE) but MNLI-m has 3 (entailment, neutral, contradiction); ` +
        'use a checkpoint fine-tuned on MNLI-m.',
    );
    expect(run.results).toEqual([]); // SST-2 is not in this GLUE folder: also a failure, with the path
    expect(run.failures.find((f) => f.task === 'sst2')!.error).toMatch(/SST-2\/dev\.tsv does not exist/);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).failures).toHaveLength(3);
  });
});

describe('malformed data in a suite run', () => {
  it("stops that task with file:line and still writes the finished tasks' report (CLI)", async () => {
    const glue = tmp('glue-bad-');
    cpSync(join(GLUE, 'SST-2'), join(glue, 'SST-2'), { recursive: true });
    const corrupt = (folder: string, line: number, edit: (fields: string[]) => string[]) => {
      mkdirSync(join(glue, folder));
      const lines = readFileSync(join(GLUE, folder, 'dev.tsv'), 'utf8').split('\n');
      lines[line - 1] = edit(lines[line - 1].split('\t')).join('\t');
      writeFileSync(join(glue, folder, 'dev.tsv'), lines.join('\n'));
    };
    corrupt('RTE', 10, (f) => [...f, 'extra']);
    corrupt('WNLI', 7, (f) => [...f.slice(0, 3), 'maybe']);
    corrupt('STS-B', 12, (f) => [...f.slice(0, 9), '4,2']);
    const suiteFile = join(glue, 'suite.json');
    writeFileSync(
      suiteFile,
      JSON.stringify({
        sst2: model('sst2'),
        stsb: model('stsb'),
        rte: { model: model('sst2'), labelMap: 'NEGATIVE=entailment,POSITIVE=not_entailment' },
        wnli: { model: model('sst2'), labelMap: 'NEGATIVE=not_entailment,POSITIVE=entailment' },
      }),
    );
    const out = join(glue, 'out');
    const logs: string[] = [];
    const log = console.log;
    const error = console.error;
    console.log = (m: string) => logs.push(m);
    console.error = (m: string) => logs.push(m);
    try {
      await makeProgram().parseAsync(
        [
          'run',
          '--suite',
          suiteFile,
          '--data',
          glue,
          '--backend',
          'reference',
          '--out',
          out,
          '--limit',
          '200',
        ],
        { from: 'user' },
      );
    } finally {
      console.log = log;
      console.error = error;
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.results.map((r: { task: string }) => r.task)).toEqual(['sst2']);
    const failures = Object.fromEntries(
      json.failures.map((f: { task: string; file: string; line: number; error: string }) => [f.task, f]),
    );
    expect(failures.rte).toMatchObject({ file: join(glue, 'RTE/dev.tsv'), line: 10 });
    expect(failures.rte.error).toMatch(/RTE\/dev\.tsv:10: expected 4 tab-separated columns, found 5/);
    expect(failures.wnli.error).toMatch(/WNLI\/dev\.tsv:7: unknown WNLI label 'maybe'/);
    expect(failures.stsb.error).toMatch(/STS-B\/dev\.tsv:12: '4,2' is not a STS-B score/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/## Failed tasks[\s\S]*RTE\/dev\.tsv:10/);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(logs.some((l) => /^SST-2: accuracy 0\.\d{4} \(200 examples/.test(l))).toBe(true);
  });
});

describe('GLUE-server submission files', () => {
  it('writes index<TAB>prediction files under the official names for the test files given', async () => {
    const glue = tmp('glue-test-');
    mkdirSync(join(glue, 'SST-2'));
    mkdirSync(join(glue, 'diagnostic'));
    mkdirSync(join(glue, 'STS-B'));
    const sst2 = readFileSync(join(GLUE, 'SST-2/dev.tsv'), 'utf8').split('\n').slice(1, 31);
    writeFileSync(
      join(glue, 'SST-2/test.tsv'),
      `index\tsentence\n${sst2.map((l, i) => `${i}\t${l.split('\t')[0]}`).join('\n')}\n`,
    );
    const rte = readFileSync(join(GLUE, 'RTE/dev.tsv'), 'utf8').split('\n').slice(1, 21);
    const pairs = `index\tsentence1\tsentence2\n${rte.map((l) => l.split('\t').slice(0, 3).join('\t')).join('\n')}\n`;
    writeFileSync(join(glue, 'diagnostic/diagnostic.tsv'), pairs);
    writeFileSync(join(glue, 'STS-B/test.tsv'), pairs);
    const out = tmp('glue-sub-');
    const run = await runGlue(parseSuite({ sst2: model('sst2'), mnli: model('mnli'), stsb: model('stsb') }), {
      backend: 'reference',
      data: glue,
    });
    await writeReports(run, out);
    const read = (f: string) =>
      readFileSync(join(out, 'submission', f), 'utf8')
        .trimEnd()
        .split('\n');
    const sub = read('SST-2.tsv');
    expect(sub[0]).toBe('index\tprediction');
    expect(sub).toHaveLength(31);
    expect(sub.slice(1).every((l, i) => new RegExp(`^${i}\t[01]$`).test(l))).toBe(true);
    const ax = read('AX.tsv');
    expect(ax).toHaveLength(21);
    expect(ax.slice(1).every((l) => /^\d+\t(entailment|neutral|contradiction)$/.test(l))).toBe(true);
    expect(
      read('STS-B.tsv')
        .slice(1)
        .every((l) => /^\d+\t-?\d+\.\d{3}$/.test(l)),
    ).toBe(true);
    // no dev files here: the dev tasks fail with the missing path, the submissions are still written
    expect(run.failures.map((f) => f.task)).toEqual(['sst2', 'stsb', 'mnli']);
  });
});

describe('the Hub parquet path in a run', () => {
  it('scores parquet rows (nyu-mll/glue layout) exactly as the same TSV rows', async () => {
    const dataset = tmp('glue-hub-');
    const { examples } = await loadTaskData(TASKS.mrpc, 'dev', { data: GLUE, limit: 40 });
    mkdirSync(join(dataset, 'mrpc'));
    writeParquet(join(dataset, 'mrpc/validation-00000-of-00001.parquet'), [
      { name: 'sentence1', type: 'string', values: examples.map((e) => e.textA) },
      { name: 'sentence2', type: 'string', values: examples.map((e) => e.textB!) },
      { name: 'label', type: 'int64', values: examples.map((e) => e.label!) },
      { name: 'idx', type: 'int64', values: examples.map((_, i) => i) },
    ]);
    const suite = parseSuite({ mrpc: binary(['not_equivalent', 'equivalent']) });
    const hub = await runGlue(suite, { backend: 'reference', dataset });
    const tsv = await runGlue(suite, { backend: 'reference', data: GLUE, limit: 40 });
    expect(hub.failures).toEqual([]);
    expect(hub.results[0].dataFile).toMatch(/mrpc\/validation-00000-of-00001\.parquet$/);
    expect(hub.results[0].predictions).toEqual(tsv.results[0].predictions);
    expect(hub.results[0].metrics).toEqual(tsv.results[0].metrics);
  });
});
