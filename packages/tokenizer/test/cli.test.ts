import { execFileSync, spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { GOLDEN_FILES, type GoldenRecord, loadGoldens, UNCASED_DIR } from './goldens.js';

const PKG = fileURLToPath(new URL('..', import.meta.url));

async function cli(args: string[], input: string) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    stdin: Readable.from([input]),
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

const VARIANT_ARGS = {
  full: [],
  max_length_16: ['--max-length', '16', '--truncation', 'longest_first'],
  max_length_32_padded: ['--max-length', '32', '--truncation', 'longest_first', '--padding', 'max_length'],
} as const;

function expectGolden(line: Record<string, unknown>, r: GoldenRecord, variant: keyof typeof VARIANT_ARGS) {
  const w = r[variant];
  const want = {
    input_ids: w.input_ids,
    tokens: w.tokens,
    token_type_ids: w.token_type_ids,
    attention_mask: w.attention_mask,
    special_tokens_mask: w.special_tokens_mask,
    offsets: w.offsets_utf16,
    word_ids: w.word_ids,
  };
  if (JSON.stringify(line) !== JSON.stringify(want)) expect(line, `${r.id} ${variant}`).toEqual(want);
}

describe('distilbert-tokenizer (in-process)', () => {
  for (const [variant, args] of Object.entries(VARIANT_ARGS))
    it(`every golden record (${GOLDEN_FILES.length} files), variant ${variant}`, async () => {
      const records = GOLDEN_FILES.flatMap((f) => loadGoldens(f));
      const input = records.map((r) => JSON.stringify({ text: r.text, text_pair: r.text_pair })).join('\n');
      const { code, out, err } = await cli(['encode', '--model', UNCASED_DIR, ...args], input);
      expect(err).toBe('');
      expect(code).toBe(0);
      const lines = out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2684);
      for (const [i, r] of records.entries()) expectGolden(lines[i], r, variant as keyof typeof VARIANT_ARGS);
    });

  it('decode reverses encode, with the golden decoded text', async () => {
    const records = loadGoldens('adversarial.jsonl');
    const input = records.map((r) => JSON.stringify({ input_ids: r.full.input_ids })).join('\n');
    const { code, out } = await cli(['decode', '--model', UNCASED_DIR, '--skip-special-tokens'], input);
    expect(code).toBe(0);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l).text),
    ).toEqual(records.map((r) => r.full.decoded));
  });

  it('a bad line gets an error line and a non-zero exit; the other lines still come out', async () => {
    const { code, out, err } = await cli(
      ['encode', '--model', UNCASED_DIR],
      '{"text":"role model"}\nnot json\n{"text": 5}\n{"text":"fashion"}\n',
    );
    expect(code).toBe(1);
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.input_ids ?? l.error.slice(0, 10))).toEqual([
      [101, 2535, 2944, 102],
      'Unexpected',
      'expected a',
      [101, 4827, 102],
    ]);
    expect(err).toMatch(/line 2: .*\n.*line 3: expected an object/);
  });

  it('overflowing windows with --stride', async () => {
    const { out } = await cli(
      ['encode', '--model', UNCASED_DIR, '--max-length', '8', '--stride', '2', '--truncation', 'only_second'],
      '{"text":"who?","text_pair":"a b c d e f g h"}\n',
    );
    const line = JSON.parse(out);
    expect(line.tokens).toEqual(['[CLS]', 'who', '?', '[SEP]', 'a', 'b', 'c', '[SEP]']);
    expect(line.overflowing.map((o: { tokens: string[] }) => o.tokens.slice(4, -1).join(''))).toEqual([
      'bcd',
      'cde',
      'def',
      'efg',
      'fgh',
    ]);
  });

  it('an unknown model exits 2 with a message', async () => {
    const { code, err } = await cli(['encode', '--model', `${UNCASED_DIR}missing-folder`], '');
    expect(code).toBe(2);
    expect(err).toMatch(/cannot load/);
  });
});

describe('distilbert-tokenizer (spawned bin)', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PKG, stdio: 'inherit' });
  });

  it('encodes the adversarial goldens (padded variant) and reports bad lines on stderr', () => {
    const records = loadGoldens('adversarial.jsonl');
    const input = `${records.map((r) => JSON.stringify({ text: r.text, text_pair: r.text_pair })).join('\n')}\n[1,2]\n`;
    const r = spawnSync(
      process.execPath,
      ['dist/cli.js', 'encode', '--model', UNCASED_DIR, ...VARIANT_ARGS.max_length_32_padded],
      { cwd: PKG, input, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/line 85: expected an object/);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(records.length + 1);
    for (const [i, rec] of records.entries()) expectGolden(lines[i], rec, 'max_length_32_padded');
  });

  it('has the shebang and decodes', () => {
    const r = spawnSync(process.execPath, ['dist/cli.js', 'decode', '--model', UNCASED_DIR], {
      cwd: PKG,
      input: '[101, 2535, 2944, 102]\n',
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ text: '[CLS] role model [SEP]' });
  });
});
