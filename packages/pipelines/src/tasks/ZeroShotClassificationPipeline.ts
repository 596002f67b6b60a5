import { badInput, badModel } from '../errors.js';
import {
  entailmentId,
  formatHypothesis,
  parseCandidateLabels,
  type ZeroShotResult,
  zeroShotPostprocess,
} from '../postprocess/zeroShot.js';
import type { ModelLike, TokenizerLike } from '../types.js';
import { Pipeline, type PipelineRuntimeOptions, rowsOf } from './Pipeline.js';

export interface ZeroShotOptions {
  /** Labels, as an array or a comma-separated string (may also be the call's second argument). */
  candidate_labels?: string | string[];
  /** Default "This example is {}." */
  hypothesis_template?: string;
  /** Score every label on its own (entailment vs contradiction) instead of across the labels. */
  multi_label?: boolean;
}

/** Python's ZeroShotClassificationPipeline over an NLI model (premise = text, hypothesis = template(label)). */
export class ZeroShotClassificationPipeline extends Pipeline {
  readonly task = 'zero-shot-classification';
  readonly entailmentId: number;

  constructor(model: ModelLike, tokenizer: TokenizerLike, options: PipelineRuntimeOptions = {}) {
    super(model, tokenizer, options);
    this.entailmentId = entailmentId(model.config);
    if (this.entailmentId === -1) {
      this.warn(
        "Failed to determine 'entailment' label id from the label2id mapping in the model config. Setting to -1. Define a descriptive label2id mapping in the model config to ensure correct outputs.",
      );
    }
  }

  async call(
    sequences: string | readonly string[],
    labelsOrOptions?: string | readonly string[] | ZeroShotOptions,
    maybeOptions: ZeroShotOptions = {},
  ): Promise<ZeroShotResult | ZeroShotResult[]> {
    const options: ZeroShotOptions =
      typeof labelsOrOptions === 'string' || Array.isArray(labelsOrOptions)
        ? { ...maybeOptions, candidate_labels: labelsOrOptions as string | string[] }
        : { ...(labelsOrOptions as ZeroShotOptions | undefined), ...maybeOptions };
    const labels = parseCandidateLabels(options.candidate_labels);
    const texts = typeof sequences === 'string' ? [sequences] : [...sequences];
    if (labels.length === 0 || texts.length === 0) {
      throw badInput('You must include at least one label and at least one sequence.');
    }
    const template = options.hypothesis_template ?? 'This example is {}.';
    const hypotheses = labels.map((label) => formatHypothesis(template, label));
    if (!this.model.config.label2id && !this.model.config.id2label) {
      throw badModel(
        'zero-shot-classification needs an NLI model whose config.json has label2id (with an "entailment" label).',
      );
    }
    const pairs = texts.flatMap((text) => {
      if (typeof text !== 'string') throw badInput(`zero-shot inputs must be strings (got ${typeof text}).`);
      return hypotheses.map((h) => this.encodeTruncating(text, h, 'only_first'));
    });
    const logits = await this.forwardRows(pairs, async (output, _batch, rows) => {
      if (!output.logits)
        throw badModel('The model returned no logits: load it as DistilBertForSequenceClassification.');
      const row = await rowsOf(output.logits);
      return rows.map((_, j) => row(j).slice());
    });
    const results = texts.map((text, i) =>
      zeroShotPostprocess(
        text,
        labels,
        logits.slice(i * labels.length, (i + 1) * labels.length),
        this.entailmentId,
        options.multi_label ?? false,
      ),
    );
    return typeof sequences === 'string' ? results[0] : results;
  }
}
