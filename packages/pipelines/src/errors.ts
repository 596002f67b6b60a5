import { DistilBertError } from '@distilbert/core';

/**
 * Input or configuration a pipeline cannot work with. `code` is stable for programs to branch on:
 * BAD_PIPELINE_INPUT (the call's arguments), BAD_PIPELINE_MODEL (the model/config does not fit the task),
 * UNKNOWN_TASK, INPUT_TOO_LONG.
 */
export class PipelineError extends DistilBertError {}

export function badInput(message: string): PipelineError {
  return new PipelineError('BAD_PIPELINE_INPUT', message);
}

export function badModel(message: string): PipelineError {
  return new PipelineError('BAD_PIPELINE_MODEL', message);
}
