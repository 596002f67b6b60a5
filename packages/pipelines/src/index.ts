export { PipelineError } from './errors.js';
export {
  asFunction,
  createTaskPipeline,
  FALLBACK_MODEL_DIR,
  type PipelineFunction,
  type PipelineOptions,
  pipeline,
  resolveBackend,
  resolveTask,
  type TaskName,
  type TaskPipelines,
} from './pipeline.js';
export { FeatureTensor, type Pooling, poolEmbeddings } from './postprocess/featureExtraction.js';
export {
  type FillMaskDecoder,
  type FillMaskPostprocessOptions,
  type FillMaskResult,
  type FillMaskRow,
  fillMaskPostprocess,
  resolveTargetIds,
} from './postprocess/fillMask.js';
export {
  answerMask,
  decodeSpans,
  type QaAnswer,
  type QaPostprocessOptions,
  type QaSpan,
  questionAnsweringPostprocess,
} from './postprocess/questionAnswering.js';
export {
  type ClassificationFunction,
  type ClassificationResult,
  defaultFunctionToApply,
  labelOf,
  textClassificationPostprocess,
} from './postprocess/textClassification.js';
export {
  AGGREGATION_STRATEGIES,
  type AggregationStrategy,
  type GroupedEntity,
  type TokenEntity,
  tokenClassificationPostprocess,
} from './postprocess/tokenClassification.js';
export { convertTokensToString } from './postprocess/wordpiece.js';
export {
  entailmentId,
  formatHypothesis,
  parseCandidateLabels,
  type ZeroShotResult,
  zeroShotPostprocess,
} from './postprocess/zeroShot.js';
export { DEFAULT_MODELS, TASK_ALIASES, TASKS, type Task } from './tasks/defaults.js';
export {
  type FeatureExtractionOptions,
  FeatureExtractionPipeline,
} from './tasks/FeatureExtractionPipeline.js';
export { type FillMaskOptions, type FillMaskOutput, FillMaskPipeline } from './tasks/FillMaskPipeline.js';
export { Pipeline, type PipelineRuntimeOptions } from './tasks/Pipeline.js';
export {
  type QaInput,
  type QuestionAnsweringOptions,
  type QuestionAnsweringOutput,
  QuestionAnsweringPipeline,
} from './tasks/QuestionAnsweringPipeline.js';
export {
  type TextClassificationOptions,
  type TextClassificationOutput,
  TextClassificationPipeline,
  type TextPair,
} from './tasks/TextClassificationPipeline.js';
export {
  type TokenClassificationOptions,
  type TokenClassificationOutput,
  TokenClassificationPipeline,
} from './tasks/TokenClassificationPipeline.js';
export {
  ZeroShotClassificationPipeline,
  type ZeroShotOptions,
} from './tasks/ZeroShotClassificationPipeline.js';
export type { EncodingLike, ModelLike, ModelOutputLike, TokenizerLike } from './types.js';
