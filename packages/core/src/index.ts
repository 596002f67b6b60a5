export type * from './backend/KernelBackend.js';
export * from './backend/kernels.js';
export * from './backend/registry.js';
export { DistilBertConfig, type ProblemType, sinusoidalTable } from './config/DistilBertConfig.js';
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
export { DistilBertModel } from './model/DistilBertModel.js';
export {
  type ArchitectureName,
  DistilBertPreTrainedModel,
  type FromCheckpointOptions,
  type InputTensors,
} from './model/DistilBertPreTrainedModel.js';
export { DistilBertForMaskedLM } from './model/heads/DistilBertForMaskedLM.js';
export { DistilBertForQuestionAnswering } from './model/heads/DistilBertForQuestionAnswering.js';
export { DistilBertForSequenceClassification } from './model/heads/DistilBertForSequenceClassification.js';
export { DistilBertForTokenClassification } from './model/heads/DistilBertForTokenClassification.js';
export {
  type LoadModelOptions,
  loadConfig,
  loadModel,
  MODEL_CLASSES,
  resolveArchitecture,
} from './model/loadModel.js';
export type { ForwardOptions, ModelInputs, ModelOutput } from './model/ModelOutput.js';
export type { TransformerOutput } from './model/Transformer.js';
export { VarBuilder } from './model/VarBuilder.js';
export * as ops from './ops/index.js';
export * from './tensor/dtype.js';
export { Tensor, toNested } from './tensor/Tensor.js';
export * from './weights/index.js';
