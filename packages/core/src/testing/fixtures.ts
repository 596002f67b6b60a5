import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelInputs } from '../model/ModelOutput.js';
import type { CheckpointFile } from '../weights/Checkpoint.js';
import { openSafetensors } from '../weights/safetensors.js';

/** The repo's fixtures/models, found from this file (src/testing or dist/testing, three levels under the root). */
export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../../../../fixtures/models', import.meta.url));

export interface FixtureTensorInfo {
  name: string;
  dtype: string;
  shape: number[];
}

/** One case of expected.json (fields as written by the fixture generator). */
export interface FixtureCase {
  id: string;
  description: string;
  batch: number;
  seq_len: number;
  input_ids: number[][];
  attention_mask: number[][];
  tensors: Record<string, FixtureTensorInfo>;
}

export interface Fixture {
  /** Folder name, e.g. 'tiny-distilbert-sst2'. */
  name: string;
  dir: string;
  architecture: string;
  /** 'mlm' | 'seq' | 'tok' | 'qa' */
  head: string;
  cases: FixtureCase[];
  /** Whether the folder has weights (fullsize-* has only expected outputs). */
  hasWeights: boolean;
  /** expected.safetensors, opened on first use. */
  expected(): Promise<CheckpointFile>;
}

/** Fixture folders (with expected.json) under `dir`, sorted. */
export function listFixtures(dir = DEFAULT_FIXTURES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'expected.json')))
    .sort();
}

export function readFixture(dir: string, name: string): Fixture {
  const folder = join(dir, name);
  const json = JSON.parse(readFileSync(join(folder, 'expected.json'), 'utf8')) as {
    architecture: string;
    head: string;
    cases: FixtureCase[];
  };
  let expected: Promise<CheckpointFile> | undefined;
  return {
    name,
    dir: folder,
    architecture: json.architecture,
    head: json.head,
    cases: json.cases,
    hasWeights: existsSync(join(folder, 'model.safetensors')),
    expected: () => {
      expected ??= openSafetensors(join(folder, 'expected.safetensors'));
      return expected;
    },
  };
}

/** A case's inputs as `forward` takes them. */
export function caseInputs(c: FixtureCase): ModelInputs {
  return {
    input_ids: Int32Array.from(c.input_ids.flat()),
    attention_mask: Int32Array.from(c.attention_mask.flat()),
    shape: [c.batch, c.seq_len],
  };
}

/** max |a − b| (NaN if either has a NaN, so a NaN never passes a tolerance check). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.NaN : d;
    if (Number.isNaN(max)) return max;
  }
  return max;
}
