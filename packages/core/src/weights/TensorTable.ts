import { CheckpointError } from '../errors.js';
import type { CheckpointFile, StoredDType, StoredTensorInfo } from './Checkpoint.js';
import { toBigInt64, toFloat32, toInt32 } from './convert.js';

/** One tensor of a parsed file: its dtype, shape and a view of its stored bytes. */
export interface TensorEntry {
  readonly dtype: StoredDType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * A Checkpoint over tensors already located in one file buffer (both readers end here).
 * Conversions happen per tensor on request, so at most one converted tensor exists at a time
 * unless the caller keeps them.
 */
export class TensorTable implements CheckpointFile {
  #entries: Map<string, TensorEntry> | undefined;
  readonly byteLength: number;

  constructor(
    readonly file: string,
    readonly format: 'safetensors' | 'pytorch',
    readonly metadata: Readonly<Record<string, string>>,
    entries: Map<string, TensorEntry>,
  ) {
    this.#entries = entries;
    let total = 0;
    for (const e of entries.values()) total += e.bytes.byteLength;
    this.byteLength = total;
  }

  names(): string[] {
    return [...this.#live().keys()];
  }

  has(name: string): boolean {
    return this.#live().has(name);
  }

  info(name: string): StoredTensorInfo {
    const { dtype, shape } = this.#get(name);
    return { dtype, shape };
  }

  float32(name: string): Float32Array {
    const e = this.#get(name);
    return toFloat32(e.bytes, e.dtype);
  }

  int32(name: string): Int32Array {
    const e = this.#get(name);
    return toInt32(e.bytes, e.dtype, name, this.file);
  }

  bigint64(name: string): BigInt64Array {
    const e = this.#get(name);
    return toBigInt64(e.bytes, e.dtype, name, this.file);
  }

  bytes(name: string): Uint8Array {
    return this.#get(name).bytes;
  }

  /** Drops this checkpoint's reference to the file buffer; arrays already handed out stay valid. */
  close(): void {
    this.#entries = undefined;
  }

  #live(): Map<string, TensorEntry> {
    if (!this.#entries) throw new CheckpointError('the checkpoint was closed; open it again.', this.file);
    return this.#entries;
  }

  #get(name: string): TensorEntry {
    const e = this.#live().get(name);
    if (!e) {
      const names = [...this.#live().keys()];
      const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? `, … (${names.length} in all)` : '');
      throw new CheckpointError(`no tensor '${name}' (it has: ${shown || 'no tensors'}).`, this.file);
    }
    return e;
  }
}
