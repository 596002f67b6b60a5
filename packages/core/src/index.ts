export type * from './backend/KernelBackend.js';
export * from './backend/kernels.js';
export * from './backend/registry.js';
export {
  Engine,
  engine,
  type KernelCall,
  type KernelObserver,
  keep,
  type MemoryInfo,
  memory,
  scope,
  tidy,
} from './engine/engine.js';
export * from './errors.js';
export * as ops from './ops/index.js';
export * from './tensor/dtype.js';
export { Tensor, toNested } from './tensor/Tensor.js';
