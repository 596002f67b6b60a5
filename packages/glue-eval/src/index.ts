export { type DataOptions, GLUE_HUB_DATASET, glueFilePath, loadTaskData, type TaskData } from './data.js';
export { GlueDataError, GlueEvalError, LabelMappingError } from './errors.js';
export type { Example } from './example.js';
export { alignLabels, type LabelAlignment, modelLabelNames, parseLabelMap } from './labels.js';
export * from './metrics/index.js';
export { readGlueParquet } from './parquet.js';
export { loadPredictor, type Predictor, type PredictorOptions } from './predictor.js';
export { type ProgressReporter, progressBar } from './progress.js';
export { PUBLISHED_DISTILBERT, publishedScore } from './published.js';
export { htmlReport } from './reports/html.js';
export { jsonReport } from './reports/json.js';
export { markdownReport } from './reports/markdown.js';
export { type WrittenReports, writeReports } from './reports/write.js';
export {
  confusionMatrix,
  evaluateTask,
  GLUE_EVAL_VERSION,
  type GlueRun,
  predict,
  predictTestSet,
  type RunOptions,
  runGlue,
  type Submission,
  type TaskFailure,
  type TaskResult,
} from './runner.js';
export { computeMetrics, GLUE_SCORE_TASKS, type GlueAverage, glueAverage, taskScore } from './scoring.js';
export { parseSuite, readSuite, type SuiteEntry } from './suite.js';
export {
  type FileLayout,
  type GlueTask,
  getTask,
  type MetricName,
  type Split,
  TASK_ORDER,
  TASKS,
  type TaskName,
} from './tasks.js';
export { parseGlueTsv, readGlueTsv } from './tsv.js';
