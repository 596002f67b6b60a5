import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DistilBertPreTrainedModel } from '../model/DistilBertPreTrainedModel.js';
import type { ModelOutput } from '../model/ModelOutput.js';
import type { Tensor } from '../tensor/Tensor.js';
import type { CheckpointFile } from '../weights/Checkpoint.js';
import { caseInputs, type Fixture, type FixtureCase, maxAbsDiff } from './fixtures.js';
import { requireVitest } from './vitest.js';

/** README tolerance for float32 implementations on the tiny fixtures. */
export const DEFAULT_MODEL_ATOL = 1e-5;

/** The weight-file variants a fixture folder has, and the expected-output prefix each is checked against. */
export function weightVariants(fixture: Fixture): { file: string; prefix: string }[] {
  const all = [
    { file: 'model.safetensors', prefix: '' },
    { file: 'model.fp16.safetensors', prefix: 'fp16_weights.' },
    { file: 'model.bf16.safetensors', prefix: 'bf16_weights.' },
    // pytorch_model.bin holds the same float32 values as model.safetensors.
    { file: 'pytorch_model.bin', prefix: '' },
  ];
  return all.filter((v) => existsSync(join(fixture.dir, v.file)));
}

/**
 * The cases a weight file is checked on: those with outputs for its prefix. pytorch_model.bin (the same
 * values as model.safetensors) gets the cases the half-precision files have, to keep the suite fast.
 */
export function casesFor(fixture: Fixture, file: string, prefix: string): FixtureCase[] {
  const has = (c: FixtureCase, p: string) => `${p}last_hidden_state` in c.tensors;
  if (file === 'pytorch_model.bin') {
    const few = fixture.cases.filter((c) => has(c, 'fp16_weights.') || has(c, 'bf16_weights.'));
    if (few.length > 0) return few;
  }
  return fixture.cases.filter((c) => has(c, prefix));
}

// MLM rows to project. The full [B, S, vocab] is only stored for some cases; elsewhere the top-k and
// logsumexp are checked on a sample (each row's first and last 6 tokens) plus every [MASK] row.
function mlmPositions(c: FixtureCase, maskRows: Int32Array): number[] {
  const s = c.seq_len;
  const picked = new Set<number>();
  for (let i = 0; i < maskRows.length; i += 2) picked.add(maskRows[i] * s + maskRows[i + 1]);
  for (let b = 0; b < c.batch; b++) {
    for (let j = 0; j < s; j++) if (j < 6 || j >= s - 6) picked.add(b * s + j);
  }
  return [...picked].sort((x, y) => x - y);
}

async function data(t: Tensor | undefined, what: string): Promise<Float32Array> {
  const { expect } = requireVitest();
  expect(t, `${what} is missing from the output`).toBeDefined();
  return (await t!.data()) as Float32Array;
}

function close(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, what: string): void {
  const { expect } = requireVitest();
  expect(got.length, `${what}: size`).toBe(want.length);
  const d = maxAbsDiff(got, want);
  expect(d, `${what}: max |diff| vs the PyTorch reference (atol ${atol})`).toBeLessThanOrEqual(atol);
}

/**
 * Runs one fixture case through `model` and checks every output the fixture stores for it: hidden
 * states, head logits (probs via softmax), QA logits, and for MLM the logits at the stored top-k
 * indices, the logsumexp and the full [MASK] rows. `prefix` selects the fp16/bf16 expected outputs.
 */
export async function checkFixtureCase(
  model: DistilBertPreTrainedModel,
  fixture: Fixture,
  c: FixtureCase,
  expected: CheckpointFile,
  atol: number,
  prefix = '',
): Promise<void> {
  const want = (key: string) => expected.float32(c.tensors[key].name);
  const has = (key: string) => key in c.tensors;
  const isMlm = fixture.head === 'mlm';
  const maskRows = has('logits_rows_index')
    ? expected.int32(c.tensors.logits_rows_index.name)
    : new Int32Array(0);
  const fullLogits = isMlm && prefix === '' && has('logits');
  // The half-precision variants store only last_hidden_state and the [MASK] rows.
  let positions =
    isMlm && !fullLogits ? mlmPositions(c, maskRows).filter((p) => prefix === '' || isMaskRow(p)) : undefined;
  if (positions?.length === 0) positions = [0];
  function isMaskRow(p: number): boolean {
    for (let i = 0; i < maskRows.length; i += 2)
      if (maskRows[i] * c.seq_len + maskRows[i + 1] === p) return true;
    return false;
  }
  const wantHidden = prefix === '' && has('hidden_states.0');
  let out: ModelOutput | undefined;
  try {
    out = await model.forward(caseInputs(c), { output_hidden_states: wantHidden, positions });
    close(
      await data(out.last_hidden_state, 'last_hidden_state'),
      want(`${prefix}last_hidden_state`),
      atol,
      `${c.id} ${prefix}last_hidden_state`,
    );
    if (wantHidden) {
      for (let i = 0; has(`hidden_states.${i}`); i++) {
        close(
          await data(out.hidden_states?.[i], `hidden_states[${i}]`),
          want(`hidden_states.${i}`),
          atol,
          `${c.id} hidden_states.${i}`,
        );
      }
    }
    if (prefix !== '' && !isMlm) return;
    switch (fixture.head) {
      case 'seq':
      case 'tok': {
        const logits = await data(out.logits, 'logits');
        close(logits, want('logits'), atol, `${c.id} logits`);
        if (has('probs'))
          close(softmaxRows(logits, c.tensors.logits.shape.at(-1)!), want('probs'), atol, `${c.id} probs`);
        break;
      }
      case 'qa':
        close(
          await data(out.start_logits, 'start_logits'),
          want('start_logits'),
          atol,
          `${c.id} start_logits`,
        );
        close(await data(out.end_logits, 'end_logits'), want('end_logits'), atol, `${c.id} end_logits`);
        break;
      case 'mlm':
        await checkMlm(out, c, expected, atol, prefix, maskRows, positions, model.config.vocab_size);
        break;
    }
  } finally {
    out?.dispose();
  }
}

async function checkMlm(
  out: ModelOutput,
  c: FixtureCase,
  expected: CheckpointFile,
  atol: number,
  prefix: string,
  maskRows: Int32Array,
  positions: number[] | undefined,
  vocabSize: number,
): Promise<void> {
  const { expect } = requireVitest();
  const logits = await data(out.logits, 'logits');
  const vocab = vocabSize;
  const rows = positions ?? Array.from({ length: c.batch * c.seq_len }, (_, i) => i);
  expect(out.logits!.shape, `${c.id} logits shape`).toEqual(
    positions ? [rows.length, vocab] : [c.batch, c.seq_len, vocab],
  );
  if (!positions && prefix === '')
    close(logits, expected.float32(c.tensors.logits.name), atol, `${c.id} logits`);
  const row = (p: number) => {
    const n = rows.indexOf(p);
    return logits.subarray(n * vocab, n * vocab + vocab);
  };
  if (prefix === '') {
    const k = c.tensors.logits_topk_indices.shape[2];
    const topIdx = expected.int32(c.tensors.logits_topk_indices.name);
    const topVal = expected.float32(c.tensors.logits_topk_values.name);
    const lse = expected.float32(c.tensors.logits_logsumexp.name);
    for (const p of rows) {
      const r = row(p);
      // Near-ties make index order unstable; values at the stored indices are what must agree.
      const got = Array.from({ length: k }, (_, j) => r[topIdx[p * k + j]]);
      close(
        got,
        topVal.subarray(p * k, p * k + k),
        atol,
        `${c.id} logits at top-${k} indices of position ${p}`,
      );
      close([logsumexp(r)], [lse[p]], atol, `${c.id} logsumexp of position ${p}`);
    }
  }
  if (maskRows.length > 0) {
    const wantRows = expected.float32(c.tensors[`${prefix}logits_rows`].name);
    for (let i = 0; i < maskRows.length / 2; i++) {
      const p = maskRows[2 * i] * c.seq_len + maskRows[2 * i + 1];
      close(
        row(p),
        wantRows.subarray(i * vocab, i * vocab + vocab),
        atol,
        `${c.id} ${prefix}logits_rows[${i}] (position ${p})`,
      );
    }
  }
}

function softmaxRows(x: Float32Array, n: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let r = 0; r < x.length / n; r++) {
    const row = x.subarray(r * n, r * n + n);
    const lse = logsumexp(row);
    for (let i = 0; i < n; i++) out[r * n + i] = Math.exp(row[i] - lse);
  }
  return out;
}

function logsumexp(row: ArrayLike<number>): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  return max + Math.log(sum);
}

/** A quick subset for slow backends: the first case, the first batched (padded) one and the longest. */
export function quickCases(cases: FixtureCase[]): FixtureCase[] {
  if (cases.length <= 3) return cases;
  const batched = cases.find((c) => c.batch > 1);
  const longest = cases.reduce((a, b) => (b.batch * b.seq_len > a.batch * a.seq_len ? b : a));
  return cases.filter((c) => c === cases[0] || c === batched || c === longest);
}
