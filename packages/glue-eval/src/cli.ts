#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseLabelMap } from './labels.js';
import { progressBar } from './progress.js';
import { writeReports } from './reports/write.js';
import { GLUE_EVAL_VERSION, runGlue } from './runner.js';
import { parseSuite, readSuite, type SuiteEntry } from './suite.js';
import { getTask, type TaskName } from './tasks.js';

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer.');
  return n;
};

export function makeProgram(): Command {
  const program = new Command('glue-eval')
    .description('Evaluate DistilBERT checkpoints on GLUE with the official metrics')
    .version(GLUE_EVAL_VERSION);
  program
    .command('run')
    .description('run a suite file, or one --model on --task(s), and write report.{json,md,html}')
    .option('--suite <file>', 'JSON file: { "sst2": "<model id or dir>", "mrpc": ... }')
    .option('--model <id|dir>', 'checkpoint for --task/--tasks')
    .option('--task <name>', 'one task: cola, sst2, mrpc, stsb, qqp, mnli, mnli-mm, qnli, rte, wnli, ax')
    .option('--tasks <names>', 'comma-separated tasks (with --model, or to filter --suite)')
    .option('--revision <rev>', 'model revision (branch, tag or commit)')
    .option('--data <dir>', 'GLUE folder with the official TSVs (default: the Hub dataset nyu-mll/glue)')
    .option('--dataset <id|dir>', 'Hub dataset in the nyu-mll/glue parquet layout', 'nyu-mll/glue')
    .option('--backend <name>', 'backend: cpu, gpu, onnx, or a registered name')
    .option('--out <dir>', 'where the reports go', 'glue-results')
    .option('--limit <n>', 'only the first N examples of each dev file', positiveInt)
    .option('--batch-size <n>', 'examples per forward pass', positiveInt, 32)
    .option('--max-length <n>', 'truncate inputs to N tokens', positiveInt)
    .option('--label-map <map>', 'model label → task label, e.g. LABEL_0=negative,LABEL_1=positive')
    .option('--no-submission', 'do not predict the test files found in --data')
    .addOption(new Option('--no-progress', 'no progress bar'))
    .action(async (opts) => {
      let entries: SuiteEntry[];
      const tasks: string[] | undefined = (opts.tasks ?? opts.task)?.split(',').map((t: string) => t.trim());
      if (opts.suite) {
        entries = await readSuite(opts.suite);
        if (tasks) {
          const wanted = new Set(tasks.map((t) => getTask(t).name));
          entries = entries.filter((e) => wanted.has(e.task as TaskName));
        }
      } else if (opts.model && tasks) {
        const labelMap = opts.labelMap ? parseLabelMap(opts.labelMap) : undefined;
        entries = parseSuite(
          Object.fromEntries(tasks.map((t) => [t, { model: opts.model, revision: opts.revision, labelMap }])),
          '--model/--task',
        );
      } else {
        return program.error(
          'glue-eval run needs --suite FILE, or --model ID|DIR with --task NAME (or --tasks a,b).',
        );
      }
      const run = await runGlue(entries, {
        backend: opts.backend,
        data: opts.data,
        dataset: opts.dataset,
        limit: opts.limit,
        batchSize: opts.batchSize,
        maxLength: opts.maxLength,
        submission: opts.submission,
        ...(opts.progress && process.stderr.isTTY ? { progress: progressBar() } : {}),
        // reports after every task: an interrupted run keeps what it finished
        onTaskDone: async (r) => {
          await writeReports(r, opts.out);
        },
      });
      const written = await writeReports(run, opts.out);
      for (const r of run.results) {
        const metrics = Object.entries(r.metrics)
          .map(([k, v]) => `${k} ${v?.toFixed(4)}`)
          .join(', ');
        console.log(
          `${r.displayName}: ${metrics} (${r.examples} examples, ${r.examplesPerSecond.toFixed(1)} ex/s)`,
        );
      }
      for (const f of run.failures) console.error(`${f.displayName} FAILED: ${f.error}`);
      console.log(`Reports: ${written.json}, ${written.markdown}, ${written.html}`);
      if (run.failures.length > 0) process.exitCode = 1;
    });
  return program;
}

// Runs only as the bin, not when imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  makeProgram()
    .parseAsync()
    .catch((error: Error) => {
      console.error(`glue-eval: ${error.message}`);
      process.exitCode = 1;
    });
}
