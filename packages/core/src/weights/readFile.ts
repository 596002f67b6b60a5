import { open } from 'node:fs/promises';
import { CheckpointError } from '../errors.js';

const CHUNK = 1 << 30;

/**
 * Reads a whole file into ONE buffer with its own ArrayBuffer (byteOffset 0, so aligned tensors can be
 * viewed without copying). Reading through an fd in chunks avoids fs.readFile's 2 GiB limit and any
 * intermediate copy: the buffer is the only copy of the file this process holds.
 */
export async function readWholeFile(path: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CheckpointError(
      code === 'ENOENT'
        ? 'no such file. Check the path, or download the weights first.'
        : `cannot open the file (${code ?? String(err)}).`,
      path,
    );
  }
  try {
    const { size } = await handle.stat();
    let bytes: Uint8Array;
    try {
      // allocUnsafeSlow: its own ArrayBuffer at offset 0 and no zero-fill (every byte is read over).
      const buffer = Buffer.allocUnsafeSlow(size);
      bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, size);
    } catch {
      throw new CheckpointError(
        `the file is ${size} bytes, too large to read into memory in one piece; use a sharded checkpoint.`,
        path,
      );
    }
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, Math.min(size - offset, CHUNK), offset);
      if (bytesRead === 0) break; // the file shrank while reading: the parser reports it as truncated
      offset += bytesRead;
    }
    return offset === size ? bytes : bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

/** A plain Uint8Array over the same memory (Buffer#slice does not copy, Uint8Array#slice does). */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
