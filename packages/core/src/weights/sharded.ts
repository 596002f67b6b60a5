import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CheckpointError } from '../errors.js';
import type { CheckpointFile, StoredTensorInfo } from './Checkpoint.js';
// Circular with openCheckpoint.ts on purpose: each only calls the other at run time.
import { openCheckpoint } from './openCheckpoint.js';

/**
 * A checkpoint split over shard files, as described by `model.safetensors.index.json` /
 * `pytorch_model.bin.index.json` (`{ metadata, weight_map: { tensor: shard file } }`).
 */
export class ShardedCheckpoint implements CheckpointFile {
  readonly format: 'safetensors' | 'pytorch';
  readonly metadata: Readonly<Record<string, string>>;
  readonly byteLength: number;
  #shards: Map<string, CheckpointFile> | undefined;
  readonly #weightMap: ReadonlyMap<string, string>;

  constructor(
    readonly file: string,
    weightMap: ReadonlyMap<string, string>,
    shards: Map<string, CheckpointFile>,
  ) {
    this.#weightMap = weightMap;
    this.#shards = shards;
    const first = shards.values().next().value;
    this.format = first?.format ?? 'safetensors';
    this.metadata = first?.metadata ?? {};
    let total = 0;
    for (const s of shards.values()) total += s.byteLength;
    this.byteLength = total;
    for (const [name, shard] of weightMap) {
      if (!shards.get(shard)?.names().includes(name)) {
        throw new CheckpointError(`the index maps '${name}' to ${shard}, which has no such tensor.`, file);
      }
    }
  }

  names(): string[] {
    this.#live();
    return [...this.#weightMap.keys()];
  }
  info(name: string): StoredTensorInfo {
    return this.#shard(name).info(name);
  }
  float32(name: string): Float32Array {
    return this.#shard(name).float32(name);
  }
  int32(name: string): Int32Array {
    return this.#shard(name).int32(name);
  }
  bigint64(name: string): BigInt64Array {
    return this.#shard(name).bigint64(name);
  }
  bytes(name: string): Uint8Array {
    return this.#shard(name).bytes(name);
  }
  close(): void {
    for (const s of this.#shards?.values() ?? []) s.close();
    this.#shards = undefined;
  }

  #live(): Map<string, CheckpointFile> {
    if (!this.#shards) throw new CheckpointError('the checkpoint was closed; open it again.', this.file);
    return this.#shards;
  }

  #shard(name: string): CheckpointFile {
    const shards = this.#live();
    const shard = this.#weightMap.get(name);
    if (shard === undefined) throw new CheckpointError(`no tensor '${name}' in the weight map.`, this.file);
    return shards.get(shard)!;
  }
}

/** Reads an index file's weight_map (validated) and the distinct shard file names, in order. */
export async function readShardIndex(
  indexPath: string,
): Promise<{ weightMap: Map<string, string>; shards: string[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(indexPath, 'utf8'));
  } catch (err) {
    throw new CheckpointError(`cannot read the shard index (${(err as Error).message}).`, indexPath);
  }
  const map = (parsed as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw new CheckpointError('the shard index has no "weight_map" object. Download it again.', indexPath);
  }
  const weightMap = new Map<string, string>();
  for (const [name, shard] of Object.entries(map)) {
    // Shards must be plain file names next to the index: no paths that escape the folder.
    if (
      typeof shard !== 'string' ||
      shard === '' ||
      shard.includes('/') ||
      shard.includes('\\') ||
      shard === '..'
    ) {
      throw new CheckpointError(
        `the shard index maps '${name}' to ${JSON.stringify(shard)}, not a file name.`,
        indexPath,
      );
    }
    weightMap.set(name, shard);
  }
  return { weightMap, shards: [...new Set(weightMap.values())] };
}

/** Opens a sharded checkpoint from its index file; `openShard` resolves and opens one shard file. */
export async function openSharded(
  indexPath: string,
  openShard: (shardFile: string) => Promise<CheckpointFile> = (f) =>
    openCheckpoint(join(dirname(indexPath), f)),
): Promise<ShardedCheckpoint> {
  const { weightMap, shards } = await readShardIndex(indexPath);
  const opened = new Map<string, CheckpointFile>();
  try {
    for (const s of shards) opened.set(s, await openShard(s));
    return new ShardedCheckpoint(indexPath, weightMap, opened);
  } catch (err) {
    for (const c of opened.values()) c.close();
    throw err;
  }
}
