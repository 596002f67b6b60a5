import { PUBLISHED_DISTILBERT } from '../published.js';
import type { GlueRun } from '../runner.js';
import { TASK_ORDER, TASKS } from '../tasks.js';
import { backendsOf, metricSummary, pct } from './format.js';

/**
 * The model card's GLUE table (MNLI, QQP, QNLI, SST-2, CoLA, STS-B, MRPC, RTE) with the published
 * DistilBERT row and ours, then the tasks the card lacks, per-metric details, failures and submissions.
 */
export function markdownReport(run: GlueRun): string {
  const byTask = new Map(run.results.map((r) => [r.task, r]));
  const extra = TASK_ORDER.filter((t) => byTask.has(t) && !PUBLISHED_DISTILBERT.some((p) => p.task === t));
  const columns = [...PUBLISHED_DISTILBERT.map((p) => p.column), ...extra.map((t) => TASKS[t].displayName)];
  const published = [...PUBLISHED_DISTILBERT.map((p) => p.value.toFixed(1)), ...extra.map(() => '-')];
  const ours = [...PUBLISHED_DISTILBERT.map((p) => p.task), ...extra].map((t) => pct(byTask.get(t)?.score));
  const avg = run.average;
  const lines = [
    '# GLUE results',
    '',
    `| | ${columns.join(' | ')} |`,
    `| --- | ${columns.map(() => '---:').join(' | ')} |`,
    `| DistilBERT (model card) | ${published.join(' | ')} |`,
    `| this run | ${ours.join(' | ')} |`,
    '',
    `GLUE score: **${pct(avg.score)}**` +
      (avg.complete
        ? ' (all nine tasks).'
        : ` over ${Object.keys(avg.taskScores).length} of 9 tasks: not comparable with the leaderboard.`),
    'A task with two metrics scores their mean; MNLI scores the mean of matched and mismatched.',
    '',
    '## Details',
    '',
    '| task | model | revision | examples | metrics | score | ex/s | seconds | labels |',
    '| --- | --- | --- | ---: | --- | ---: | ---: | ---: | --- |',
    ...run.results.map(
      (r) =>
        `| ${r.displayName} | ${r.model} | ${r.revision?.slice(0, 10) ?? 'local'} | ${r.examples}` +
        `${r.limit !== undefined ? ` (limit ${r.limit})` : ''} | ${metricSummary(r)} | ${pct(r.score)} | ` +
        `${r.examplesPerSecond.toFixed(1)} | ${r.seconds.toFixed(2)} | ${r.labelAlignment} |`,
    ),
    '',
    `Backend: ${backendsOf(run)}. glue-eval ${run.versions.glueEval}, Node ${run.versions.node}. ` +
      `Started ${run.startedAt}, finished ${run.finishedAt}.`,
  ];
  if (run.failures.length > 0) {
    lines.push('', '## Failed tasks', '');
    for (const f of run.failures) lines.push(`- **${f.displayName}** (${f.model}): ${f.error}`);
  }
  if (run.submissions.length > 0) {
    lines.push('', '## GLUE-server submission files', '');
    for (const s of run.submissions)
      lines.push(`- \`submission/${s.file}\`: ${s.rows.length} rows (${s.model})`);
  }
  return `${lines.join('\n')}\n`;
}
