export { addLayerNorm } from './addLayerNorm.js';
export { type AttentionResult, attention } from './attention.js';
export { linear } from './linear.js';
export * from './ops.js';
