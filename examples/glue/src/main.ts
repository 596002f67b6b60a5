// Evaluates a suite of DistilBERT checkpoints on GLUE with @distilbert/glue-eval, writes the reports and
// prints the leaderboard table.
//
//   node dist/main.js [--suite suites/distilbert-glue.json] [--data GLUE_DIR] [--limit N] [--out DIR] [--backend cpu]
//
// Without --data the dev sets come from the Hub dataset nyu-mll/glue (cached like the models).
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import cpu from '@distilbert/backend-cpu';
import { registerBackendPlugin } from '@distilbert/core';
import { type GlueRun, readSuite, runGlue, type SuiteEntry, writeReports } from '@distilbert/glue-eval';

// Lets core find the 'cpu' backend wherever this file runs from (pnpm's strict layout).
registerBackendPlugin(cpu);

export const DEFAULT_SUITE = fileURLToPath(new URL('../suites/distilbert-glue.json', import.meta.url));

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  log: (line: string) => void = console.log,
): Promise<GlueRun> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      suite: { type: 'string', default: DEFAULT_SUITE },
      data: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string', default: 'glue-results' },
      backend: { type: 'string', default: 'cpu' },
    },
  });
  const suite = resolve(values.suite!);
  const entries = (await readSuite(suite)).map((e) => relativeToSuite(e, suite));
  const limit = values.limit === undefined ? undefined : Number(values.limit);

  const run = await runGlue(entries, {
    backend: values.backend,
    data: values.data,
    limit,
    submission: false,
    // Reports are rewritten after every task: a long run that stops keeps what it finished.
    onTaskDone: async (partial) => void (await writeReports(partial, values.out!)),
  });
  const written = await writeReports(run, values.out!);

  log('| task | model | metrics | examples | ex/s |');
  log('| --- | --- | --- | ---: | ---: |');
  for (const r of run.results) {
    const metrics = Object.entries(r.metrics)
      .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}`)
      .join(', ');
    log(`| ${r.displayName} | ${r.model} | ${metrics} | ${r.examples} | ${r.examplesPerSecond.toFixed(1)} |`);
  }
  for (const f of run.failures) log(`| ${f.displayName} | ${f.model} | FAILED: ${f.error} | | |`);
  const note = run.average.complete ? '' : ' (not all nine tasks: not comparable with the leaderboard)';
  log(`GLUE score ${(100 * run.average.score).toFixed(1)}${note}`);
  log(`Reports: ${written.json}, ${written.markdown}, ${written.html}`);
  return run;
}

/** Suite entries naming a local folder are read relative to the suite file, not the working directory. */
function relativeToSuite(entry: SuiteEntry, suiteFile: string): SuiteEntry {
  const local = entry.model.startsWith('.') || isAbsolute(entry.model);
  return local ? { ...entry, model: resolve(dirname(suiteFile), entry.model) } : entry;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (run) => {
      if (run.failures.length > 0) process.exitCode = 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
