import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTaskData } from '../src/data.js';
import { GlueDataError } from '../src/errors.js';
import { getTask, TASKS } from '../src/tasks.js';
import { parseGlueTsv } from '../src/tsv.js';
import { writeParquet } from './helpers/writeParquet.js';

const GLUE = fileURLToPath(new URL('../../../fixtures/data/glue/', import.meta.url));
const count = (labels: (number | undefined)[], k: number) => labels.filter((l) => l === k).length;

describe('the real GLUE dev files (counts and label balance from data/SOURCES.md)', () => {
  const cases = [
    ['cola', 1043, [322, 721]],
    ['sst2', 872, [428, 444]],
    ['mrpc', 408, [129, 279]],
    ['qnli', 5463, [2702, 2761]],
    ['rte', 277, [146, 131]],
    ['wnli', 71, [40, 31]],
  ] as const;
  it.each(cases)('%s: %i rows, labels %j', async (name, rows, perLabel) => {
    const { examples, format } = await loadTaskData(getTask(name), 'dev', { data: GLUE });
    expect(format).toBe('tsv');
    expect(examples).toHaveLength(rows);
    const labels = examples.map((e) => e.label);
    expect(perLabel.map((_, k) => count(labels, k))).toEqual([...perLabel]);
    for (const e of examples) expect(e.textA.length).toBeGreaterThan(0);
  });

  it('CoLA: headerless, last line without newline read, sentence from column 4', async () => {
    const { examples } = await loadTaskData(TASKS.cola, 'dev', { data: GLUE });
    const lastLine = readFileSync(join(GLUE, 'CoLA/dev.tsv'), 'utf8').split('\n').at(-1)!;
    expect(examples.at(-1)!.textA).toBe(lastLine.split('\t')[3]);
    expect(examples.at(-1)!.source).toMatch(/CoLA\/dev\.tsv:1043$/);
    expect(examples[0].textA).toBe(
      readFileSync(join(GLUE, 'CoLA/dev.tsv'), 'utf8').split('\n')[0].split('\t')[3],
    );
  });

  it('SST-2 keeps the trailing space; MRPC header with BOM; QNLI/RTE/WNLI keep their index', async () => {
    const sst2 = await loadTaskData(TASKS.sst2, 'dev', { data: GLUE });
    expect(sst2.examples.every((e) => e.textA.endsWith(' '))).toBe(true);
    const mrpc = await loadTaskData(TASKS.mrpc, 'dev', { data: GLUE });
    expect(mrpc.examples[0].textB).toBeDefined();
    const rte = await loadTaskData(TASKS.rte, 'dev', { data: GLUE });
    expect(rte.examples.map((e) => e.index).slice(0, 3)).toEqual(['0', '1', '2']);
    expect(rte.examples[0].source).toMatch(/RTE\/dev\.tsv:2$/);
  });

  it('STS-B: float scores from 0 to 5', async () => {
    const { examples } = await loadTaskData(TASKS.stsb, 'dev', { data: GLUE });
    expect(examples).toHaveLength(1500);
    const scores = examples.map((e) => e.label!);
    expect(Math.min(...scores)).toBe(0);
    expect(Math.max(...scores)).toBe(5);
    expect(scores.some((s) => !Number.isInteger(s))).toBe(true);
    const first = readFileSync(join(GLUE, 'STS-B/dev.tsv'), 'utf8').split('\n')[1].split('\t');
    expect(examples[0]).toMatchObject({ textA: first[7], textB: first[8], label: Number(first[9]) });
  });

  it('--limit reads only the first N rows', async () => {
    const { examples } = await loadTaskData(TASKS.qnli, 'dev', { data: GLUE, limit: 10 });
    expect(examples).toHaveLength(10);
  });

  it('says which file is missing and what layout --data needs', async () => {
    await expect(loadTaskData(TASKS.qqp, 'dev', { data: GLUE })).rejects.toThrow(
      /QQP\/dev\.tsv does not exist/,
    );
    await expect(loadTaskData(TASKS.ax, 'dev', { data: GLUE })).rejects.toThrow(/no labelled dev split/);
  });
});

describe('malformed TSV lines stop with the file and line', () => {
  const sst2 = (body: string) => () =>
    parseGlueTsv(`sentence\tlabel\n${body}`, 'x/SST-2/dev.tsv', TASKS.sst2, TASKS.sst2.dev!);
  it('wrong column count', () => {
    expect(sst2('good movie \t1\nbad\tmovie\t0\n')).toThrow(
      /^x\/SST-2\/dev\.tsv:3: expected 2 tab-separated columns, found 3/,
    );
  });
  it('unknown label', () => {
    expect(sst2('good movie \t1\nfine \tpositive\n')).toThrow(
      /dev\.tsv:3: unknown SST-2 label 'positive'; expected one of '0', '1'/,
    );
  });
  it('bad float (STS-B)', () => {
    const head = 'index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n';
    const row = (score: string) => `0\tg\tf\ty\t0\ts\ts\ta\tb\t${score}\n`;
    const parse = (s: string) => () =>
      parseGlueTsv(head + row('1.5') + row(s), 'STS-B/dev.tsv', TASKS.stsb, TASKS.stsb.dev!);
    expect(parse('x.5')).toThrow(/STS-B\/dev\.tsv:3: 'x\.5' is not a STS-B score/);
    expect(parse('5.5')).toThrow(GlueDataError);
    expect(parse('')).toThrow(/:3:/);
  });
  it("a header that is not the task's", () => {
    expect(() => parseGlueTsv('a\tb\n', 'RTE/dev.tsv', TASKS.rte, TASKS.rte.dev!)).toThrow(
      /RTE\/dev\.tsv:1: the header lacks column\(s\) 'index', 'sentence1', 'sentence2', 'label'/,
    );
  });
  it('the error carries file and line as fields', () => {
    try {
      sst2('a \t7\n')();
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(GlueDataError);
      expect((error as GlueDataError).file).toBe('x/SST-2/dev.tsv');
      expect((error as GlueDataError).line).toBe(2);
    }
  });
});

describe('Hub parquet path (nyu-mll/glue layout, read with hyparquet)', () => {
  const tsvCola = () => loadTaskData(TASKS.cola, 'dev', { data: GLUE, limit: 40 });
  const makeDataset = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glue-parquet-'));
    const cola = (await tsvCola()).examples;
    mkdirSync(join(dir, 'cola'));
    writeParquet(join(dir, 'cola/validation-00000-of-00001.parquet'), [
      { name: 'sentence', type: 'string', values: cola.map((e) => e.textA) },
      { name: 'label', type: 'int64', values: cola.map((e) => e.label!) },
      { name: 'idx', type: 'int64', values: cola.map((_, i) => i) },
    ]);
    writeParquet(join(dir, 'cola/test-00000-of-00001.parquet'), [
      { name: 'sentence', type: 'string', values: ['One.', 'Two two.'] },
      { name: 'label', type: 'int64', values: [-1, -1] },
      { name: 'idx', type: 'int64', values: [0, 1] },
    ]);
    mkdirSync(join(dir, 'stsb'));
    writeParquet(join(dir, 'stsb/validation-00000-of-00001.parquet'), [
      { name: 'sentence1', type: 'string', values: ['a', 'b', 'c'] },
      { name: 'sentence2', type: 'string', values: ['x', 'y', 'z'] },
      { name: 'label', type: 'double', values: [0.5, 4.75, 7] },
      { name: 'idx', type: 'int64', values: [0, 1, 2] },
    ]);
    return dir;
  };

  it('gives the same examples as the TSV, and unlabelled test rows', async () => {
    const dataset = await makeDataset();
    const pq = await loadTaskData(TASKS.cola, 'dev', { dataset });
    expect(pq.format).toBe('parquet');
    const tsv = (await tsvCola()).examples;
    expect(pq.examples.map((e) => [e.textA, e.label])).toEqual(tsv.map((e) => [e.textA, e.label]));
    expect((await loadTaskData(TASKS.cola, 'dev', { dataset, limit: 5 })).examples).toHaveLength(5);
    const test = await loadTaskData(TASKS.cola, 'test', { dataset });
    expect(test.examples.map((e) => [e.index, e.textA, e.label])).toEqual([
      ['0', 'One.', undefined],
      ['1', 'Two two.', undefined],
    ]);
  });

  it('validates labels with the file and row', async () => {
    const dataset = await makeDataset();
    await expect(loadTaskData(TASKS.stsb, 'dev', { dataset })).rejects.toThrow(
      /stsb\/validation-00000-of-00001\.parquet \(row 3\): label 7 is not a score from 0 to 5/,
    );
  });

  it('names the Hub file it could not get and suggests --data', async () => {
    const dataset = await makeDataset();
    await expect(loadTaskData(TASKS.rte, 'dev', { dataset })).rejects.toThrow(
      /rte\/validation-00000-of-00001\.parquet.*--data DIR/,
    );
  });
});

describe('the official layouts of the files not in the fixtures (QQP, MNLI, test files, AX)', () => {
  const parse = (name: keyof typeof TASKS, split: 'dev' | 'test', text: string) => {
    const task = TASKS[name];
    return parseGlueTsv(text, `${task.folder}/x.tsv`, task, split === 'dev' ? task.dev! : task.test);
  };
  it('QQP dev: id qid1 qid2 question1 question2 is_duplicate', () => {
    const [e] = parse(
      'qqp',
      'dev',
      'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate\n7\t1\t2\tHow?\tWhy?\t1\n',
    );
    expect(e).toMatchObject({ textA: 'How?', textB: 'Why?', label: 1 });
  });
  it('MNLI dev (16 columns, gold_label last) and MNLI train-style 12 columns read by name', () => {
    const head16 =
      'index\tpromptID\tpairID\tgenre\ts1b\ts2b\ts1p\ts2p\tsentence1\tsentence2\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label';
    const row16 = '0\t1\t1n\tslate\t(\t(\t(\t(\tP.\tH.\tneutral\tneutral\tneutral\tneutral\tneutral\tneutral';
    expect(parse('mnli', 'dev', `${head16}\n${row16}\n`)[0]).toMatchObject({
      textA: 'P.',
      textB: 'H.',
      label: 1,
    });
    const head12 =
      'index\tpromptID\tpairID\tgenre\ts1b\ts2b\ts1p\ts2p\tsentence1\tsentence2\tlabel1\tgold_label';
    const row12 = '0\t1\t1c\tslate\t(\t(\t(\t(\tP.\tH.\tcontradiction\tcontradiction';
    expect(parse('mnli-mm', 'dev', `${head12}\n${row12}\n`)[0].label).toBe(2);
  });
  it('test files: index column, no labels', () => {
    expect(parse('cola', 'test', 'index\tsentence\n0\tBill whistled.\n')[0]).toEqual({
      index: '0',
      textA: 'Bill whistled.',
      source: 'CoLA/x.tsv:2',
    });
    expect(
      parse('mrpc', 'test', 'index\t#1 ID\t#2 ID\t#1 String\t#2 String\n3\t1\t2\tA\tB\n')[0],
    ).toMatchObject({ index: '3', textB: 'B' });
    expect(parse('qqp', 'test', 'id\tquestion1\tquestion2\n9\tA?\tB?\n')[0].index).toBe('9');
    expect(parse('ax', 'test', 'index\tsentence1\tsentence2\n0\tA\tB\n')[0].label).toBeUndefined();
    expect(
      parse(
        'stsb',
        'test',
        'index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\n0\tg\tf\ty\t0\ts\ts\tA\tB\n',
      )[0],
    ).toMatchObject({ textA: 'A', textB: 'B' });
  });
  it('every task has a submission file name of the GLUE server', () => {
    expect(
      Object.values(TASKS)
        .map((t) => t.submissionFile)
        .sort(),
    ).toEqual(
      ['AX', 'CoLA', 'MNLI-m', 'MNLI-mm', 'MRPC', 'QNLI', 'QQP', 'RTE', 'SST-2', 'STS-B', 'WNLI']
        .map((f) => `${f}.tsv`)
        .sort(),
    );
  });
});
