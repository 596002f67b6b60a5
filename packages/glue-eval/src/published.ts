import type { TaskName } from './tasks.js';

/**
 * DistilBERT's GLUE results as its model card (distilbert-base-uncased) reports them, in the card's column
 * order. The card gives one number per task; WNLI and AX are not reported.
 */
export const PUBLISHED_DISTILBERT: ReadonlyArray<{ task: TaskName; column: string; value: number }> = [
  { task: 'mnli', column: 'MNLI', value: 82.2 },
  { task: 'qqp', column: 'QQP', value: 88.5 },
  { task: 'qnli', column: 'QNLI', value: 89.2 },
  { task: 'sst2', column: 'SST-2', value: 91.3 },
  { task: 'cola', column: 'CoLA', value: 51.3 },
  { task: 'stsb', column: 'STS-B', value: 85.8 },
  { task: 'mrpc', column: 'MRPC', value: 87.5 },
  { task: 'rte', column: 'RTE', value: 59.9 },
];

export function publishedScore(task: TaskName): number | undefined {
  return PUBLISHED_DISTILBERT.find((p) => p.task === task)?.value;
}
