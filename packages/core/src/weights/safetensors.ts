import { CheckpointError } from '../errors.js';
import type { CheckpointFile, StoredDType } from './Checkpoint.js';
import { ITEM_SIZE, isStoredDType, STORED_DTYPES } from './dtypes.js';
import { plainBytes, readWholeFile } from './readFile.js';
import { type TensorEntry, TensorTable } from './TensorTable.js';

/** Largest header accepted, as in the reference Rust implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const REDOWNLOAD = 'The file is corrupt or truncated: download it again, or re-save it with safetensors.';

/** A tensor located by a safetensors header; `begin`/`end` are byte offsets from the start of the file. */
export interface SafetensorsTensor {
  readonly dtype: StoredDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: Map<string, SafetensorsTensor>;
}

/**
 * Validates the header of a safetensors file of `size` bytes, reading only the header through
 * `read(position, length)` (which returns exactly those bytes). Every tensor is checked to lie inside the
 * file, match its dtype and shape, and share no bytes with another; every error is a CheckpointError.
 */
export function parseSafetensorsHeader(
  size: number,
  read: (position: number, length: number) => Uint8Array,
  file = '<memory>',
): SafetensorsHeader {
  const fail = (what: string, hint = REDOWNLOAD): never => {
    throw new CheckpointError(`not a valid safetensors file: ${what}. ${hint}`, file);
  };
  if (size < 8) fail(`it is ${size} bytes, too short for the 8-byte header length`);
  const prefix = read(0, 8);
  const declared = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    fail(`the header length ${declared} is over the ${MAX_HEADER_BYTES}-byte limit`);
  }
  const headerLength = Number(declared);
  if (headerLength > size - 8) {
    fail(`the header length ${headerLength} is larger than the rest of the file (${size - 8} bytes)`);
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(read(8, headerLength));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    return fail(`the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail(`the header is ${Array.isArray(header) ? 'an array' : typeof header}, not a JSON object`);
  }

  const dataStart = 8 + headerLength;
  const dataLength = size - dataStart;
  const record = header as Record<string, unknown>;
  let metadata: Record<string, string> = {};
  const located: {
    name: string;
    begin: number;
    end: number;
    dtype: StoredDType;
    shape: number[];
  }[] = [];

  for (const name of Object.keys(record)) {
    const value = record[name];
    if (name === '__metadata__') {
      metadata = parseMetadata(value, fail);
      continue;
    }
    const at = `tensor ${JSON.stringify(name)}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${at} is not an object`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (!isStoredDType(dtype)) {
      fail(
        `${at} has dtype ${JSON.stringify(dtype)}; supported: ${STORED_DTYPES.join(', ')}`,
        'Convert the tensor to one of these dtypes.',
      );
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      fail(`${at} has shape ${JSON.stringify(shape)}; expected a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      fail(`${at} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end]`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(`${at} has data_offsets [${begin}, ${end}] with begin after end`);
    if (end > dataLength) {
      fail(`${at} ends at byte ${end} of the data section, past its end (${dataLength} bytes)`);
    }
    let expected = ITEM_SIZE[dtype as StoredDType];
    for (const d of shape as number[]) {
      expected *= d;
      if (!Number.isSafeInteger(expected)) fail(`${at} has a shape too large to address`);
    }
    if (expected !== end - begin) {
      fail(
        `${at} is ${dtype} ${JSON.stringify(shape)} = ${expected} bytes, but its data_offsets span ${end - begin}`,
      );
    }
    located.push({ name, begin, end, dtype: dtype as StoredDType, shape: shape as number[] });
  }

  // Tensors may leave gaps but must not share bytes (empty tensors share nothing).
  const byOffset = located.filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1];
    const cur = byOffset[i];
    if (cur.begin < prev.end) {
      fail(
        `tensors ${JSON.stringify(prev.name)} [${prev.begin}, ${prev.end}) and ${JSON.stringify(cur.name)} [${cur.begin}, ${cur.end}) overlap`,
      );
    }
  }

  const tensors = new Map<string, SafetensorsTensor>();
  for (const t of located) {
    tensors.set(t.name, {
      dtype: t.dtype,
      shape: Object.freeze(t.shape.slice()),
      begin: dataStart + t.begin,
      end: dataStart + t.end,
    });
  }
  return { metadata: Object.freeze(metadata), tensors };
}

/**
 * Parses a safetensors file held in memory. The header is fully validated before any tensor is
 * touched; every error is a CheckpointError. Tensors are views into `bytes` (no copy).
 */
export function parseSafetensors(bytes: Uint8Array, file = '<memory>'): TensorTable {
  bytes = plainBytes(bytes);
  const { metadata, tensors } = parseSafetensorsHeader(
    bytes.byteLength,
    (position, length) => bytes.subarray(position, position + length),
    file,
  );
  const entries = new Map<string, TensorEntry>();
  for (const [name, t] of tensors) {
    entries.set(name, { dtype: t.dtype, shape: t.shape, bytes: bytes.subarray(t.begin, t.end) });
  }
  return new TensorTable(file, 'safetensors', metadata, entries);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseMetadata(value: unknown, fail: (what: string) => never): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('__metadata__ is not an object of strings');
  }
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value as object)) {
    if (typeof v !== 'string') fail(`__metadata__ key ${JSON.stringify(k)} is not a string`);
    out[k] = v as string;
  }
  return out;
}

/**
 * Opens a .safetensors file (or bytes already in memory). The file is read once into one buffer;
 * aligned F32 tensors are views into it, so loading holds the file once plus one converted tensor.
 */
export async function openSafetensors(source: string | Uint8Array): Promise<CheckpointFile> {
  if (typeof source !== 'string') return parseSafetensors(source);
  return parseSafetensors(await readWholeFile(source), source);
}
