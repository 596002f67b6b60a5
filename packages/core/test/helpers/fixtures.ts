import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Checkpoint, StoredTensorInfo } from '@distilbert/core';

export const FIXTURES = fileURLToPath(new URL('../../../../fixtures/models', import.meta.url));
export const fixtureDir = (name: string): string => join(FIXTURES, name);

/**
 * A checkpoint seen through a renaming (null drops a key) plus extra float32 tensors: the key layouts
 * other exporters produce (no `distilbert.` prefix, a position_ids buffer, missing heads).
 */
export function editCheckpoint(
  base: Checkpoint,
  rename: (name: string) => string | null,
  extra: Record<string, { values: Float32Array; shape: number[] }> = {},
): Checkpoint {
  const map = new Map<string, string>();
  for (const n of base.names()) {
    const to = rename(n);
    if (to !== null) map.set(to, n);
  }
  return {
    file: base.file,
    format: base.format,
    metadata: base.metadata,
    names: () => [...map.keys(), ...Object.keys(extra)],
    info: (n): StoredTensorInfo =>
      n in extra ? { dtype: 'F32', shape: extra[n].shape } : base.info(map.get(n)!),
    float32: (n) => (n in extra ? extra[n].values : base.float32(map.get(n)!)),
    close: () => base.close(),
  };
}
