import { badInput, badModel } from '../errors.js';
import {
  type ClassificationFunction,
  type ClassificationResult,
  labelOf,
  textClassificationPostprocess,
} from '../postprocess/textClassification.js';
import { Pipeline, rowsOf } from './Pipeline.js';

export interface TextPair {
  text: string;
  text_pair?: string;
}

export interface TextClassificationOptions {
  /** Omitted: the best label only (Python's legacy form); a number: that many, sorted; null: all, sorted. */
  top_k?: number | null;
  /** Default chosen from the config's problem_type and num_labels, as Python does. */
  function_to_apply?: ClassificationFunction;
  /** Cut inputs longer than the model allows instead of failing (Python fails). */
  truncation?: boolean;
}

export type TextClassificationOutput = ClassificationResult | ClassificationResult[];

/** Python's TextClassificationPipeline (also 'sentiment-analysis'), for single texts and text pairs. */
export class TextClassificationPipeline extends Pipeline {
  readonly task = 'text-classification';

  async call(
    inputs: string | TextPair | ReadonlyArray<string | TextPair>,
    options: TextClassificationOptions = {},
  ): Promise<TextClassificationOutput | TextClassificationOutput[]> {
    const list = Array.isArray(inputs) ? [...inputs] : [inputs as string | TextPair];
    if (list.length === 0) throw badInput('text-classification needs at least one text.');
    const encodings = list.map((input) => {
      if (typeof input === 'string') return this.encodeChecked(input, null, options.truncation);
      if (input && typeof input === 'object' && typeof (input as TextPair).text === 'string') {
        const { text, text_pair } = input as TextPair;
        return this.encodeChecked(text, text_pair ?? null, options.truncation);
      }
      throw badInput(
        'The pipeline received invalid inputs, if you are trying to send text pairs, you can try to send a dictionary `{"text": "My text", "text_pair": "My pair"}` in order to send a text pair.',
      );
    });
    labelOf(this.model.config, 0); // fail before running the model when the config has no labels
    const results = await this.forwardRows(encodings, async (output, _batch, rows) => {
      if (!output.logits)
        throw badModel('The model returned no logits: load it as DistilBertForSequenceClassification.');
      const row = await rowsOf(output.logits);
      return rows.map((_, j) =>
        textClassificationPostprocess(row(j), this.model.config, {
          top_k: options.top_k,
          function_to_apply: options.function_to_apply,
        }),
      );
    });
    if (!Array.isArray(inputs)) {
      // Python wraps a single string's legacy result in a list, but not a single pair's.
      return typeof inputs === 'string' && options.top_k === undefined
        ? [results[0] as ClassificationResult]
        : results[0];
    }
    return results;
  }
}
