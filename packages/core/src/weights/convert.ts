import { CheckpointError } from '../errors.js';
import type { StoredDType } from './Checkpoint.js';
import { ITEM_SIZE } from './dtypes.js';

// Typed-array views need host byte order = file byte order (little-endian) and an aligned offset.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedCtor<T> = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/**
 * Elements of `bytes` as a typed array: a zero-copy view when the host is little-endian and the
 * offset is aligned, else a copy (byte-swapped on big-endian hosts).
 */
export function typedView<T>(ctor: TypedCtor<T>, bytes: Uint8Array): T {
  const size = ctor.BYTES_PER_ELEMENT;
  const length = bytes.byteLength / size;
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) return new ctor(bytes.buffer, bytes.byteOffset, length);
  const copy = Uint8Array.prototype.slice.call(bytes) as Uint8Array;
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  return new ctor(copy.buffer, 0, length);
}

let f16Bits: Uint32Array | undefined;

/** float32 bit patterns of all 65536 half floats: exact, including subnormals, ±inf and NaN payloads. */
function halfTable(): Uint32Array {
  if (f16Bits) return f16Bits;
  const table = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exp = (h >> 10) & 0x1f;
    let mant = h & 0x3ff;
    let bits: number;
    if (exp === 0x1f) bits = sign | 0x7f800000 | (mant << 13);
    else if (exp !== 0) bits = sign | ((exp + 112) << 23) | (mant << 13);
    else if (mant === 0) bits = sign;
    else {
      // Subnormal half = mant * 2^-24: normalise into a float32 normal number.
      let e = 113;
      while ((mant & 0x400) === 0) {
        mant <<= 1;
        e--;
      }
      bits = sign | (e << 23) | ((mant & 0x3ff) << 13);
    }
    table[h] = bits >>> 0;
  }
  f16Bits = table;
  return table;
}

/** IEEE half (F16) → float32, exact. */
export function halfToFloat32(bytes: Uint8Array): Float32Array {
  const src = typedView(Uint16Array, bytes);
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  const table = halfTable();
  for (let i = 0; i < src.length; i++) bits[i] = table[src[i]];
  return out;
}

/** bfloat16 (the top 16 bits of a float32) → float32, exact. */
export function bfloat16ToFloat32(bytes: Uint8Array): Float32Array {
  const src = typedView(Uint16Array, bytes);
  const out = new Float32Array(src.length);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
  return out;
}

/** Any stored dtype → float32. F32 is a view into `bytes` when aligned; everything else is a new array. */
export function toFloat32(bytes: Uint8Array, dtype: StoredDType): Float32Array {
  switch (dtype) {
    case 'F32':
      return typedView(Float32Array, bytes);
    case 'F16':
      return halfToFloat32(bytes);
    case 'BF16':
      return bfloat16ToFloat32(bytes);
    case 'F64':
      // Float32Array construction rounds to nearest, ties to even (ECMAScript ToFloat32).
      return new Float32Array(typedView(Float64Array, bytes));
    case 'I64': {
      const src = typedView(BigInt64Array, bytes);
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      return new Float32Array(smallIntView(bytes, dtype));
  }
}

function smallIntView(
  bytes: Uint8Array,
  dtype: StoredDType,
): Int32Array | Int16Array | Int8Array | Uint8Array {
  switch (dtype) {
    case 'I32':
      return typedView(Int32Array, bytes);
    case 'I16':
      return typedView(Int16Array, bytes);
    case 'I8':
      return typedView(Int8Array, bytes);
    default:
      return bytes; // U8, BOOL
  }
}

/** Integer dtypes → int32 (I32 is a view when aligned). Float dtypes and out-of-range I64 values throw. */
export function toInt32(bytes: Uint8Array, dtype: StoredDType, name: string, file: string): Int32Array {
  if (dtype === 'I32') return typedView(Int32Array, bytes);
  if (dtype === 'I64') {
    const src = typedView(BigInt64Array, bytes);
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i];
      if (v > 2147483647n || v < -2147483648n) {
        throw new CheckpointError(
          `tensor '${name}' holds ${v} at index ${i}, outside the int32 range.`,
          file,
        );
      }
      out[i] = Number(v);
    }
    return out;
  }
  if (dtype === 'I16' || dtype === 'I8' || dtype === 'U8' || dtype === 'BOOL') {
    return new Int32Array(smallIntView(bytes, dtype));
  }
  throw new CheckpointError(
    `tensor '${name}' is ${dtype}, not an integer tensor; read it with float32().`,
    file,
  );
}

/** Integer dtypes → BigInt64Array (I64 is a view when aligned). */
export function toBigInt64(bytes: Uint8Array, dtype: StoredDType, name: string, file: string): BigInt64Array {
  if (dtype === 'I64') return typedView(BigInt64Array, bytes);
  const ints = toInt32(bytes, dtype, name, file);
  const out = new BigInt64Array(ints.length);
  for (let i = 0; i < ints.length; i++) out[i] = BigInt(ints[i]);
  return out;
}

export function byteSize(dtype: StoredDType, count: number): number {
  return ITEM_SIZE[dtype] * count;
}
