import type { GlueRun } from '../runner.js';

/**
 * The run as JSON: metrics, model ids and revisions, backend, versions, timings, failures and the GLUE
 * average. Per-example predictions are left out (the submission files carry the test predictions).
 */
export function jsonReport(run: GlueRun): string {
  return `${JSON.stringify(
    {
      ...run,
      average: { ...run.average, score: Number.isNaN(run.average.score) ? null : run.average.score },
      results: run.results.map(({ predictions: _p, labels: _l, ...r }) => r),
      submissions: run.submissions.map(({ rows, ...s }) => ({ ...s, examples: rows.length })),
    },
    (_, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v),
    2,
  )}\n`;
}
