// The `distilbert` CLI spawned for real from its build (dist/cli.js), as a user runs it.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSafetensors, serializeSafetensors } from '@distilbert/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expected, modelDir } from './helpers/fixtures.js';
import { hfCacheDir, isCached } from './helpers/hfCache.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const EMPTY_CACHE = mkdtempSync(join(tmpdir(), 'distilbert-cli-cache-'));

function run(
  args: string[],
  options: { input?: string; env?: Record<string, string>; nodeArgs?: string[] } = {},
) {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, HF_HUB_OFFLINE: '1', HF_HUB_CACHE: EMPTY_CACHE, ...options.env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execSync('npx turbo run build --filter=@distilbert/pipelines... --output-logs=errors-only', {
    cwd: ROOT,
    stdio: 'pipe',
  });
}, 300_000);

describe('distilbert CLI', () => {
  it('--help lists every task, forward and examples', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of [
      'fill-mask',
      'feature-extraction',
      'text-classification',
      'token-classification',
      'question-answering',
      'zero-shot-classification',
      'forward',
      'export-onnx',
    ]) {
      expect(r.stdout).toContain(cmd);
    }
    expect(r.stdout).toContain(`distilbert fill-mask "Hello I'm a [MASK] model."`);
    const sub = run(['fill-mask', '--help']);
    expect(sub.stdout).toMatch(/--top-k <n>[\s\S]*--targets[\s\S]*--keep-special-tokens/);
  });

  it('the main job offline: falls back loudly to the shipped model and prints five proposals', () => {
    const r = run(['fill-mask', "Hello I'm a [MASK] model."]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /WARNING: could not get 'distilbert-base-uncased'[\s\S]*RANDOM-WEIGHT[\s\S]*MEANINGLESS/,
    );
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^0\.\d{4} {2}\S+ +hello i/);
    const json = run(['fill-mask', '--json', '--top-k', '3', "Hello I'm a [MASK] model."]);
    const out = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(out).toEqual(
      Array(3).fill({
        score: expect.any(Number),
        token: expect.any(Number),
        token_str: expect.any(String),
        sequence: expect.any(String),
      }),
    );
    // Without the fallback the same situation is an error with a one-line reason.
    const strict = run(['fill-mask', '--no-fallback', "Hello I'm a [MASK] model."]);
    expect(strict.code).toBe(1);
    expect(strict.stderr.trim().split('\n')).toHaveLength(1);
    expect(strict.stderr).toMatch(/^distilbert: error: .*not in the cache/);
  });

  it('reads JSON Lines on stdin and answers in order; scores match the reference', async () => {
    const exp = await expected('mlm');
    const texts = ['mask_single', 'batch2_uneven'].map((id) => exp.case(id).texts![0][0]);
    const r = run(['fill-mask', '--model', modelDir('mlm'), '--json', '--top-k', '1'], {
      input: `${texts.map((t) => JSON.stringify(t)).join('\n')}\n`,
    });
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { score: number }[]);
    expect(rows).toHaveLength(2);
    ['mask_single', 'batch2_uneven'].forEach((id, i) => {
      const s = exp.case(id).tokens[0].indexOf('[MASK]');
      const at = s; // row 0 of each case
      const want = Math.exp(
        exp.tensor(id, 'logits_topk_values')[at * 5] - exp.tensor(id, 'logits_logsumexp')[at],
      );
      expect(rows[i][0].score).toBeCloseTo(want, 5);
    });
  });

  it('other tasks: pairs, question answering, zero-shot, NER', async () => {
    const cls = run([
      'text-classification',
      '--model',
      modelDir('mnli'),
      '--json',
      '--pair',
      'A person is performing music.',
      'A man is playing a guitar on stage.',
    ]);
    expect(cls.code).toBe(0);
    expect(JSON.parse(cls.stdout)).toEqual({ label: expect.any(String), score: expect.any(Number) });
    const qa = run([
      'question-answering',
      '--model',
      modelDir('squad'),
      '--json',
      '-q',
      'Where is the Eiffel Tower?',
      '-c',
      'The Eiffel Tower is located in Paris, France.',
    ]);
    expect(qa.code).toBe(0);
    const ans = JSON.parse(qa.stdout);
    expect(Object.keys(ans)).toEqual(['score', 'start', 'end', 'answer']);
    expect('The Eiffel Tower is located in Paris, France.'.slice(ans.start, ans.end)).toBe(ans.answer);
    const zs = run([
      'zero-shot-classification',
      '--model',
      modelDir('mnli'),
      '-l',
      'sports,politics',
      'The match ended 2-1.',
    ]);
    expect(zs.code).toBe(0);
    expect(zs.stdout.trim().split('\n')).toHaveLength(2);
    const ner = run([
      'ner',
      '--model',
      modelDir('ner'),
      '--aggregation',
      'simple',
      '--json',
      'Angela Merkel met Emmanuel Macron in Paris.',
    ]);
    expect(ner.code).toBe(0);
    expect(Array.isArray(JSON.parse(ner.stdout))).toBe(true);
  });

  it('errors: one line and a non-zero exit', () => {
    for (const args of [
      ['fill-mask', '--model', modelDir('mlm'), 'no mask here'],
      ['fill-mask', '--model', modelDir('mlm'), '--backend', 'nope-backend', 'a [MASK]'],
      ['text-classification', '--model', '/nonexistent/folder', 'hi'],
    ]) {
      const r = run(args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^distilbert: error: \S/);
    }
    expect(run(['fill-mask', '--model', modelDir('mlm'), '--top-k', 'zero', 'a [MASK]']).code).not.toBe(0);
  });

  it('forward: I64 inputs in, last_hidden_state and logits out, equal to the reference outputs', async () => {
    const exp = await expected('mlm');
    const c = exp.case('batch3_padded');
    const dir = mkdtempSync(join(tmpdir(), 'distilbert-forward-'));
    const [b, s] = [c.batch, c.seq_len];
    writeFileSync(
      join(dir, 'in.safetensors'),
      serializeSafetensors({
        input_ids: { shape: [b, s], data: BigInt64Array.from(c.input_ids.flat(), BigInt) },
        attention_mask: { shape: [b, s], data: BigInt64Array.from(c.attention_mask.flat(), BigInt) },
      }),
    );
    const r = run([
      'forward',
      '--model',
      modelDir('mlm'),
      '--backend',
      'cpu',
      '--inputs',
      join(dir, 'in.safetensors'),
      '--out',
      join(dir, 'out.safetensors'),
    ]);
    expect(r.stderr).toContain('wrote last_hidden_state, logits');
    expect(r.code).toBe(0);
    const out = await openSafetensors(join(dir, 'out.safetensors'));
    expect(out.info('last_hidden_state')).toEqual({ dtype: 'F32', shape: [b, s, 32] });
    const hidden = out.float32('last_hidden_state');
    const ref = exp.tensor('batch3_padded', 'last_hidden_state');
    let diff = 0;
    for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(hidden[i] - ref[i]));
    expect(diff).toBeLessThan(1e-5); // padded positions included
    const logits = out.float32('logits');
    const topv = exp.tensor('batch3_padded', 'logits_topk_values');
    const topi = exp.tensor('batch3_padded', 'logits_topk_indices');
    for (let row = 0; row < b * s; row++) {
      for (let k = 0; k < 5; k++)
        expect(Math.abs(logits[row * 30522 + topi[row * 5 + k]] - topv[row * 5 + k])).toBeLessThan(1e-5);
    }
  });
});

/** `text-classification --top-k 2 --json` on the sst2 fixture's 'pos' text; checks scores against the reference probs. */
async function classifySst2(backend: string) {
  const exp = await expected('sst2');
  const c = exp.case('pos');
  const r = run([
    'text-classification',
    '--backend',
    backend,
    '--model',
    modelDir('sst2'),
    '--top-k',
    '2',
    '--json',
    c.texts![0][0],
  ]);
  const check = () => {
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { label: string; score: number }[];
    const probs = exp.tensor('pos', 'probs');
    const label2id = (exp.config as { label2id: Record<string, number> }).label2id;
    expect(out.map((o) => o.label).sort()).toEqual(['NEGATIVE', 'POSITIVE']);
    for (const o of out) expect(o.score).toBeCloseTo(probs[label2id[o.label]], 5);
  };
  return { r, check };
}

describe('distilbert CLI on the optional backends', () => {
  it('--backend onnx (onnxruntime-node) gives the reference probabilities', async () => {
    (await classifySst2('onnx')).check();
  });

  it('--backend gpu (WebGPU) gives the reference probabilities', async (ctx) => {
    const { r, check } = await classifySst2('gpu');
    // Locally a machine without a WebGPU adapter skips; in CI (lavapipe installed) that is a failure.
    if (r.code !== 0 && /No WebGPU adapter/.test(r.stderr) && !process.env.CI)
      return ctx.skip(`no WebGPU adapter: ${r.stderr.trim()}`);
    check();
  });

  it('export-onnx writes onnx/model.onnx (+ int8), config and tokenizer files; --json prints the result', () => {
    const out = mkdtempSync(join(tmpdir(), 'distilbert-export-'));
    const r = run(['export-onnx', '--model', modelDir('sst2'), '--out', out, '--quantize', 'int8', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as {
      files: string[];
      model: string;
      quantized?: string;
      architecture: string;
      inputs: string[];
      outputs: string[];
    };
    expect(result).toMatchObject({
      model: join(out, 'onnx/model.onnx'),
      quantized: join(out, 'onnx/model_quantized.onnx'),
      architecture: 'DistilBertForSequenceClassification',
      inputs: ['input_ids', 'attention_mask'],
      outputs: ['logits'],
    });
    for (const f of [
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'config.json',
      'vocab.txt',
      'tokenizer_config.json',
      'special_tokens_map.json',
    ]) {
      expect(result.files).toContain(join(out, f));
      expect(statSync(join(out, f)).size).toBeGreaterThan(0);
    }
    expect(readFileSync(join(out, 'config.json'), 'utf8')).toBe(
      readFileSync(join(modelDir('sst2'), 'config.json'), 'utf8'),
    );
    // Without --json: the written files, one per line.
    const plain = mkdtempSync(join(tmpdir(), 'distilbert-export-'));
    const p = run(['export-onnx', '-m', modelDir('sst2'), '-o', plain]);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines).toContain(join(plain, 'onnx/model.onnx'));
    expect(lines.every((l) => existsSync(l))).toBe(true);
    expect(existsSync(join(plain, 'onnx/model_quantized.onnx'))).toBe(false);
  });

  it('export-onnx errors in one line', () => {
    const r = run(['export-onnx', '--model', '/nonexistent/folder', '--out', join(EMPTY_CACHE, 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^distilbert: error: \S/);
    expect(
      run(['export-onnx', '--model', modelDir('sst2'), '--out', EMPTY_CACHE, '--quantize', 'int4']).code,
    ).toBe(1);
  });

  it('export-onnx without @distilbert/backend-onnx installed: one line naming the package to install', () => {
    // A resolve hook sends the package to a name that does not exist, so Node fails as if it were absent.
    const hook = join(mkdtempSync(join(tmpdir(), 'distilbert-hook-')), 'hide-onnx.mjs');
    const resolve =
      'export async function resolve(s, c, next) { return next(s === "@distilbert/backend-onnx" ? "@distilbert/backend-onnx-not-installed" : s, c); }';
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolve)}`)});\n`,
    );
    const r = run(['export-onnx', '--model', modelDir('sst2'), '--out', join(EMPTY_CACHE, 'y')], {
      nodeArgs: ['--import', hook],
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'distilbert: error: export-onnx needs the package @distilbert/backend-onnx. Install it: npm install @distilbert/backend-onnx\n',
    );
  });
});

const cached = isCached('distilbert-base-uncased');
describe('distilbert CLI with the real model', () => {
  it.skipIf(!cached)(
    `prints the model card's role 0.0529, fashion 0.0397, business 0.0347, model 0.0346, modeling 0.0181${cached ? '' : ` — SKIPPED: distilbert-base-uncased is not in the Hugging Face cache (${hfCacheDir()}); run the command once with network access to download it`}`,
    () => {
      const r = run(['fill-mask', "Hello I'm a [MASK] model."], { env: { HF_HUB_CACHE: hfCacheDir() } });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('RANDOM-WEIGHT');
      const rows = r.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim().split(/\s+/).slice(0, 2));
      expect(rows).toEqual([
        ['0.0529', 'role'],
        ['0.0397', 'fashion'],
        ['0.0347', 'business'],
        ['0.0346', 'model'],
        ['0.0181', 'modeling'],
      ]);
    },
  );
});
