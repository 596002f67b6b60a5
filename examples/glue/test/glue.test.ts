// The GLUE example on the fixture suite: tiny checkpoints on the first 16 lines of the committed GLUE dev
// files. SST-2's predictions are checked against the same checkpoint run directly on core's reference backend.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@distilbert/core';
import '@distilbert/core/testing'; // registers the float64 'reference' backend
import { parseSuite, readSuite } from '@distilbert/glue-eval';
import { openRepo } from '@distilbert/hub';
import { BertTokenizer } from '@distilbert/tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUITE, main } from '../src/main.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const GLUE = here('../../../fixtures/data/glue');
const SST2_MODEL = here('../../../fixtures/models/tiny-distilbert-sst2');
const out = mkdtempSync(join(tmpdir(), 'glue-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const SST2_PUBLIC = 'distilbert/distilbert-base-uncased-finetuned-sst-2-english';
// The real checkpoint when it is cached or the Hub answers (a missing DNS fails fast); skipped otherwise.
const realModel = await openRepo(SST2_PUBLIC).then(
  () => true,
  () => false,
);

describe('glue example', () => {
  it('runs the fixture suite with --limit 16 and writes the reports', async () => {
    const lines: string[] = [];
    const run = await main(
      ['--suite', here('../suites/fixtures.json'), '--data', GLUE, '--limit', '16', '--out', out],
      (l) => lines.push(l),
    );
    expect(run.failures).toEqual([]);
    expect(run.results.map((r) => r.task)).toEqual(['cola', 'sst2', 'mrpc', 'stsb']);
    for (const r of run.results) expect(r.examples).toBe(16);

    // SST-2: the first 16 dev sentences, classified one by one on the reference backend.
    const sst2 = run.results.find((r) => r.task === 'sst2')!;
    const rows = readFileSync(join(GLUE, 'SST-2/dev.tsv'), 'utf8').split('\n').slice(1, 17);
    const tokenizer = await BertTokenizer.fromPretrained(SST2_MODEL);
    const model = await loadModel(SST2_MODEL, { backend: 'reference' });
    const want: number[] = [];
    for (const row of rows) {
      const output = await model.forward(tokenizer.encodeBatch([row.split('\t')[0]]));
      const [negative, positive] = await output.logits!.data();
      output.dispose();
      want.push(positive > negative ? 1 : 0); // id2label: 0 NEGATIVE, 1 POSITIVE = the task's order
    }
    model.dispose();
    expect(sst2.predictions).toEqual(want);
    expect(sst2.labels).toEqual(rows.map((r) => Number(r.split('\t')[1])));
    const correct = want.filter((p, i) => p === sst2.labels[i]).length;
    expect(sst2.metrics.accuracy).toBe(correct / 16);

    // The suite's labelMap names the tiny sentiment model's labels in CoLA's terms.
    const cola = run.results.find((r) => r.task === 'cola')!;
    expect(cola.modelLabels).toEqual(['NEGATIVE', 'POSITIVE']);
    expect(cola.taskLabels).toEqual(['unacceptable', 'acceptable']);

    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { results: unknown[] };
    expect(report.results).toHaveLength(4);
    expect(existsSync(join(out, 'report.md')) && existsSync(join(out, 'report.html'))).toBe(true);
    expect(lines[0]).toBe('| task | model | metrics | examples | ex/s |');
    expect(lines.find((l) => l.startsWith('| SST-2 |'))).toContain(
      `accuracy ${((100 * correct) / 16).toFixed(1)}`,
    );
    expect(lines.at(-2)).toMatch(/^GLUE score \d+\.\d \(not all nine tasks/);
  });

  it('the public suite names a checkpoint for all nine tasks (MNLI also scored on MNLI-mm and AX)', async () => {
    const entries = await readSuite(DEFAULT_SUITE);
    expect(entries.map((e) => e.task)).toEqual([
      'cola',
      'sst2',
      'mrpc',
      'stsb',
      'qqp',
      'mnli',
      'mnli-mm',
      'qnli',
      'rte',
      'wnli',
      'ax',
    ]);
    for (const e of entries) expect(e.model).toMatch(/^(textattack\/distilbert-base-uncased-|distilbert\/)/);
    // TextAttack's MNLI model was trained with its own label order (TextAttack's registry: [1, 2, 0]).
    expect(entries.find((e) => e.task === 'mnli')?.labelMap).toEqual({
      LABEL_0: 'contradiction',
      LABEL_1: 'entailment',
      LABEL_2: 'neutral',
    });
    expect(() => parseSuite({ nope: 'x' })).toThrow();
  });

  it.runIf(realModel)(
    'the public SST-2 checkpoint scores like its model card on 64 committed dev sentences',
    async () => {
      const suite = join(out, 'sst2-only.json');
      writeFileSync(suite, JSON.stringify({ sst2: SST2_PUBLIC }));
      const run = await main(
        ['--suite', suite, '--data', GLUE, '--limit', '64', '--out', join(out, 'real')],
        () => {},
      );
      expect(run.failures).toEqual([]);
      // 91.3% on the whole dev set; 64 sentences leave room for chance.
      expect(run.results[0].metrics.accuracy).toBeGreaterThan(0.8);
    },
  );
});
