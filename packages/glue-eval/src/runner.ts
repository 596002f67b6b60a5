import { readFileSync } from 'node:fs';
import type { KernelBackend } from '@distilbert/core';
import type { HubOptions } from '@distilbert/hub';
import { lengthBuckets } from './bucketing.js';
import { type DataOptions, glueFilePath, loadTaskData } from './data.js';
import { GlueDataError, GlueEvalError } from './errors.js';
import type { Example } from './example.js';
import { alignLabels, type LabelAlignment } from './labels.js';
import { loadPredictor, type Predictor, type PredictorOptions } from './predictor.js';
import type { ProgressReporter } from './progress.js';
import { computeMetrics, type GlueAverage, glueAverage, taskScore } from './scoring.js';
import type { SuiteEntry } from './suite.js';
import { type GlueTask, getTask, type MetricName, type TaskName } from './tasks.js';

export interface RunOptions {
  /** A backend name ('cpu', 'gpu', 'onnx', ...) or instance; default: the registered default. */
  backend?: string | KernelBackend;
  /** GLUE folder with the official TSVs; without it the Hub dataset nyu-mll/glue is read (parquet). */
  data?: string;
  /** Hub dataset id or local folder in its layout (default nyu-mll/glue). */
  dataset?: string;
  hub?: HubOptions;
  /** Evaluate only the first N examples of each dev file. */
  limit?: number;
  /** Examples per forward pass (default 32). */
  batchSize?: number;
  /** Truncation length in tokens (default the tokenizer's, 512). */
  maxLength?: number;
  /** Also predict the test files found in `data` and return GLUE-server submission rows (default true). */
  submission?: boolean;
  progress?: ProgressReporter;
  /** Called after each task, e.g. to write the reports of the tasks finished so far. */
  onTaskDone?: (run: GlueRun) => void | Promise<void>;
  /** Loads a checkpoint (default loadPredictor); tests and embedders may pass their own. */
  loadPredictor?: (model: string, options: PredictorOptions) => Promise<Predictor>;
}

export interface TaskResult {
  task: TaskName;
  displayName: string;
  model: string;
  revision: string | undefined;
  backend: string;
  /** How the model's labels were matched to the task's. */
  labelAlignment: LabelAlignment['method'];
  modelLabels: string[];
  taskLabels: string[];
  dataFile: string;
  examples: number;
  limit: number | undefined;
  metrics: Partial<Record<MetricName, number>>;
  /** Leaderboard score of the task (mean of its metrics), 0..1. */
  score: number;
  /** confusion[gold][predicted] in the task's label order (classification only). */
  confusion?: number[][];
  seconds: number;
  examplesPerSecond: number;
  /** Per-example predictions in file order: class index in the task's label order, or the STS-B score. */
  predictions: number[];
  labels: number[];
}

export interface TaskFailure {
  task: TaskName;
  displayName: string;
  model: string;
  error: string;
  /** The data file and 1-based line, when a data line was at fault. */
  file?: string;
  line?: number;
}

export interface Submission {
  task: TaskName;
  /** The GLUE server's file name (CoLA.tsv, MNLI-m.tsv, AX.tsv, ...). */
  file: string;
  model: string;
  /** [index, prediction] rows: label names for the NLI tasks, 0/1 for the others, a score for STS-B. */
  rows: [string, string][];
}

export interface GlueRun {
  startedAt: string;
  finishedAt: string;
  versions: { glueEval: string; node: string };
  results: TaskResult[];
  failures: TaskFailure[];
  submissions: Submission[];
  average: GlueAverage;
}

export const GLUE_EVAL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/**
 * Evaluates each suite entry on its dev split. A task that fails (bad data line, labels that do not fit,
 * a model that does not load) is recorded with its error and the run goes on with the next task.
 */
export async function runGlue(entries: readonly SuiteEntry[], options: RunOptions = {}): Promise<GlueRun> {
  const run: GlueRun = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    versions: { glueEval: GLUE_EVAL_VERSION, node: process.version },
    results: [],
    failures: [],
    submissions: [],
    average: glueAverage({}),
  };
  const predictors = new Map<string, Promise<Predictor>>();
  const load = options.loadPredictor ?? loadPredictor;
  const predictorFor = (entry: SuiteEntry) => {
    const key = `${entry.model}@${entry.revision ?? ''}`;
    let p = predictors.get(key);
    if (!p) {
      p = load(entry.model, {
        ...(entry.revision ? { revision: entry.revision } : {}),
        ...(options.backend !== undefined ? { backend: options.backend } : {}),
        ...(options.maxLength !== undefined ? { maxLength: options.maxLength } : {}),
        ...(options.hub !== undefined ? { hub: options.hub } : {}),
      });
      predictors.set(key, p);
    }
    return p;
  };
  try {
    for (const entry of entries) {
      const task = getTask(entry.task);
      try {
        if (task.dev && !(entry.optional && options.data && !glueFilePath(options.data, task, 'dev'))) {
          run.results.push(await evaluateTask(task, await predictorFor(entry), entry, options));
        }
      } catch (error) {
        run.failures.push(toFailure(task, entry, error));
      } finally {
        options.progress?.stop();
      }
      // the test split is independent of the dev split: a failed dev run still writes its submission
      try {
        if (options.data && options.submission !== false && glueFilePath(options.data, task, 'test')) {
          run.submissions.push(await predictTestSet(task, await predictorFor(entry), entry, options));
        } else if (!task.dev && !entry.optional) {
          throw new GlueEvalError(
            `${task.displayName} has no labelled split: it is scored on the GLUE server. Pass --data DIR with ` +
              `${task.folder}/${task.test.file} to write its submission file ${task.submissionFile}.`,
          );
        }
      } catch (error) {
        run.failures.push(toFailure(task, entry, error));
      } finally {
        options.progress?.stop();
      }
      run.average = glueAverage(Object.fromEntries(run.results.map((r) => [r.task, r.score])));
      run.finishedAt = new Date().toISOString();
      await options.onTaskDone?.(run);
    }
  } finally {
    for (const p of predictors.values()) await p.then((m) => m.dispose()).catch(() => undefined);
  }
  run.finishedAt = new Date().toISOString();
  return run;
}

/** Scores one checkpoint on one task's dev split. */
export async function evaluateTask(
  task: GlueTask,
  predictor: Predictor,
  entry: Pick<SuiteEntry, 'labelMap'> = {},
  options: Omit<RunOptions, 'onTaskDone'> = {},
): Promise<TaskResult> {
  const alignment = alignLabels(task, predictor.id2label, entry.labelMap, predictor.modelId);
  const data = await loadTaskData(task, 'dev', dataOptions(options));
  if (data.examples.length === 0) throw new GlueEvalError(`${data.file} has no examples.`);
  const started = performance.now();
  const predictions = await predict(task, predictor, alignment, data.examples, options);
  const seconds = (performance.now() - started) / 1000;
  const labels = data.examples.map((e) => e.label!);
  const metrics = computeMetrics(task, labels, predictions);
  return {
    task: task.name,
    displayName: task.displayName,
    model: predictor.modelId,
    revision: predictor.revision,
    backend: predictor.backendName,
    labelAlignment: alignment.method,
    modelLabels: alignment.modelLabels,
    taskLabels: [...task.labels],
    dataFile: data.file,
    examples: data.examples.length,
    limit: options.limit,
    metrics,
    score: taskScore(metrics),
    ...(task.regression ? {} : { confusion: confusionMatrix(task.labels.length, labels, predictions) }),
    seconds,
    examplesPerSecond: data.examples.length / seconds,
    predictions,
    labels,
  };
}

/** Predicts a task's test file (no labels) as GLUE-server submission rows. */
export async function predictTestSet(
  task: GlueTask,
  predictor: Predictor,
  entry: Pick<SuiteEntry, 'labelMap'> = {},
  options: Omit<RunOptions, 'onTaskDone' | 'limit'> = {},
): Promise<Submission> {
  const alignment = alignLabels(task, predictor.id2label, entry.labelMap, predictor.modelId);
  const data = await loadTaskData(task, 'test', { ...dataOptions(options), limit: undefined });
  const predictions = await predict(task, predictor, alignment, data.examples, options);
  return {
    task: task.name,
    file: task.submissionFile,
    model: predictor.modelId,
    rows: data.examples.map((e, i) => [
      e.index,
      task.regression ? predictions[i].toFixed(3) : task.rawLabels[predictions[i]],
    ]),
  };
}

/**
 * Predictions in file order, computed in length-sorted batches: the class index in the task's label order
 * (argmax of the logits, first index on ties, mapped through the alignment) or the raw regression output.
 */
export async function predict(
  task: GlueTask,
  predictor: Predictor,
  alignment: LabelAlignment,
  examples: readonly Example[],
  options: Pick<RunOptions, 'batchSize' | 'progress'> = {},
): Promise<number[]> {
  const predictions = new Array<number>(examples.length);
  const batches = lengthBuckets(examples, options.batchSize ?? 32);
  options.progress?.start(task.displayName, examples.length);
  let done = 0;
  for (const batch of batches) {
    const { values, numLabels } = await predictor.logits(batch.map((i) => examples[i]));
    if (numLabels !== alignment.modelLabels.length) {
      throw new GlueEvalError(
        `${predictor.modelId} returned ${numLabels} logits per example but its config has ` +
          `${alignment.modelLabels.length} labels.`,
      );
    }
    batch.forEach((exampleIndex, row) => {
      const r = values.subarray(row * numLabels, (row + 1) * numLabels);
      if (task.regression) {
        predictions[exampleIndex] = r[0];
      } else {
        let best = 0;
        for (let k = 1; k < numLabels; k++) if (r[k] > r[best]) best = k;
        predictions[exampleIndex] = alignment.modelToTask[best];
      }
    });
    done += batch.length;
    options.progress?.update(done);
  }
  return predictions;
}

export function confusionMatrix(
  n: number,
  labels: readonly number[],
  predictions: readonly number[],
): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predictions[i]]++;
  return m;
}

function dataOptions(options: Omit<RunOptions, 'onTaskDone'>): DataOptions {
  return {
    ...(options.data !== undefined ? { data: options.data } : {}),
    ...(options.dataset !== undefined ? { dataset: options.dataset } : {}),
    ...(options.hub !== undefined ? { hub: options.hub } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
  };
}

function toFailure(task: GlueTask, entry: SuiteEntry, error: unknown): TaskFailure {
  const failure: TaskFailure = {
    task: task.name,
    displayName: task.displayName,
    model: entry.model,
    error: error instanceof Error ? error.message : String(error),
  };
  if (error instanceof GlueDataError) {
    failure.file = error.file;
    failure.line = error.line;
  }
  return failure;
}
