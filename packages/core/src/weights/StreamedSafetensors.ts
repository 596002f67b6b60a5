import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CheckpointError } from '../errors.js';
import type { Checkpoint, StoredTensorInfo } from './Checkpoint.js';
import { halfToFloat32, toFloat32 } from './convert.js';
import { ITEM_SIZE } from './dtypes.js';
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

  /**
   * Reads the tensor as float32 into `into` (memory a backend handed out): F32 bytes go straight from the
   * file into it, F16/BF16 are converted from a small reused buffer, so no array the size of the tensor is
   * made. `into` must hold exactly the tensor's element count.
   */
  readFloat32Into(name: string, into: Float32Array): void {
    const e = this.#get(name);
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (into.length !== count)
      throw new CheckpointError(
        `'${name}' has ${count} elements; cannot read it into ${into.length}.`,
        this.file,
      );
    const fd = this.#fd as number;
    if (!LITTLE_ENDIAN || (e.dtype !== 'F32' && e.dtype !== 'F16' && e.dtype !== 'BF16')) {
      into.set(this.float32(name));
      return;
    }
    if (e.dtype === 'F32') {
      readFully(fd, new Uint8Array(into.buffer, into.byteOffset, into.byteLength), e.begin, this.file);
      return;
    }
    const item = ITEM_SIZE[e.dtype];
    const bits = new Uint32Array(into.buffer, into.byteOffset, into.length);
    for (let start = 0; start < count; start += SCRATCH_ELEMENTS) {
      const n = Math.min(SCRATCH_ELEMENTS, count - start);
      const bytes = readFully(fd, scratch().subarray(0, n * item), e.begin + start * item, this.file);
      if (e.dtype === 'F16') into.set(halfToFloat32(bytes), start);
      else {
        const half = new Uint16Array(bytes.buffer, bytes.byteOffset, n);
        for (let i = 0; i < n; i++) bits[start + i] = half[i] << 16;
      }
    }
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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Half-precision elements converted per chunk in readFloat32Into. */
const SCRATCH_ELEMENTS = 1 << 16;
let scratchBytes: Uint8Array | undefined;
/** One read buffer for every half-precision conversion: it never leaves this module. */
function scratch(): Uint8Array {
  scratchBytes ??= new Uint8Array(SCRATCH_ELEMENTS * 2);
  return scratchBytes;
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
