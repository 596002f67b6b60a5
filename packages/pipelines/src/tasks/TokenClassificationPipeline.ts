import { badInput, badModel } from '../errors.js';
import { labelOf } from '../postprocess/textClassification.js';
import {
  type AggregationStrategy,
  type GroupedEntity,
  type TokenEntity,
  tokenClassificationPostprocess,
} from '../postprocess/tokenClassification.js';
import { Pipeline, rowsOf } from './Pipeline.js';

export interface TokenClassificationOptions {
  /** 'none' (default): one entry per token; the others group tokens into words/entities as Python does. */
  aggregation_strategy?: AggregationStrategy;
  /** Labels to leave out (default ['O']). */
  ignore_labels?: string[];
}

export type TokenClassificationOutput = TokenEntity[] | GroupedEntity[];

/** Python's TokenClassificationPipeline ('ner'). Long texts are truncated to the model's maximum, with a warning. */
export class TokenClassificationPipeline extends Pipeline {
  readonly task = 'token-classification';

  async call(
    inputs: string | readonly string[],
    options: TokenClassificationOptions = {},
  ): Promise<TokenClassificationOutput | TokenClassificationOutput[]> {
    const texts = typeof inputs === 'string' ? [inputs] : [...inputs];
    if (texts.length === 0) throw badInput('token-classification needs at least one text.');
    labelOf(this.model.config, 0);
    const encodings = texts.map((text) => {
      if (typeof text !== 'string')
        throw badInput(`token-classification inputs must be strings (got ${typeof text}).`);
      return this.encodeTruncating(text, null, 'longest_first');
    });
    const results = await this.forwardRows(encodings, async (output, batch, rows) => {
      if (!output.logits)
        throw badModel('The model returned no logits: load it as DistilBertForTokenClassification.');
      const row = await rowsOf(output.logits);
      return rows.map((r, j) => {
        const enc = encodings[r];
        // The batch row is padded to batch.shape[1] tokens; this text's tokens come first.
        const logits = row(j).subarray(0, (row(j).length / batch.shape[1]) * enc.input_ids.length);
        return tokenClassificationPostprocess(
          texts[r],
          enc,
          logits,
          this.model.config,
          this.special.unk,
          options,
        );
      });
    });
    return typeof inputs === 'string' ? results[0] : results;
  }
}
