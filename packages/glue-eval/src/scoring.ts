import { accuracy, f1, matthewsCorrcoef, pearson, spearman } from './metrics/index.js';
import type { GlueTask, MetricName, TaskName } from './tasks.js';

/** The task's official metrics on these labels and predictions. */
export function computeMetrics(
  task: GlueTask,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): Partial<Record<MetricName, number>> {
  const out: Partial<Record<MetricName, number>> = {};
  for (const m of task.metrics) {
    out[m] =
      m === 'accuracy'
        ? accuracy(labels, predictions)
        : m === 'f1'
          ? f1(labels, predictions) // positive class: the dataset's label 1 (equivalent, duplicate)
          : m === 'matthews_correlation'
            ? matthewsCorrcoef(labels, predictions)
            : m === 'pearson'
              ? pearson(predictions, labels)
              : spearman(predictions, labels);
  }
  return out;
}

/** A task's leaderboard score: its metric, or the unweighted mean of its two metrics (MRPC, QQP, STS-B). */
export function taskScore(metrics: Partial<Record<MetricName, number>>): number {
  const values = Object.values(metrics) as number[];
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** The nine tasks the GLUE score averages (AX is diagnostic only; MNLI-m and MNLI-mm count as one task). */
export const GLUE_SCORE_TASKS = [
  'cola',
  'sst2',
  'mrpc',
  'stsb',
  'qqp',
  'mnli',
  'qnli',
  'rte',
  'wnli',
] as const;

export interface GlueAverage {
  /** Macro-average of the task scores present (0..1), or NaN when no scored task is present. */
  score: number;
  /** The task scores that went in, MNLI already averaged over matched and mismatched. */
  taskScores: Partial<Record<(typeof GLUE_SCORE_TASKS)[number], number>>;
  /** True only when all nine tasks are present: otherwise the number is not comparable to the leaderboard. */
  complete: boolean;
}

/**
 * The GLUE score as the leaderboard computes it (Wang et al. 2018, sec. 4): each task's score is its metric,
 * or the unweighted mean of its metrics when it has two (MRPC F1/acc, QQP F1/acc, STS-B Pearson/Spearman);
 * MNLI's score is the mean of its matched and mismatched accuracies; the GLUE score is the unweighted mean
 * of the nine task scores. AX is not part of it.
 */
export function glueAverage(scores: Partial<Record<TaskName, number>>): GlueAverage {
  const taskScores: GlueAverage['taskScores'] = {};
  for (const t of GLUE_SCORE_TASKS) {
    if (t === 'mnli') {
      const parts = [scores.mnli, scores['mnli-mm']].filter((v): v is number => v !== undefined);
      if (parts.length > 0) taskScores.mnli = parts.reduce((a, b) => a + b, 0) / parts.length;
    } else if (scores[t] !== undefined) {
      taskScores[t] = scores[t];
    }
  }
  const values = Object.values(taskScores) as number[];
  return {
    score: values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length,
    taskScores,
    complete: values.length === GLUE_SCORE_TASKS.length,
  };
}
