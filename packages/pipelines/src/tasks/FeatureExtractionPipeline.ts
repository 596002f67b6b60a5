import { badInput } from '../errors.js';
import { type FeatureTensor, type Pooling, poolEmbeddings } from '../postprocess/featureExtraction.js';
import { Pipeline } from './Pipeline.js';

export interface FeatureExtractionOptions {
  /** 'none' (default): every token's vector [1, seq, dim]; 'mean' or 'cls': one vector [1, dim]. */
  pooling?: Pooling;
  /** L2-normalise each vector. */
  normalize?: boolean;
  /** Cut inputs longer than the model allows instead of failing (Python fails). */
  truncation?: boolean;
}

/** Python's FeatureExtractionPipeline: the last hidden state, one tensor per input (unpadded). */
export class FeatureExtractionPipeline extends Pipeline {
  readonly task = 'feature-extraction';

  async call(
    inputs: string | readonly string[],
    options: FeatureExtractionOptions = {},
  ): Promise<FeatureTensor | FeatureTensor[]> {
    const texts = typeof inputs === 'string' ? [inputs] : [...inputs];
    if (texts.length === 0) throw badInput('feature-extraction needs at least one text.');
    const encodings = texts.map((text) => {
      if (typeof text !== 'string')
        throw badInput(`feature-extraction inputs must be strings (got ${typeof text}).`);
      return this.encodeChecked(text, null, options.truncation);
    });
    const results = await this.forwardRows(encodings, async (output, batch, rows) => {
      const hidden = (await output.last_hidden_state.data()) as Float32Array;
      const [, seq] = batch.shape;
      const dim = output.last_hidden_state.shape[2];
      return rows.map((r, j) => {
        const len = encodings[r].input_ids.length;
        const rowHidden = hidden.subarray(j * seq * dim, (j * seq + len) * dim);
        return poolEmbeddings(
          rowHidden,
          len,
          dim,
          encodings[r].attention_mask,
          options.pooling,
          options.normalize,
        );
      });
    });
    return typeof inputs === 'string' ? results[0] : results;
  }
}
