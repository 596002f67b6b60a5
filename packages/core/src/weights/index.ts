export type { Checkpoint, CheckpointFile, StoredDType, StoredTensorInfo } from './Checkpoint.js';
export { bfloat16ToFloat32, halfToFloat32 } from './convert.js';
export { ITEM_SIZE, STORED_DTYPES } from './dtypes.js';
export {
  detectFormat,
  findWeightFile,
  openCheckpoint,
  openRepoCheckpoint,
  WEIGHT_FILES,
  type WeightSource,
} from './openCheckpoint.js';
export { openPytorchBin, parsePytorchBin } from './pytorch.js';
export { MAX_HEADER_BYTES, openSafetensors, parseSafetensors } from './safetensors.js';
export { openSharded, ShardedCheckpoint } from './sharded.js';
export { TensorTable } from './TensorTable.js';
export { saveSafetensors, serializeSafetensors, type TensorToWrite } from './writeSafetensors.js';
