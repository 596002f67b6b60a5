import { GlueEvalError } from './errors.js';

export type TaskName =
  | 'cola'
  | 'sst2'
  | 'mrpc'
  | 'stsb'
  | 'qqp'
  | 'mnli'
  | 'mnli-mm'
  | 'qnli'
  | 'rte'
  | 'wnli'
  | 'ax';
export type MetricName = 'matthews_correlation' | 'accuracy' | 'f1' | 'pearson' | 'spearman';
export type Split = 'dev' | 'test';

/**
 * Where each field of a GLUE TSV lives. Files with a header are read by column name (MNLI's dev and test
 * files differ in width); CoLA's headerless dev/train files by position.
 */
export interface FileLayout {
  /** File name inside the task folder. */
  file: string;
  /** Column names that must be in the header, or null for a headerless file. */
  header: readonly string[] | null;
  /** Number of columns of a headerless file. */
  columns?: number;
  textA: string | number;
  textB?: string | number;
  label?: string | number;
  /** The GLUE index column (test files), used as the submission's `index`. */
  index?: string | number;
}

export interface GlueTask {
  name: TaskName;
  /** Name on the GLUE leaderboard and in the model card. */
  displayName: string;
  /** Folder of the GLUE distribution (`--data DIR/<folder>/...`). */
  folder: string;
  /** Config and split names in the Hub dataset nyu-mll/glue (parquet). */
  hub: { config: string; dev: string | null; test: string };
  /** Layouts of the dev file (null: the task has no labelled split, AX) and of the test file. */
  dev: FileLayout | null;
  test: FileLayout;
  /** Label names in the dataset's order (HF datasets' ClassLabel order); empty for regression. */
  labels: readonly string[];
  /** The label values as written in the TSVs, aligned with `labels` (also written in submissions). */
  rawLabels: readonly string[];
  regression: boolean;
  metrics: readonly MetricName[];
  /** File name expected by the GLUE server. */
  submissionFile: string;
  /** A task scored with another task's model (MNLI-mm and AX use the MNLI checkpoint). */
  modelFrom?: TaskName;
}

const binary01 = ['0', '1'] as const;
const nli3 = ['entailment', 'neutral', 'contradiction'] as const;
const nli2 = ['entailment', 'not_entailment'] as const;
/**
 * A headed file of sentence pairs. Its required header defaults to index, textA, textB, label (the order
 * missing columns are reported in); `header` gives another order.
 */
function pairs(
  file: string,
  textA: string,
  textB: string,
  cols: { label?: string; index?: string; header?: readonly string[] } = {},
): FileLayout {
  const { label, index } = cols;
  const header = cols.header ?? [index, textA, textB, label].filter((c) => c !== undefined);
  return { file, header, textA, textB, ...(label ? { label } : {}), ...(index ? { index } : {}) };
}
const pairTest = (file = 'test.tsv'): FileLayout => pairs(file, 'sentence1', 'sentence2', { index: 'index' });

export const TASKS: Readonly<Record<TaskName, GlueTask>> = {
  cola: {
    name: 'cola',
    displayName: 'CoLA',
    folder: 'CoLA',
    hub: { config: 'cola', dev: 'validation', test: 'test' },
    // source code, label, original annotation, sentence; no header (and the dev file has no final newline)
    dev: { file: 'dev.tsv', header: null, columns: 4, textA: 3, label: 1 },
    test: { file: 'test.tsv', header: ['index', 'sentence'], textA: 'sentence', index: 'index' },
    labels: ['unacceptable', 'acceptable'],
    rawLabels: binary01,
    regression: false,
    metrics: ['matthews_correlation'],
    submissionFile: 'CoLA.tsv',
  },
  sst2: {
    name: 'sst2',
    displayName: 'SST-2',
    folder: 'SST-2',
    hub: { config: 'sst2', dev: 'validation', test: 'test' },
    dev: { file: 'dev.tsv', header: ['sentence', 'label'], textA: 'sentence', label: 'label' },
    test: { file: 'test.tsv', header: ['index', 'sentence'], textA: 'sentence', index: 'index' },
    labels: ['negative', 'positive'],
    rawLabels: binary01,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'SST-2.tsv',
  },
  mrpc: {
    name: 'mrpc',
    displayName: 'MRPC',
    folder: 'MRPC',
    hub: { config: 'mrpc', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', '#1 String', '#2 String', {
      label: 'Quality',
      header: ['Quality', '#1 String', '#2 String'],
    }),
    test: pairs('test.tsv', '#1 String', '#2 String', { index: 'index' }),
    labels: ['not_equivalent', 'equivalent'],
    rawLabels: binary01,
    regression: false,
    metrics: ['f1', 'accuracy'],
    submissionFile: 'MRPC.tsv',
  },
  stsb: {
    name: 'stsb',
    displayName: 'STS-B',
    folder: 'STS-B',
    hub: { config: 'stsb', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', 'sentence1', 'sentence2', { label: 'score' }),
    test: pairTest(),
    labels: [],
    rawLabels: [],
    regression: true,
    metrics: ['pearson', 'spearman'],
    submissionFile: 'STS-B.tsv',
  },
  qqp: {
    name: 'qqp',
    displayName: 'QQP',
    folder: 'QQP',
    hub: { config: 'qqp', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', 'question1', 'question2', { label: 'is_duplicate' }),
    test: pairs('test.tsv', 'question1', 'question2', { index: 'id' }),
    labels: ['not_duplicate', 'duplicate'],
    rawLabels: binary01,
    regression: false,
    metrics: ['f1', 'accuracy'],
    submissionFile: 'QQP.tsv',
  },
  mnli: {
    name: 'mnli',
    displayName: 'MNLI-m',
    folder: 'MNLI',
    hub: { config: 'mnli', dev: 'validation_matched', test: 'test_matched' },
    dev: pairs('dev_matched.tsv', 'sentence1', 'sentence2', { label: 'gold_label' }),
    test: pairTest('test_matched.tsv'),
    labels: nli3,
    rawLabels: nli3,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'MNLI-m.tsv',
  },
  'mnli-mm': {
    name: 'mnli-mm',
    displayName: 'MNLI-mm',
    folder: 'MNLI',
    hub: { config: 'mnli', dev: 'validation_mismatched', test: 'test_mismatched' },
    dev: pairs('dev_mismatched.tsv', 'sentence1', 'sentence2', { label: 'gold_label' }),
    test: pairTest('test_mismatched.tsv'),
    labels: nli3,
    rawLabels: nli3,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'MNLI-mm.tsv',
    modelFrom: 'mnli',
  },
  qnli: {
    name: 'qnli',
    displayName: 'QNLI',
    folder: 'QNLI',
    hub: { config: 'qnli', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', 'question', 'sentence', { label: 'label', index: 'index' }),
    test: pairs('test.tsv', 'question', 'sentence', { index: 'index' }),
    labels: nli2,
    rawLabels: nli2,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'QNLI.tsv',
  },
  rte: {
    name: 'rte',
    displayName: 'RTE',
    folder: 'RTE',
    hub: { config: 'rte', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', 'sentence1', 'sentence2', { label: 'label', index: 'index' }),
    test: pairTest(),
    labels: nli2,
    rawLabels: nli2,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'RTE.tsv',
  },
  wnli: {
    name: 'wnli',
    displayName: 'WNLI',
    folder: 'WNLI',
    hub: { config: 'wnli', dev: 'validation', test: 'test' },
    dev: pairs('dev.tsv', 'sentence1', 'sentence2', { label: 'label', index: 'index' }),
    test: pairTest(),
    // WNLI writes 0/1; HF's ClassLabel names them not_entailment/entailment
    labels: ['not_entailment', 'entailment'],
    rawLabels: binary01,
    regression: false,
    metrics: ['accuracy'],
    submissionFile: 'WNLI.tsv',
  },
  ax: {
    name: 'ax',
    displayName: 'AX',
    folder: 'diagnostic',
    hub: { config: 'ax', dev: null, test: 'test' },
    dev: null,
    test: pairTest('diagnostic.tsv'),
    labels: nli3,
    rawLabels: nli3,
    regression: false,
    metrics: ['matthews_correlation'],
    submissionFile: 'AX.tsv',
    modelFrom: 'mnli',
  },
};

/** The tasks in the leaderboard's column order. */
export const TASK_ORDER: readonly TaskName[] = [
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
];

const ALIASES: Record<string, TaskName> = {
  'sst-2': 'sst2',
  'sts-b': 'stsb',
  'mnli-m': 'mnli',
  mnli_matched: 'mnli',
  mnli_mismatched: 'mnli-mm',
  mnli_mm: 'mnli-mm',
  diagnostic: 'ax',
};

/** The task called `name` (case-insensitive; also the leaderboard spellings SST-2, STS-B, MNLI-m). */
export function getTask(name: string): GlueTask {
  const key = name.toLowerCase();
  const task = TASKS[(ALIASES[key] ?? key) as TaskName];
  if (!task) {
    throw new GlueEvalError(`Unknown GLUE task '${name}'. Known tasks: ${TASK_ORDER.join(', ')}.`);
  }
  return task;
}
