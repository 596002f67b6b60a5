import type { ArchitectureName } from '@distilbert/core';

export const TASKS = [
  'fill-mask',
  'feature-extraction',
  'text-classification',
  'token-classification',
  'question-answering',
  'zero-shot-classification',
] as const;

export type Task = (typeof TASKS)[number];

/** Python's task aliases. */
export const TASK_ALIASES: Readonly<Record<string, Task>> = {
  'sentiment-analysis': 'text-classification',
  ner: 'token-classification',
};

/**
 * The model each task uses when none is given: Python's defaults where they are DistilBERT, else the
 * DistilBERT checkpoint fine-tuned for the task.
 */
export const DEFAULT_MODELS: Readonly<Record<Task, string>> = {
  'fill-mask': 'distilbert-base-uncased',
  'feature-extraction': 'distilbert-base-cased',
  'text-classification': 'distilbert-base-uncased-finetuned-sst-2-english',
  'token-classification': 'elastic/distilbert-base-cased-finetuned-conll03-english',
  'question-answering': 'distilbert-base-cased-distilled-squad',
  'zero-shot-classification': 'typeform/distilbert-base-uncased-mnli',
};

/** The head each task needs. */
export const TASK_ARCHITECTURES: Readonly<Record<Task, ArchitectureName>> = {
  'fill-mask': 'DistilBertForMaskedLM',
  'feature-extraction': 'DistilBertModel',
  'text-classification': 'DistilBertForSequenceClassification',
  'token-classification': 'DistilBertForTokenClassification',
  'question-answering': 'DistilBertForQuestionAnswering',
  'zero-shot-classification': 'DistilBertForSequenceClassification',
};
