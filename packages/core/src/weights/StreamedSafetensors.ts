import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../errors.js';
import type { Checkpoint, StoredTensorInfo } from './Checkpoint.js';
import { toFloat32 } from './convert.js';
import { parseSafetensorsHeader, type SafetensorsTensor } from './safetensors.js';

/**
 * A .safetensors file read one tensor at a time, for loading onto a backend that copies what it is given:
 * the process never holds the whole file, only the weights on the backend plus the tensor being uploaded
 * (a file buffer, until collected, doubles the peak RSS of a load). Only the header is read up front.
 */
export class StreamedSafetensors implements Checkpoint {
  readonly format = 'safetensors';
  #fd: number | undefined;
  #entries: Map<string, SafetensorsTensor> | undefined;

  private constructor(
    readonly file: string,
    fd: number,
    entries: Map<string, SafetensorsTensor>,
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
      const { tensors, metadata } = parseSafetensorsHeader(
        fstatSync(fd).size,
        (position, length) => readFully(fd, new Uint8Array(length), position, file),
        file,
      );
      return new StreamedSafetensors(file, fd, tensors, metadata);
    } catch {
      // fall through: the regular reader reports it (with the same header errors)
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
    const byteLength = e.end - e.begin;
    // An ArrayBuffer per tensor (offset 0, so the F32 array is a view of it): a backend may keep it as is.
    const bytes = new Uint8Array(Buffer.allocUnsafeSlow(byteLength).buffer, 0, byteLength);
    readFully(this.#fd as number, bytes, e.begin, this.file);
    return toFloat32(bytes, e.dtype);
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
    this.#entries = undefined;
  }

  #live(): Map<string, SafetensorsTensor> {
    if (!this.#entries) throw new CheckpointError('the checkpoint was closed; open it again.', this.file);
    return this.#entries;
  }

  #get(name: string): SafetensorsTensor {
    const e = this.#live().get(name);
    if (!e) throw new CheckpointError(`no tensor '${name}'.`, this.file);
    return e;
  }
}

function readFully(fd: number, into: Uint8Array, position: number, file: string): Uint8Array {
  let done = 0;
  while (done < into.byteLength) {
    const n = readSync(fd, into, done, into.byteLength - done, position + done);
    if (n === 0)
      throw new CheckpointError('the file was truncated while reading it. Download it again.', file);
    done += n;
  }
  return into;
}
