import { publishedScore } from '../published.js';
import type { GlueRun, TaskResult } from '../runner.js';
import { backendsOf, metricSummary, pct } from './format.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A self-contained HTML page (no scripts, no external assets): summary table, an inline SVG bar chart of
 * our task scores beside the published DistilBERT numbers, and a confusion matrix per classification task.
 */
export function htmlReport(run: GlueRun): string {
  const rows = run.results
    .map(
      (r) =>
        `<tr><td>${esc(r.displayName)}</td><td>${esc(r.model)}</td><td>${r.examples}</td>` +
        `<td>${esc(metricSummary(r))}</td><td class="n">${pct(r.score)}</td>` +
        `<td class="n">${publishedScore(r.task)?.toFixed(1) ?? '-'}</td>` +
        `<td class="n">${r.examplesPerSecond.toFixed(1)}</td></tr>`,
    )
    .join('\n');
  const failures = run.failures
    .map((f) => `<li><b>${esc(f.displayName)}</b> (${esc(f.model)}): ${esc(f.error)}</li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GLUE results</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}
td.n{text-align:right}.cm td{text-align:right;min-width:3em}.failed{color:#a00}
</style></head><body>
<h1>GLUE results</h1>
<p>GLUE score: <b>${pct(run.average.score)}</b>${run.average.complete ? '' : ` (${Object.keys(run.average.taskScores).length} of 9 tasks; not comparable with the leaderboard)`}.
Backend: ${esc(backendsOf(run))}. glue-eval ${esc(run.versions.glueEval)}, Node ${esc(run.versions.node)}.</p>
<table><thead><tr><th>task</th><th>model</th><th>examples</th><th>metrics</th><th>score</th><th>DistilBERT (card)</th><th>ex/s</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${failures ? `<h2 class="failed">Failed tasks</h2><ul class="failed">${failures}</ul>` : ''}
<h2>Scores against the published DistilBERT numbers</h2>
${barChart(run.results)}
<h2>Confusion matrices</h2>
${run.results
  .filter((r) => r.confusion)
  .map(confusionTable)
  .join('\n')}
</body></html>
`;
}

function barChart(results: readonly TaskResult[]): string {
  const barW = 18;
  const groupW = barW * 2 + 16;
  const height = 200;
  const top = 10;
  const left = 36;
  const width = left + groupW * Math.max(results.length, 1) + 10;
  const y = (v: number) => top + height - (Math.max(0, Math.min(100, v)) / 100) * height;
  const parts: string[] = [];
  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(
      `<line x1="${left}" x2="${width}" y1="${y(tick)}" y2="${y(tick)}" stroke="#eee"/>` +
        `<text x="${left - 4}" y="${y(tick) + 4}" text-anchor="end" font-size="10">${tick}</text>`,
    );
  }
  results.forEach((r, i) => {
    const x = left + 8 + i * groupW;
    const ours = Number.isNaN(r.score) ? 0 : r.score * 100;
    const pub = publishedScore(r.task);
    parts.push(
      `<rect x="${x}" y="${y(ours)}" width="${barW}" height="${y(0) - y(ours)}" fill="#3b7dd8"><title>${esc(r.displayName)} this run: ${pct(r.score)}</title></rect>`,
    );
    if (pub !== undefined) {
      parts.push(
        `<rect x="${x + barW}" y="${y(pub)}" width="${barW}" height="${y(0) - y(pub)}" fill="#bbb"><title>${esc(r.displayName)} DistilBERT (model card): ${pub.toFixed(1)}</title></rect>`,
      );
    }
    parts.push(
      `<text x="${x + barW}" y="${top + height + 14}" text-anchor="middle" font-size="11">${esc(r.displayName)}</text>`,
    );
  });
  const legendY = top + height + 32;
  parts.push(
    `<rect x="${left}" y="${legendY - 9}" width="10" height="10" fill="#3b7dd8"/><text x="${left + 14}" y="${legendY}" font-size="11">this run</text>`,
    `<rect x="${left + 80}" y="${legendY - 9}" width="10" height="10" fill="#bbb"/><text x="${left + 94}" y="${legendY}" font-size="11">DistilBERT (model card)</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${legendY + 8}" role="img" aria-label="task scores">${parts.join('')}</svg>`;
}

function confusionTable(r: TaskResult): string {
  const m = r.confusion!;
  const max = Math.max(1, ...m.flat());
  const head = r.taskLabels.map((l) => `<th>${esc(l)}</th>`).join('');
  const body = m
    .map(
      (row, g) =>
        `<tr><th>${esc(r.taskLabels[g])}</th>${row
          .map((c) => `<td style="background:rgba(59,125,216,${(c / max).toFixed(3)})">${c}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<h3>${esc(r.displayName)}</h3><table class="cm"><caption>rows: gold label, columns: predicted</caption><tr><th></th>${head}</tr>${body}</table>`;
}
