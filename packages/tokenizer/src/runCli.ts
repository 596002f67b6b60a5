import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BertTokenizer, type EncodeOptions } from './BertTokenizer.js';

export interface CliIo {
  stdin: Readable;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/**
 * The `distilbert-tokenizer` command line, callable in-process. Reads JSON Lines on stdin, writes one JSON
 * line per input line; a bad line gets `{"error": ...}` on stdout and a message on stderr, and the others
 * still go through. Resolves to the exit code: 0, 1 when some lines failed, 2 when nothing could run.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Imported here: importing the package (to tokenize) should not load the command-line parser.
  const { Command, CommanderError, InvalidArgumentError, Option } = await import('commander');
  const int = (name: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${name} must be a non-negative integer.`);
    return n;
  };
  let code = 0;
  const program = new Command('distilbert-tokenizer')
    .description('BERT WordPiece tokenizer identical to Hugging Face tokenizers')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const load = async (model: string, revision: string | undefined) => {
    try {
      return await BertTokenizer.fromPretrained(model, revision ? { revision } : {});
    } catch (e) {
      io.stderr.write(`distilbert-tokenizer: cannot load '${model}': ${(e as Error).message}\n`);
      code = 2;
      return null;
    }
  };

  const eachLine = async (handle: (value: unknown) => unknown) => {
    const rl = createInterface({ input: io.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    let n = 0;
    for await (const line of rl) {
      n++;
      if (line.trim() === '') continue;
      try {
        io.stdout.write(`${JSON.stringify(handle(JSON.parse(line)))}\n`);
      } catch (e) {
        const msg = (e as Error).message;
        io.stdout.write(`${JSON.stringify({ error: msg, line: n })}\n`);
        io.stderr.write(`distilbert-tokenizer: line ${n}: ${msg}\n`);
        code = 1;
      }
    }
  };

  program
    .command('encode')
    .description(
      'read {"text": ..., "text_pair"?: ...} lines, write input_ids, tokens, masks and offsets (UTF-16)',
    )
    .requiredOption('--model <dir|hub id>', 'model folder or Hugging Face Hub id')
    .option('--revision <rev>', 'Hub branch, tag or commit')
    .option('--max-length <n>', 'truncate to n tokens, special tokens included', int('--max-length'))
    .addOption(
      new Option('--truncation <strategy>', 'truncation strategy').choices([
        'longest_first',
        'only_first',
        'only_second',
        'do_not_truncate',
      ]),
    )
    .option(
      '--stride <n>',
      'overlap of overflowing windows (they are written under "overflowing")',
      int('--stride'),
    )
    .addOption(new Option('--padding <strategy>', 'pad each line').choices(['longest', 'max_length']))
    .option('--pad-to-multiple-of <n>', 'round padded length up', int('--pad-to-multiple-of'))
    .option('--no-add-special-tokens', 'no [CLS]/[SEP]')
    .action(async (o) => {
      const tok = await load(o.model, o.revision);
      if (!tok) return;
      const options: EncodeOptions = {
        addSpecialTokens: o.addSpecialTokens,
        truncation: o.truncation,
        maxLength: o.maxLength,
        stride: o.stride,
        returnOverflowingTokens: o.stride !== undefined,
        padding: o.padding,
        padToMultipleOf: o.padToMultipleOf,
      };
      await eachLine((v) => {
        const { text, text_pair } = (v ?? {}) as { text?: unknown; text_pair?: unknown };
        if (typeof text !== 'string') throw new Error('expected an object with a string "text"');
        if (text_pair !== undefined && text_pair !== null && typeof text_pair !== 'string')
          throw new Error('"text_pair" must be a string or null');
        const e = tok.encode(text, text_pair as string | null | undefined, options);
        const { sequence_ids: _s, ...fields } = e.toJSON();
        return fields;
      });
    });

  program
    .command('decode')
    .description('read {"input_ids": [...]} lines (or bare arrays), write {"text": ...}')
    .requiredOption('--model <dir|hub id>', 'model folder or Hugging Face Hub id')
    .option('--revision <rev>', 'Hub branch, tag or commit')
    .option('--skip-special-tokens', 'drop [CLS], [SEP], [PAD], ...')
    .option('--clean-up-tokenization-spaces', "transformers' cleanup: `i ' m .` becomes `i'm.`")
    .action(async (o) => {
      const tok = await load(o.model, o.revision);
      if (!tok) return;
      await eachLine((v) => {
        const ids = Array.isArray(v) ? v : (v as { input_ids?: unknown } | null)?.input_ids;
        if (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x)))
          throw new Error('expected {"input_ids": [integers]} or an array of integers');
        return {
          text: tok.decode(ids as number[], {
            skipSpecialTokens: !!o.skipSpecialTokens,
            cleanUpTokenizationSpaces: o.cleanUpTokenizationSpaces,
          }),
        };
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  return code;
}
