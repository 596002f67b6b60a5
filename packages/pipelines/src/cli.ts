#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { exportOnnxCommand } from './cli/exportOnnx.js';
import { formatResult } from './cli/format.js';
import { forwardCommand } from './cli/forward.js';
import { downloadProgress, inputProgress } from './cli/progress.js';
import { type PipelineOptions, pipeline, resolveTask, type TaskName } from './pipeline.js';
import { DEFAULT_MODELS, TASK_ALIASES, TASKS } from './tasks/defaults.js';

interface TaskFlags {
  model?: string;
  backend?: string;
  revision?: string;
  dtype?: 'fp32' | 'fp16' | 'bf16';
  batchSize?: number;
  topK?: number;
  json?: boolean;
  offline?: boolean;
  fallback?: boolean;
  targets?: string[];
  keepSpecialTokens?: boolean;
  pair?: string;
  function?: 'softmax' | 'sigmoid' | 'none';
  aggregation?: 'none' | 'simple' | 'first' | 'average' | 'max';
  question?: string;
  context?: string;
  docStride?: number;
  maxAnswerLen?: number;
  handleImpossible?: boolean;
  labels?: string;
  template?: string;
  multiLabel?: boolean;
  pooling?: 'none' | 'mean' | 'cls';
  normalize?: boolean;
  truncation?: boolean;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer.');
  return n;
};

/** Reads stdin as JSON Lines: each line a JSON string or object; a line that is not JSON is taken as text. */
function readStdinLines(): unknown[] {
  return readFileSync(0, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((line) => {
      try {
        const v = JSON.parse(line) as unknown;
        return typeof v === 'string' || (v && typeof v === 'object') ? v : line;
      } catch {
        return line;
      }
    });
}

/** The call arguments of one input for `task`. */
function callArgs(task: string, input: unknown, flags: TaskFlags): unknown[] {
  const obj = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = typeof input === 'string' ? input : (obj.text ?? obj.sequence ?? obj.inputs);
  switch (task) {
    case 'fill-mask':
      return [
        text,
        {
          top_k: flags.topK,
          targets: flags.targets,
          keepSpecialTokens: flags.keepSpecialTokens,
          truncation: flags.truncation,
        },
      ];
    case 'feature-extraction':
      return [text, { pooling: flags.pooling, normalize: flags.normalize, truncation: flags.truncation }];
    case 'text-classification': {
      const pair = obj.text_pair ?? flags.pair;
      return [
        pair === undefined ? text : { text, text_pair: pair },
        { top_k: flags.topK, function_to_apply: flags.function, truncation: flags.truncation },
      ];
    }
    case 'token-classification':
      return [text, { aggregation_strategy: flags.aggregation }];
    case 'question-answering':
      return [
        {
          question: obj.question ?? flags.question,
          context: obj.context ?? (typeof input === 'string' ? input : flags.context),
        },
        {
          top_k: flags.topK,
          doc_stride: flags.docStride,
          max_answer_len: flags.maxAnswerLen,
          handle_impossible_answer: flags.handleImpossible,
        },
      ];
    case 'zero-shot-classification':
      return [
        text,
        obj.candidate_labels ?? flags.labels ?? [],
        { hypothesis_template: flags.template, multi_label: flags.multiLabel },
      ];
    default:
      return [text];
  }
}

async function runTask(taskName: string, texts: string[], flags: TaskFlags): Promise<void> {
  const task = resolveTask(taskName);
  const progress = downloadProgress();
  const options: PipelineOptions = {
    backend: flags.backend,
    revision: flags.revision,
    dtype: flags.dtype,
    batchSize: flags.batchSize,
    offline: flags.offline,
    offlineFallback: flags.fallback !== false,
    onProgress: progress.onProgress,
  };
  let pipe: Awaited<ReturnType<typeof pipeline>>;
  try {
    pipe = await pipeline(task as TaskName, flags.model, options);
  } finally {
    progress.stop();
  }
  try {
    let inputs: unknown[];
    if (task === 'question-answering' && texts.length === 2 && !flags.question)
      inputs = [{ question: texts[0], context: texts[1] }];
    else if (task === 'question-answering' && flags.question && flags.context) inputs = [{}];
    else if (texts.length > 0) inputs = texts;
    else if (!process.stdin.isTTY) inputs = readStdinLines();
    else
      throw new Error(
        `no input: give the text as an argument or JSON Lines on stdin (see distilbert ${taskName} --help).`,
      );
    const bar = inputs.length > 32 && process.stderr.isTTY ? inputProgress(inputs.length) : null;
    const call = pipe as unknown as (...a: unknown[]) => Promise<unknown>;
    const print = (input: unknown, result: unknown) => {
      if (flags.json) process.stdout.write(`${JSON.stringify(result, jsonReplacer)}\n`);
      else {
        const header = inputs.length > 1 ? `> ${JSON.stringify(input)}\n` : '';
        process.stdout.write(`${header}${formatResult(task, result)}\n`);
      }
    };
    // Many inputs go to the pipeline in chunks, so they are batched (zero-shot may have labels per line).
    const chunkSize = task === 'zero-shot-classification' ? 1 : Math.max(32, (flags.batchSize ?? 8) * 4);
    for (let i = 0; i < inputs.length; i += chunkSize) {
      const chunk = inputs.slice(i, i + chunkSize);
      const args = chunk.map((input) => callArgs(task, input, flags));
      let results: unknown[];
      if (chunk.length === 1) results = [await call(...args[0])];
      else {
        results = (await call(
          args.map((a) => a[0]),
          args[0][1],
        )) as unknown[];
        // Print what a call with that one input returns (Python wraps a lone string's legacy result).
        if (task === 'text-classification' && flags.topK === undefined) {
          results = results.map((r, j) => (typeof args[j][0] === 'string' ? [r] : r));
        }
      }
      results.forEach((r, j) => {
        print(chunk[j], r);
      });
      bar?.increment(chunk.length);
    }
    bar?.stop();
  } finally {
    pipe.dispose();
  }
}

// FeatureTensor → its nested list, as Python prints it.
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && 'tolist' in value && typeof value.tolist === 'function')
    return value.tolist();
  return value;
}

export function buildProgram(): Command {
  const program = new Command('distilbert')
    .description(
      'DistilBERT pipelines from the command line (outputs as Python transformers prints them).\n' +
        `Example: distilbert fill-mask "Hello I'm a [MASK] model."`,
    )
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  distilbert fill-mask "Hello I'm a [MASK] model."
  distilbert sentiment-analysis --json "I love this movie"
  distilbert question-answering -q "Where is the tower?" -c "The tower is in Paris."
  distilbert zero-shot-classification -l sports,politics "The match ended 2-1"
  printf '%s\\n' '"first [MASK]."' '"second [MASK]."' | distilbert fill-mask --json
  distilbert forward --model ./my-model --inputs in.safetensors --out out.safetensors
  distilbert export-onnx --model distilbert-base-uncased --out ./onnx-model --quantize int8

Models are Hub ids (downloaded to the Hugging Face cache, HF_HUB_CACHE / HF_HOME) or local folders.
Default models: ${Object.entries(DEFAULT_MODELS)
        .map(([t, m]) => `${t}: ${m}`)
        .join('; ')}.
Run 'distilbert <command> --help' for a command's options.`,
    );

  for (const name of [...TASKS, ...Object.keys(TASK_ALIASES)]) {
    const task = resolveTask(name);
    const cmd = program
      .command(name)
      .summary(name in TASK_ALIASES ? `alias of ${task}` : `run the ${task} pipeline`)
      .description(
        `Runs the ${task} pipeline on each text (arguments, or JSON Lines on stdin: one string or object per line).`,
      )
      .argument('[text...]', 'input text(s)')
      .option('-m, --model <id|dir>', 'Hub model id or local folder', DEFAULT_MODELS[task])
      .option('-b, --backend <name>', "backend: cpu, gpu, onnx, reference or a package name (default 'cpu')")
      .option('--revision <rev>', 'branch, tag or commit of a Hub model')
      .addOption(new Option('--dtype <dtype>', 'weight precision to load').choices(['fp32', 'fp16', 'bf16']))
      .option('--batch-size <n>', 'rows per forward pass', positiveInt)
      .option('-k, --top-k <n>', 'how many results per input', positiveInt)
      .option('--json', 'print Python-shaped JSON, one line per input')
      .option('--offline', 'use the Hub cache only (as HF_HUB_OFFLINE=1)')
      .option('--truncation', 'cut inputs longer than the model allows instead of failing');
    if (task === 'fill-mask') {
      cmd
        .option('--targets <words...>', 'only score these words')
        .option('--keep-special-tokens', "keep [CLS]/[SEP] in `sequence` (the model card's printout)")
        .option('--no-fallback', 'fail instead of using the shipped random-weight model when offline');
    }
    if (task === 'text-classification') {
      cmd
        .option('--pair <text>', 'second text of a text pair')
        .addOption(
          new Option('--function <fn>', 'function_to_apply').choices(['softmax', 'sigmoid', 'none']),
        );
    }
    if (task === 'token-classification') {
      cmd.addOption(
        new Option('--aggregation <strategy>', 'aggregation_strategy').choices([
          'none',
          'simple',
          'first',
          'average',
          'max',
        ]),
      );
    }
    if (task === 'question-answering') {
      cmd
        .option('-q, --question <text>', 'the question (else the first text argument)')
        .option('-c, --context <text>', 'the context (else the second text argument)')
        .option('--doc-stride <n>', 'tokens shared by consecutive windows', positiveInt)
        .option('--max-answer-len <n>', 'longest answer in tokens', positiveInt)
        .option('--handle-impossible', 'allow "no answer"');
    }
    if (task === 'zero-shot-classification') {
      cmd
        .option('-l, --labels <a,b,c>', 'candidate labels, comma-separated')
        .option('--template <text>', 'hypothesis template with {} for the label', 'This example is {}.')
        .option('--multi-label', 'score each label on its own');
    }
    if (task === 'feature-extraction') {
      cmd
        .addOption(new Option('--pooling <how>', 'pool token vectors').choices(['none', 'mean', 'cls']))
        .option('--normalize', 'L2-normalise the vectors');
    }
    cmd.action(async (texts: string[], flags: TaskFlags) => {
      // The default model is filled by commander: pass undefined so pipeline() knows it may fall back.
      const model =
        flags.model === DEFAULT_MODELS[task] && cmd.getOptionValueSource('model') === 'default'
          ? undefined
          : flags.model;
      await runTask(name, texts, { ...flags, model });
    });
  }

  program
    .command('forward')
    .summary('write the model outputs for given input ids (parity with Python)')
    .description(
      'Runs the model on input_ids/attention_mask (I32 or I64) from a safetensors file and writes last_hidden_state\n' +
        'and the head outputs (logits, start_logits, end_logits) as F32: a parity tool to compare with Python.',
    )
    .requiredOption('-m, --model <id|dir>', 'Hub model id or local folder')
    .requiredOption(
      '-i, --inputs <file>',
      'safetensors file with input_ids [batch, seq] and optional attention_mask',
    )
    .requiredOption('-o, --out <file>', 'safetensors file to write')
    .option('-b, --backend <name>', "backend (default 'cpu')")
    .option('--revision <rev>', 'branch, tag or commit of a Hub model')
    .option('--weights <file>', 'weight file in the model folder (e.g. model.fp16.safetensors)')
    .option('--hidden-states', 'also write hidden_states.0..n_layers')
    .action(
      async (flags: {
        model: string;
        inputs: string;
        out: string;
        backend?: string;
        revision?: string;
        weights?: string;
        hiddenStates?: boolean;
      }) => {
        const written = await forwardCommand(flags);
        process.stderr.write(`wrote ${written.join(', ')} to ${flags.out}\n`);
      },
    );

  program
    .command('export-onnx')
    .summary('write the model as ONNX (needs @distilbert/backend-onnx)')
    .description(
      'Exports the model to ONNX in the transformers.js layout: onnx/model.onnx (and onnx/model_quantized.onnx\n' +
        'with --quantize int8) next to config.json and the tokenizer files. Needs @distilbert/backend-onnx.',
    )
    .requiredOption('-m, --model <id|dir>', 'Hub model id or local folder')
    .requiredOption('-o, --out <dir>', 'folder to write')
    .addOption(new Option('--quantize <type>', 'also write a dynamically quantised model').choices(['int8']))
    .option('--revision <rev>', 'branch, tag or commit of a Hub model')
    .option('--json', 'print the export result as JSON')
    .action(
      async (flags: { model: string; out: string; quantize?: 'int8'; revision?: string; json?: boolean }) => {
        const result = await exportOnnxCommand(flags);
        if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else process.stdout.write(`${result.files.join('\n')}\n`);
      },
    );
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    process.stderr.write(`distilbert: error: ${message}\n`);
    process.exitCode = 1;
  }
}

await main();
