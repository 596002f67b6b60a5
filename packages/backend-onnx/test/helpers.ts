import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = join(ROOT, 'fixtures/models');
export const fixtureDir = (name: string): string => join(FIXTURES, name);
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `distilbert-onnx-${prefix}-`));

/** Deterministic ids in [1000, 30000) with `[CLS]`…`[SEP]` and right padding per row (lengths given). */
export function paddedBatch(lengths: readonly number[], seq: number, seed = 7) {
  let x = seed;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const ids = new Int32Array(lengths.length * seq);
  const mask = new Int32Array(lengths.length * seq);
  lengths.forEach((len, b) => {
    for (let s = 0; s < len; s++) {
      ids[b * seq + s] = s === 0 ? 101 : s === len - 1 ? 102 : 1000 + Math.floor(rand() * 29000);
      mask[b * seq + s] = 1;
    }
  });
  return { input_ids: ids, attention_mask: mask, shape: [lengths.length, seq] as [number, number] };
}

// max |a − b| (NaN if either has a NaN, so a NaN never passes a tolerance check).
export { maxAbsDiff as maxDiff } from '@distilbert/core/testing';

export const toInt64 = (a: Int32Array): BigInt64Array => BigInt64Array.from(a, (v) => BigInt(v));
