import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CheckpointError } from '../errors.js';
import type { CheckpointFile } from './Checkpoint.js';
import { parsePytorchBin } from './pytorch.js';
import { plainBytes, readWholeFile } from './readFile.js';
import { parseSafetensors } from './safetensors.js';
import { openSharded } from './sharded.js';
import { isZip } from './zip.js';

/** Weight files looked for in a model folder, best first (HF's own preference order). */
export const WEIGHT_FILES = [
  'model.safetensors',
  'model.safetensors.index.json',
  'pytorch_model.bin',
  'pytorch_model.bin.index.json',
] as const;

/** Which reader fits these bytes: by content first, then by the file name. */
export function detectFormat(bytes: Uint8Array, file = ''): 'safetensors' | 'pytorch' {
  if (isZip(bytes)) return 'pytorch';
  // safetensors: a u64 little-endian header length that fits the file, then '{'. Checked before the
  // pickle test because the length's low byte may well be 0x80.
  if (bytes.byteLength >= 9 && bytes[8] === 0x7b) {
    const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
    if (length <= BigInt(bytes.byteLength - 8)) return 'safetensors';
  }
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) return 'pytorch'; // legacy torch pickle
  if (/\.(bin|pt|pth|ckpt)$/i.test(file)) return 'pytorch';
  return 'safetensors';
}

/**
 * Opens a weight file of either format, a sharded checkpoint's `*.index.json`, or a model folder
 * (picking the file by WEIGHT_FILES). Bytes in memory are sniffed by content.
 */
export async function openCheckpoint(source: string | Uint8Array): Promise<CheckpointFile> {
  if (typeof source !== 'string') {
    const bytes = plainBytes(source);
    return detectFormat(bytes) === 'pytorch' ? parsePytorchBin(bytes) : parseSafetensors(bytes);
  }
  let path = source;
  if ((await stat(path).catch(() => null))?.isDirectory()) path = await findWeightFile(path);
  if (path.endsWith('.index.json')) return openSharded(path);
  const bytes = await readWholeFile(path);
  return detectFormat(bytes, path) === 'pytorch'
    ? parsePytorchBin(bytes, path)
    : parseSafetensors(bytes, path);
}

/** The weight file of a local model folder: model.safetensors, else pytorch_model.bin (or their indexes). */
export async function findWeightFile(dir: string): Promise<string> {
  for (const name of WEIGHT_FILES) {
    const p = join(dir, name);
    if ((await stat(p).catch(() => null))?.isFile()) return p;
  }
  throw new CheckpointError(`no weight file found; looked for ${WEIGHT_FILES.join(', ')}.`, dir);
}

/** The part of @distilbert/hub's RepoFiles this needs (kept structural so tests can pass a fake). */
export interface WeightSource {
  readonly id: string;
  optionalPath(filename: string): Promise<string | null>;
}

/**
 * Opens the weights of a repo or folder opened with @distilbert/hub's openRepo: `weights` names the
 * file to use, otherwise WEIGHT_FILES decides. Shards of an index are fetched through the repo too.
 */
export async function openRepoCheckpoint(repo: WeightSource, weights?: string): Promise<CheckpointFile> {
  const candidates = weights ? [weights] : WEIGHT_FILES;
  for (const name of candidates) {
    const path = await repo.optionalPath(name);
    if (!path) continue;
    if (!name.endsWith('.index.json')) return openCheckpoint(path);
    return openSharded(path, async (shard) => {
      const p = await repo.optionalPath(shard);
      if (!p) throw new CheckpointError(`shard '${shard}' listed in ${basename(name)} is missing.`, repo.id);
      return openCheckpoint(p);
    });
  }
  throw new CheckpointError(
    weights
      ? `has no weight file '${weights}'.`
      : `has no weight file; looked for ${WEIGHT_FILES.join(', ')}.`,
    repo.id,
  );
}
