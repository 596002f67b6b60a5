import { writeFile } from 'node:fs/promises';
import { CheckpointError } from '../errors.js';
import type { StoredDType } from './Checkpoint.js';
import { ITEM_SIZE } from './dtypes.js';

/** A tensor to write: typed arrays imply their dtype; raw bytes need an explicit one (F16, BF16, …). */
export type TensorToWrite =
  | {
      shape: readonly number[];
      data: Float32Array | Float64Array | Int32Array | BigInt64Array | Int16Array | Int8Array;
    }
  | { shape: readonly number[]; data: Uint8Array; dtype: StoredDType };

function dtypeOf(t: TensorToWrite): StoredDType {
  if ('dtype' in t) return t.dtype;
  const d = t.data;
  if (d instanceof Float32Array) return 'F32';
  if (d instanceof Float64Array) return 'F64';
  if (d instanceof Int32Array) return 'I32';
  if (d instanceof BigInt64Array) return 'I64';
  if (d instanceof Int16Array) return 'I16';
  return 'I8';
}

/**
 * Serialises tensors to safetensors bytes the way Python's safetensors does: tensors ordered by
 * (descending element size, name), header padded with spaces so the data starts 8-byte aligned.
 */
export function serializeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const items = Object.entries(tensors).map(([name, t]) => {
    const dtype = dtypeOf(t);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count * ITEM_SIZE[dtype] !== bytes.byteLength) {
      throw new CheckpointError(
        `cannot write tensor '${name}': ${dtype} ${JSON.stringify(t.shape)} needs ${count * ITEM_SIZE[dtype]} bytes, got ${bytes.byteLength}.`,
      );
    }
    return { name, dtype, shape: [...t.shape], bytes };
  });
  items.sort(
    (a, b) => ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of items) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.byteLength) / 8) * 8 - 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const t of items) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

/** Writes tensors to a .safetensors file (e.g. the `distilbert forward --out` parity file). */
export async function saveSafetensors(
  path: string,
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFile(path, serializeSafetensors(tensors, metadata));
}
