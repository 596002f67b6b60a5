import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../errors.js';
import type { Checkpoint, StoredTensorInfo } from '../weights/Checkpoint.js';
import { toFloat32 } from '../weights/convert.js';
import { ITEM_SIZE, isStoredDType } from '../weights/dtypes.js';
import { MAX_HEADER_BYTES } from '../weights/safetensors.js';

interface Entry extends StoredTensorInfo {
  /** Byte offset of the tensor in the file. */
  readonly at: number;
  readonly byteLength: number;
}

/**
 * A .safetensors file read one tensor at a time, for loading onto a backend that copies what it is given:
 * the process never holds the whole file, only the weights on the backend plus the tensor being uploaded
 * (a file buffer, until collected, doubles the peak RSS of a load). Only the header is read up front.
 */
export class StreamedSafetensors implements Checkpoint {
  readonly format = 'safetensors';
  #fd: number | undefined;
  #entries: Map<string, Entry> | undefined;

  private constructor(
    readonly file: string,
    fd: number,
    entries: Map<string, Entry>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {
    this.#fd = fd;
    this.#entries = entries;
  }

  /**
   * Opens `file` when its header is a well-formed safetensors header; otherwise undefined (nothing left
   * open), and the caller opens it with the regular readers, which say precisely what is wrong.
   */
  static open(file: string): StreamedSafetensors | undefined {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return undefined;
    }
    try {
      const parsed = readHeader(fd, fstatSync(fd).size);
      if (parsed) return new StreamedSafetensors(file, fd, parsed.entries, parsed.metadata);
    } catch {
      // fall through: the regular reader reports it
    }
    closeSync(fd);
    return undefined;
  }

  names(): string[] {
    return [...this.#live().keys()];
  }

  info(name: string): StoredTensorInfo {
    const { dtype, shape } = this.#get(name);
    return { dtype, shape };
  }

  /** Reads the tensor's bytes from the file into an array of its own (converted when not F32). */
  float32(name: string): Float32Array {
    const e = this.#get(name);
    // An ArrayBuffer per tensor (offset 0, so the F32 array is a view of it): a backend may keep it as is.
    const bytes = new Uint8Array(Buffer.allocUnsafeSlow(e.byteLength).buffer, 0, e.byteLength);
    readFully(this.#fd as number, bytes, e.at, this.file);
    return toFloat32(bytes, e.dtype);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#entries = undefined;
  }

  #live(): Map<string, Entry> {
    if (!this.#entries) throw new CheckpointError('the checkpoint was closed; open it again.', this.file);
    return this.#entries;
  }

  #get(name: string): Entry {
    const e = this.#live().get(name);
    if (!e) throw new CheckpointError(`no tensor '${name}'.`, this.file);
    return e;
  }
}

/** The header's tensors, or undefined at the first thing that is not plainly valid. */
function readHeader(
  fd: number,
  size: number,
): { entries: Map<string, Entry>; metadata: Record<string, string> } | undefined {
  if (size < 10) return undefined;
  const prefix = new Uint8Array(8);
  readFully(fd, prefix, 0, '');
  const headerLength = Number(new DataView(prefix.buffer).getBigUint64(0, true));
  if (headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) return undefined;
  const text = new Uint8Array(headerLength);
  readFully(fd, text, 8, '');
  const header: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(text));
  if (!isRecord(header)) return undefined;
  const dataStart = 8 + headerLength;
  const entries = new Map<string, Entry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) return undefined;
      metadata = value as Record<string, string>;
      continue;
    }
    if (!isRecord(value)) return undefined;
    const { dtype, shape, data_offsets: offsets } = value;
    if (!isStoredDType(dtype) || !Array.isArray(shape) || !shape.every(isCount)) return undefined;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) return undefined;
    const [begin, end] = offsets as number[];
    const count = (shape as number[]).reduce((a, d) => a * d, 1);
    if (dataStart + end > size || end - begin !== count * ITEM_SIZE[dtype]) return undefined;
    entries.set(name, {
      dtype,
      shape: Object.freeze([...(shape as number[])]),
      at: dataStart + begin,
      byteLength: end - begin,
    });
  }
  // Tensors must not share bytes (as the regular reader requires).
  const spans = [...entries.values()].filter((e) => e.byteLength > 0).sort((a, b) => a.at - b.at);
  for (let i = 1; i < spans.length; i++)
    if (spans[i].at < spans[i - 1].at + spans[i - 1].byteLength) return undefined;
  return { entries, metadata };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function readFully(fd: number, into: Uint8Array, position: number, file: string): void {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0)
      throw new CheckpointError('the file was truncated while reading it. Download it again.', file);
    done += n;
  }
}
