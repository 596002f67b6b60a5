// CONTRACT between weight readers and the model loader (the weights helper implements the readers).

/** Element types found in checkpoints. */
export type StoredDType = 'F32' | 'F16' | 'BF16' | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface StoredTensorInfo {
  readonly dtype: StoredDType;
  readonly shape: readonly number[];
}

/** A parsed weight file (safetensors or pytorch_model.bin). Tensors are converted one at a time. */
export interface Checkpoint {
  readonly file: string;
  readonly format: 'safetensors' | 'pytorch';
  readonly metadata: Readonly<Record<string, string>>;
  names(): string[];
  info(name: string): StoredTensorInfo;
  /** The tensor as float32 (F16/BF16/F64 converted); a view into the file buffer when it is F32 and aligned. */
  float32(name: string): Float32Array;
  /** Drops the file buffer. */
  close(): void;
}

/**
 * What the readers in this folder return: a Checkpoint that can also hand out integer tensors
 * (expected.safetensors stores `input_ids`/`attention_mask` as I64) and the raw stored bytes.
 */
export interface CheckpointFile extends Checkpoint {
  /** Integer tensors as int32 (I64 values outside the int32 range are an error); floats are refused. */
  int32(name: string): Int32Array;
  /** I64 (or any integer dtype, widened) as BigInt64Array. */
  bigint64(name: string): BigInt64Array;
  /** The stored little-endian bytes of one tensor (a view, not a copy). */
  bytes(name: string): Uint8Array;
  /** Total bytes of tensor data (for progress reporting). */
  readonly byteLength: number;
}
