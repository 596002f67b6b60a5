import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GlueRun } from '../runner.js';
import { htmlReport } from './html.js';
import { jsonReport } from './json.js';
import { markdownReport } from './markdown.js';

export interface WrittenReports {
  json: string;
  markdown: string;
  html: string;
  submissions: string[];
}

/** Writes report.json, report.md, report.html and submission/<GLUE file>.tsv under `outDir`. */
export async function writeReports(run: GlueRun, outDir: string): Promise<WrittenReports> {
  await mkdir(outDir, { recursive: true });
  const written: WrittenReports = {
    json: join(outDir, 'report.json'),
    markdown: join(outDir, 'report.md'),
    html: join(outDir, 'report.html'),
    submissions: [],
  };
  await writeFile(written.json, jsonReport(run));
  await writeFile(written.markdown, markdownReport(run));
  await writeFile(written.html, htmlReport(run));
  if (run.submissions.length > 0) await mkdir(join(outDir, 'submission'), { recursive: true });
  for (const s of run.submissions) {
    const file = join(outDir, 'submission', s.file);
    await writeFile(file, `index\tprediction\n${s.rows.map((r) => r.join('\t')).join('\n')}\n`);
    written.submissions.push(file);
  }
  return written;
}
