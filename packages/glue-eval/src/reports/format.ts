import type { GlueRun, TaskResult } from '../runner.js';

/** A 0..1 score as the leaderboard prints it (percent, one decimal); '-' when missing, 'n/a' for NaN. */
export function pct(v: number | undefined): string {
  if (v === undefined) return '-';
  return Number.isNaN(v) ? 'n/a' : (v * 100).toFixed(1);
}

export const METRIC_LABEL: Record<string, string> = {
  matthews_correlation: 'MCC',
  accuracy: 'acc',
  f1: 'F1',
  pearson: 'Pearson',
  spearman: 'Spearman',
};

/** "F1 87.1 / acc 80.2" */
export function metricSummary(r: TaskResult): string {
  return Object.entries(r.metrics)
    .map(([k, v]) => `${METRIC_LABEL[k] ?? k} ${pct(v)}`)
    .join(' / ');
}

export function backendsOf(run: GlueRun): string {
  return [...new Set(run.results.map((r) => r.backend))].join(', ') || '-';
}
